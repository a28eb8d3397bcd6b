from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "waypoint.offline"
    label = "offline"
    verbose_name = "Home visits offline"

    def ready(self):
        from . import extensions

        extensions.register(self)
