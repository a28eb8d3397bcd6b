from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "waypoint.worklist"
    label = "worklist"
    verbose_name = "Worklist: what is due, composed from every module's providers"

    def ready(self):
        from . import extensions

        extensions.register()
