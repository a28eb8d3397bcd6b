from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "waypoint.duty"
    label = "duty"
    verbose_name = "Duty system"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section

        from . import relationships  # noqa: F401  being on duty gives access to the team's open referrals
        from .selectors import enquiries_about

        register_section(
            RecordSection(
                "duty_enquiries",
                15,
                "duty/_person_section.jinja",
                lambda person: {"enquiries": enquiries_about(person)},
            )
        )
