"""What assessments plug in: the Assessments tab, the carer's assessment worklist items and the
"first coded assessment" part of the 4-week clock-stop. Registered from AssessmentsConfig.ready()."""

TAB = "assessments"


def register():
    from waypoint.patients.record_sections import RecordSection, RecordTab, register_section, register_tab
    from waypoint.referrals.clock import ClockStopComponent, register_clock_stop_component
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
    # Completing an initial or holistic needs assessment records the referral's first
    # assessment clock event (services._record_first_assessment), which this component reads:
    # one field on the referral, so the waiting list keeps a fixed number of queries.
    register_clock_stop_component(
        ClockStopComponent(
            "coded_assessment",
            "First coded assessment (initial or holistic needs assessment completed)",
            lambda referral: referral.first_assessment_at,
        )
    )
