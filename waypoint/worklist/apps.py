from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "waypoint.worklist"
    label = "worklist"
    verbose_name = "Worklist: what is due, composed from every module's providers"

    def ready(self):
        from django.utils import timezone

        from waypoint.patients.record_sections import RecordSection, register_section

        from . import providers
        from .registry import due_for

        register_section(
            RecordSection(
                "due",
                6,
                "worklist/_person_section.jinja",
                lambda person: {"items": due_for([person.pk], timezone.localdate()).get(person.pk, [])},
            )
        )
        providers.register()
