from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "waypoint.risk"
    label = "risk"
    verbose_name = "Risk formulation (NICE NG225): no scores"

    def ready(self):
        from django.utils import timezone

        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.worklist.registry import register_provider

        from . import worklist
        from .selectors import current_formulation

        register_section(
            RecordSection(
                "risk_formulation",
                7,
                "risk/_person_section.jinja",
                lambda person: {"formulation": current_formulation(person), "today": timezone.localdate()},
            )
        )
        register_provider("risk_formulation_missing", worklist.no_risk_formulation)
        register_provider("risk_formulation_review", worklist.risk_formulation_review)
