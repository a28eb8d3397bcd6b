from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "waypoint.access"
    label = "access"
    verbose_name = "Access"

    def ready(self):
        from . import extensions

        extensions.register()
