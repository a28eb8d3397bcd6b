from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "waypoint.episodes"
    label = "episodes"
    verbose_name = "Allocation, caseloads and episodes of care"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section

        from . import relationships  # noqa: F401  an allocation gives the worker a relationship
        from .selectors import current_allocations_of

        register_section(
            RecordSection(
                "allocations",
                5,
                "episodes/_person_section.jinja",
                lambda person: {"allocations": current_allocations_of(person)},
            )
        )
