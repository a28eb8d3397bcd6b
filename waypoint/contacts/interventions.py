"""The coded psychological interventions a CMHT records (SNOMED CT procedures, MHSDS MHS202
CodeProcAndProcStatus). Data, not code: a code is shipped only once its term was checked against a
published SNOMED CT value set (see docs/decisions/0022-coded-interventions.md).

PARTIAL: interpersonal psychotherapy, EMDR, cognitive analytic therapy and brief solution-focused
therapy are left out until their codes are confirmed.
"""

INTERVENTIONS: tuple[tuple[str, str], ...] = (
    ("304891004", "Cognitive behavioural therapy"),
    ("405780009", "Dialectical behaviour therapy"),
    ("108313002", "Family psychotherapy"),
    ("76168009", "Group psychotherapy"),
    ("18512000", "Individual psychotherapy"),
    ("5694008", "Crisis intervention with follow-up"),
)
TERMS = dict(INTERVENTIONS)
