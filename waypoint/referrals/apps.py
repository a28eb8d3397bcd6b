from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "waypoint.referrals"
    label = "referrals"
    verbose_name = "Referrals, triage and the waiting list"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section

        from . import relationships  # noqa: F401  an open referral gives the team its relationship
        from .selectors import referrals_of

        register_section(
            RecordSection(
                "referrals",
                14,
                "referrals/_person_section.jinja",
                lambda person: {"referrals": referrals_of(person)},
            )
        )
