from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waypoint.plans"
    label = "plans"
    verbose_name = "Plans: care, crisis and contingency, relapse prevention, safety, wellness and recovery"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.referrals.clock import ClockStopComponent, register_clock_stop_component
        from waypoint.worklist.registry import register_provider

        from . import clock, worklist
        from .selectors import plan_summaries

        register_section(
            RecordSection(
                "plans",
                8,
                "plans/_person_section.jinja",
                lambda person: {"person": person, "summaries": plan_summaries(person)},
            )
        )
        register_provider("care_plan_review_date", worklist.care_plan_review_due)
        register_provider("care_plan_agreed", worklist.no_agreed_care_plan)
        register_provider("safety_plan", worklist.safety_plan_due)
        register_clock_stop_component(
            ClockStopComponent("agreed_care_plan", "First agreed care plan", clock.first_agreed_care_plan_at)
        )
