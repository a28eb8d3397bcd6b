"""What plans plug in: the Plans tab (with reviews), plans with their review dates on the overview,
their worklist items and the "first agreed care plan" part of the 4-week clock-stop. Registered
from PlansConfig.ready()."""

TAB = "plans"


def register():
    from waypoint.patients.record_sections import (
        OVERVIEW,
        RecordSection,
        RecordTab,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from . import worklist
    from .selectors import plan_summaries

    register_tab(RecordTab(TAB, "Plans", 10, namespaces=("plans", "reviews")))
    register_section(
        RecordSection(
            "plans",
            4,
            "plans/_person_section.jinja",
            lambda record: {"person": record.person, "summaries": plan_summaries(record.person)},
            tabs=(OVERVIEW, TAB),
        )
    )
    register_provider("care_plan_review_date", worklist.care_plan_review_due)
    register_provider("care_plan_agreed", worklist.no_agreed_care_plan)
    register_provider("safety_plan", worklist.safety_plan_due)
