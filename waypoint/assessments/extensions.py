"""What assessments plug in: the Assessments tab, the carer's assessment worklist items.
(The "first coded assessment" part of the 4-week clock-stop is the referral's first assessment
clock event, read by measures/four_week.py.) Registered from AssessmentsConfig.ready()."""

TAB = "assessments"


def register():
    from waypoint.patients.record_sections import RecordSection, RecordTab, register_section, register_tab
    from waypoint.worklist.registry import register_provider

    from . import worklist
    from .selectors import record_summary

    register_tab(RecordTab(TAB, "Assessments", 30, namespaces=("assessments",)))
    register_section(
        RecordSection(
            "assessments",
            10,
            "assessments/_person_section.jinja",
            lambda record: record_summary(record.person, carers=record.carers),  # the shared fact
            tabs=(TAB,),
        )
    )
    register_provider(worklist.NOT_OFFERED, worklist.carers_not_offered)
    register_provider(worklist.REVIEW, worklist.carer_reviews)
