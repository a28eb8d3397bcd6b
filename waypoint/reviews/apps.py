from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "waypoint.reviews"
    label = "reviews"
    verbose_name = "Care plan and CPA reviews"

    def ready(self):
        from django.utils import timezone

        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.worklist.registry import register_provider

        from .selectors import review_summary
        from .worklist import review_due

        register_section(
            RecordSection(
                "reviews",
                9,
                "reviews/_person_section.jinja",
                lambda person: {**review_summary(person), "today": timezone.localdate()},
            )
        )
        register_provider("care_plan_review", review_due)
