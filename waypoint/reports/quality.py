"""Data quality: the records that would fail MHSDS validation, per team, with where to fix each.

A fixed number of queries however many records: one per kind of record (people, referrals,
contacts, allocations), then one for the people the reader may see (the access policy). Counts
are aggregates for every team in the scope; the list of records names people, so it holds only
people the reader has a legitimate relationship with (`Person.objects.visible_to`).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from waypoint.contacts.models import FAILS_MHSDS, Attendance, Contact, Mechanism
from waypoint.episodes.models import Allocation
from waypoint.patients.formats import GP_PRACTICE_CODE, POSTCODE
from waypoint.patients.models import EthnicCategory, Person, TeamRegistration
from waypoint.patients.nhs_number import is_valid_nhs_number
from waypoint.referrals.models import MHSDS_SOURCE_CODES, Referral

from .figures import _end_of, _start_of
from .registry import Scope


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    fix: str  # what to do, in plain words


RULES = [
    Rule("nhs_number_missing", "NHS number missing", "Add the NHS number (trace the person if needed)"),
    Rule("nhs_number_invalid", "NHS number not valid", "Correct the NHS number"),
    Rule(
        "ethnicity_missing", "Ethnic category not recorded", "Ask the person and record their ethnic category"
    ),
    Rule("gp_missing", "GP practice missing", "Record the person's GP practice"),
    Rule("gp_invalid", "GP practice code not valid", "Correct the GP practice's ODS code"),
    Rule("postcode_missing", "Postcode missing", "Add the person's postcode"),
    Rule("postcode_invalid", "Postcode not valid", "Correct the postcode"),
    Rule("referral_source", "Referral source missing or not an MHSDS code", "Record the source of referral"),
    Rule("attendance_code", "Attendance code missing or not valid", "Correct the contact: what happened"),
    Rule(
        "consultation_medium",
        "Consultation medium missing or not valid",
        "Correct the contact: how it happened",
    ),
    Rule("contact_duration", "Care contact duration missing", "Correct the contact: add how long it lasted"),
    Rule("allocation_start", "Allocation without a start date", "Correct the allocation's start"),
]
RULE_LABELS = {rule.key: rule.label for rule in RULES}
# The codes, once (an enum's `.values` builds its list afresh at every read: per row, that was
# most of this page's time).
ETHNIC_CATEGORIES = frozenset(EthnicCategory.values)
ATTENDANCE_CODES = frozenset(Attendance.values)
MEDIUM_CODES = frozenset(Mechanism.values)


@dataclass
class Problem:
    rule: str
    team_id: int
    team_name: str
    person_id: int
    record: str  # "Person", "Referral 12", "Contact on 3 March 2026"
    fix_url: str


def person_problems(row) -> list[str]:
    found = []
    nhs = row["person__nhs_number"]
    if not nhs:
        found.append("nhs_number_missing")
    elif not is_valid_nhs_number(nhs):
        found.append("nhs_number_invalid")
    if (
        row["person__ethnicity"] in ("", EthnicCategory.NOT_KNOWN)
        or row["person__ethnicity"] not in ETHNIC_CATEGORIES
    ):
        found.append("ethnicity_missing")
    ods = row["person__gp_practice__ods_code"]
    if not ods:
        found.append("gp_missing")
    elif not GP_PRACTICE_CODE.match(ods):
        found.append("gp_invalid")
    postcode = (row["person__postcode"] or "").strip().upper()
    if not postcode:
        found.append("postcode_missing")
    elif not POSTCODE.match(postcode):
        found.append("postcode_invalid")
    return found


def problems(scope: Scope) -> list[Problem]:
    """Every failing record in the scope: people on the teams' books at the end of the period, and
    referrals, contacts and allocations of the period. Four queries."""
    out: list[Problem] = []
    # 1. People (checked in Python: the NHS number check digit and the formats), as one read.
    people = (
        TeamRegistration.objects.current(scope.end)
        .filter(**scope.teams_q())
        .values(
            "team_id",
            "team__name",
            "person_id",
            "person__nhs_number",
            "person__ethnicity",
            "person__gp_practice__ods_code",
            "person__postcode",
        )
        .order_by("team__name", "person_id")
    )
    for row in people:
        for rule in person_problems(row):
            out.append(
                Problem(
                    rule,
                    row["team_id"],
                    row["team__name"],
                    row["person_id"],
                    "Person's details",
                    reverse("patients:edit", args=[row["person_id"]]),
                )
            )
    # 2. Referrals received in the period with no MHSDS source code.
    for row in (
        Referral.objects.filter(
            received_at__gte=_start_of(scope.start), received_at__lt=_end_of(scope.end), **scope.teams_q()
        )
        .exclude(source__in=list(MHSDS_SOURCE_CODES))
        .values("pk", "team_id", "team__name", "person_id")
    ):
        out.append(
            Problem(
                "referral_source",
                row["team_id"],
                row["team__name"],
                row["person_id"],
                f"Referral {row['pk']}",
                reverse("referrals:detail", args=[row["pk"]]),
            )
        )
    # 3. Current care contacts of the period.
    for row in (
        Contact.objects.current()
        .filter(date__gte=scope.start, date__lte=scope.end, **scope.teams_q())
        .filter(FAILS_MHSDS)  # the same Q as the partial index that finds them (contacts.models)
        .values(
            "pk", "team_id", "team__name", "person_id", "date", "attendance", "mechanism", "duration_minutes"
        )
    ):
        url = reverse("contacts:correct", args=[row["person_id"], row["pk"]])
        what = f"Contact on {row['date']:%-d %B %Y}"
        if row["attendance"] not in ATTENDANCE_CODES:
            out.append(
                Problem("attendance_code", row["team_id"], row["team__name"], row["person_id"], what, url)
            )
        if row["mechanism"] not in MEDIUM_CODES:
            out.append(
                Problem("consultation_medium", row["team_id"], row["team__name"], row["person_id"], what, url)
            )
        if row["attendance"] == Attendance.ATTENDED and not row["duration_minutes"]:
            out.append(
                Problem("contact_duration", row["team_id"], row["team__name"], row["person_id"], what, url)
            )
    # 4. Allocations current at some time in the period without a start.
    for row in (
        Allocation.objects.filter(started_at__isnull=True, **scope.teams_q())
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=_start_of(scope.start)))
        .values("pk", "team_id", "team__name", "person_id")
    ):
        out.append(
            Problem(
                "allocation_start",
                row["team_id"],
                row["team__name"],
                row["person_id"],
                f"Allocation {row['pk']}",
                reverse("patients:detail", args=[row["person_id"]]),
            )
        )
    return out


def counts_by_team(found: list[Problem]) -> tuple[list[str], list[list]]:
    """Columns and rows: one row per rule, one column per team (and the total)."""
    teams = sorted({(p.team_name, p.team_id) for p in found})
    counter = Counter((p.rule, p.team_id) for p in found)
    columns = ["Check", *[name for name, _ in teams], "Total"]
    rows = []
    for rule in RULES:
        per_team = [counter[(rule.key, team_id)] for _, team_id in teams]
        rows.append([rule.label, *per_team, sum(per_team)])
    return columns, rows


def visible_list(found: list[Problem], user, limit: int = 200) -> tuple[list[dict], int]:
    """The failing records of people the user may see (one query), first `limit`, and how many in all."""
    ids = {p.person_id for p in found}
    people = {
        row["pk"]: row
        for row in Person.objects.visible_to(user)
        .filter(pk__in=ids)
        .values("pk", "given_name", "family_name", "nhs_number", "local_id")
    }
    shown = [p for p in found if p.person_id in people]
    rows = [
        {
            "problem": p,
            "label": RULE_LABELS[p.rule],
            "fix": next(r.fix for r in RULES if r.key == p.rule),
            "person": people[p.person_id],
        }
        for p in shown[:limit]
    ]
    return rows, len(shown)


# The MHSDS data item each person rule is about (for the extract's validation list).
RULE_ITEMS = {
    "nhs_number_missing": "NHSNumber",
    "nhs_number_invalid": "NHSNumber",
    "ethnicity_missing": "EthnicCategory",
    "gp_missing": "GMPReg",
    "gp_invalid": "GMPReg",
    "postcode_missing": "Postcode",
    "postcode_invalid": "Postcode",
}
