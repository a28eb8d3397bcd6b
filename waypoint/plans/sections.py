"""The sections of each kind of plan: the key stored in the revision's content, the label staff see,
the heading the person reads in their own copy, and a hint.

The care plan is different: a list of needs, each with a goal in the person's own words and
interventions (what, who, how often), plus a review date. See `forms.CarePlanForm`.
"""

from dataclasses import dataclass

from .models import PlanKind

OUT_OF_HOURS_NOTE = (
    "Out of hours (before 09:00 and after 17:00 on weekdays, at weekends and on bank holidays) "
    "the crisis team responds, not the community mental health team."
)


@dataclass(frozen=True)
class Section:
    key: str
    label: str  # what staff see
    for_person: str  # heading in the person's own copy
    hint: str = ""


SECTIONS: dict[str, list[Section]] = {
    PlanKind.CRISIS: [
        Section(
            "contingency",
            "Contingency if support fails at short notice",
            "If your usual support is not available at short notice",
            "For example, if the care coordinator is off sick or a home visit is cancelled",
        ),
        Section(
            "out_of_hours",
            "Out-of-hours arrangements",
            "Evenings, nights, weekends and bank holidays",
            OUT_OF_HOURS_NOTE + " Say what the crisis team should know and do.",
        ),
        Section(
            "responds_best_to",
            "The person they respond to best",
            "The person you find it easiest to talk to",
        ),
        Section("what_has_helped", "What has helped before", "What has helped you before"),
        Section("what_has_not_helped", "What has not helped before", "What has not helped you before"),
        Section(
            "treatment_preferences",
            "Treatment preferences and refusals",
            "Your wishes about treatment, and anything you do not want",
        ),
        Section(
            "relapse_indicators",
            "Relapse indicators",
            "Signs that you may be becoming unwell",
        ),
        Section("crisis_actions", "Specific crisis actions", "What will happen in a crisis"),
        Section(
            "crisis_numbers",
            "Crisis numbers",
            "Other numbers to call",
            "Numbers special to this person. NHS 111 (option 2), 999, Samaritans and the team's "
            "numbers are always printed on their copy.",
        ),
    ],
    PlanKind.RELAPSE_PREVENTION: [
        Section(
            "early_warning_signs",
            "Early warning signs (relapse signature)",
            "Early warning signs that you may be becoming unwell",
        ),
        Section("triggers", "Triggers", "Things that can set you back"),
        Section("agreed_actions", "Agreed actions", "What we agreed to do if these happen"),
    ],
    PlanKind.SAFETY: [
        Section("warning_signs", "Warning signs", "My warning signs"),
        Section("things_i_can_do", "Things I can do myself", "Things I can do to take my mind off things"),
        Section(
            "distractions",
            "People and places that distract",
            "People and places that help me take my mind off things",
        ),
        Section("people_to_ask", "People I can ask for help", "People I can ask for help"),
        Section(
            "professionals",
            "Professionals and 24-hour lines",
            "Professionals and services I can contact, day or night",
        ),
        Section("safer_environment", "Making my environment safer", "Making my surroundings safer"),
        Section("reasons_for_living", "Reasons for living", "My reasons for living"),
    ],
    PlanKind.WELLNESS: [
        Section("when_well", "What I'm like when I'm well", "What I'm like when I'm well"),
        Section("daily_maintenance", "Daily maintenance", "What I do every day to stay well"),
        Section("triggers", "Triggers", "Things that can upset me"),
        Section("early_warning_signs", "Early warning signs", "Early warning signs"),
        Section(
            "breaking_down",
            "When things are breaking down",
            "When things are breaking down",
        ),
        Section("crisis", "Crisis", "In a crisis"),
        Section("after_crisis", "After a crisis", "After a crisis"),
    ],
}


def sections_for(kind: str) -> list[Section]:
    return SECTIONS.get(kind, [])


def empty_care_plan() -> dict:
    return {"about_me": "", "needs": []}


def about_me(content: dict) -> str:
    """The care plan's "About me", in the person's own words (PRSB personalised care and support plan)."""
    return str((content or {}).get("about_me") or "")


def care_plan_needs(content: dict) -> list[dict]:
    return list((content or {}).get("needs") or [])


def content_field_names(kind: str) -> list[str]:
    if kind == PlanKind.CARE:
        return ["about_me", "needs"]
    return [section.key for section in sections_for(kind)]
