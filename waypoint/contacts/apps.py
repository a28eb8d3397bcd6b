from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "waypoint.contacts"
    label = "contacts"
    verbose_name = "Diary, contacts, clinical notes and engagement monitoring"

    def ready(self):
        from . import extensions

        extensions.register()
