from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "waypoint.tasks"
    label = "tasks"
    verbose_name = "Delegated tasks"

    def ready(self):
        from . import extensions

        extensions.register()
