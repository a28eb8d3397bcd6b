from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "waypoint.notes"
    label = "notes"
    verbose_name = "Contemporaneous clinical notes"
