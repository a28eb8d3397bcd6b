from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "waypoint.assessments"
    label = "assessments"
    verbose_name = "Assessments: initial, holistic needs, carer's and mental capacity"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.referrals.clock import ClockStopComponent, register_clock_stop_component
        from waypoint.worklist.registry import register_provider

        from . import worklist
        from .selectors import record_summary

        register_section(
            RecordSection("assessments", 10, "assessments/_person_section.jinja", record_summary)
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
