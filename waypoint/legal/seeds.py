"""The rules shipped with Waypoint, loaded by migration 0002 (and by tests that need a fresh copy).

Commencement dates of the MHA 2025 provisions are blank: not in force until the Trust sets the
date in the admin (Legal > Rule sets) when commencement regulations say so. Renewal lengths and
the rights-repeat interval are data a Trust can change there too (the repeat interval is local
policy, not law).
"""

from datetime import date

MHA_1983 = "mha-1983"

H = "holding"
RULESETS = [
    {
        "code": MHA_1983,
        "title": "Mental Health Act 1983 (as amended)",
        "commences_on": date(1983, 9, 30),
        "terms": {"relative": "nearest relative", "cto_clinician": "responsible clinician"},
        "sections": [
            ("2", "Section 2 (admission for assessment)", "s2", "detention", {"first_days": 28}),
            (
                "3",
                "Section 3 (admission for treatment)",
                "s3",
                "detention",
                {
                    "first_months": 6,
                    "renewal_months": [6],
                    "then_every_months": 12,
                    "gives_aftercare": True,
                    "cto_can_follow": True,
                },
            ),
            ("4", "Section 4 (emergency admission)", "s4", "detention", {"first_hours": 72}),
            ("5(2)", "Section 5(2) (doctor's holding power)", "s5(2)", H, {"first_hours": 72}),
            ("5(4)", "Section 5(4) (nurse's holding power)", "s5(4)", H, {"first_hours": 6}),
            ("135", "Section 135 (warrant, place of safety)", "s135", H, {"first_hours": 24}),
            ("136", "Section 136 (police, place of safety)", "s136", H, {"first_hours": 24}),
            (
                "37",
                "Section 37 (hospital order)",
                "s37",
                "detention",
                {
                    "first_months": 6,
                    "renewal_months": [6],
                    "then_every_months": 12,
                    "gives_aftercare": True,
                    "cto_can_follow": True,
                },
            ),
            (
                "17A",
                "Community treatment order (section 17A)",
                "CTO (s17A)",
                "cto",
                {"first_months": 6, "renewal_months": [6], "then_every_months": 12, "rights_section": "132A"},
            ),
            (
                "7",
                "Guardianship (section 7)",
                "Guardianship (s7)",
                "guardianship",
                {"first_months": 6, "renewal_months": [6], "then_every_months": 12},
            ),
        ],
    },
    {
        "code": "mha-2025-section-3-periods",
        "title": "Mental Health Act 2025: section 3 periods of 3 + 3 + 6 months, then yearly",
        "commences_on": None,
        "terms": {},
        "sections": [
            (
                "3",
                "Section 3 (admission for treatment)",
                "s3",
                "detention",
                {
                    "first_months": 3,
                    "renewal_months": [3, 6],
                    "then_every_months": 12,
                    "gives_aftercare": True,
                    "cto_can_follow": True,
                },
            ),
        ],
    },
    {
        "code": "mha-2025-nominated-person",
        "title": "Mental Health Act 2025: the nominated person replaces the nearest relative",
        "commences_on": None,
        "terms": {"relative": "nominated person"},
        "sections": [],
    },
    {
        "code": "mha-2025-community-clinician",
        "title": "Mental Health Act 2025: a community clinician for community treatment orders",
        "commences_on": None,
        "terms": {"cto_clinician": "community clinician"},
        "sections": [],
    },
    {
        "code": "mha-2025-advance-choice-documents",
        "title": "Mental Health Act 2025: advance choice documents",
        "commences_on": None,
        "terms": {"advance_choice": "advance choice document"},
        "sections": [],
    },
    {
        "code": "mha-2025-care-and-treatment-plans",
        "title": "Mental Health Act 2025: statutory care and treatment plans",
        "commences_on": None,
        "terms": {"care_treatment_plan": "statutory care and treatment plan"},
        "sections": [],
    },
]


def load(RuleSet, SectionRule, TermRule):
    """Create the shipped rules (idempotent: an existing rule set is left as the Trust set it)."""
    for spec in RULESETS:
        ruleset, created = RuleSet.objects.get_or_create(
            code=spec["code"], defaults={"title": spec["title"], "commences_on": spec["commences_on"]}
        )
        if not created:
            continue
        for key, wording in spec["terms"].items():
            TermRule.objects.create(ruleset=ruleset, key=key, wording=wording)
        known = {field.name for field in SectionRule._meta.get_fields()}
        for code, label, short, kind, lengths in spec["sections"]:
            # An older migration loads these with the fields its model then had (0008 adds the rest).
            lengths = {key: value for key, value in lengths.items() if key in known}
            SectionRule.objects.create(
                ruleset=ruleset,
                code=code,
                label=label,
                short=short,
                kind=kind,
                rights_repeat_days=90,
                **lengths,
            )
