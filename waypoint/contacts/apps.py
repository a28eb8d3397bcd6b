from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "waypoint.contacts"
    label = "contacts"
    verbose_name = "Diary, contacts, clinical notes and engagement monitoring"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.worklist.registry import register_provider

        from .sections import engagement_section
        from .worklist import engagement_items

        register_section(
            RecordSection("engagement", 11, "contacts/_person_section.jinja", engagement_section)
        )
        register_provider("engagement", engagement_items)
