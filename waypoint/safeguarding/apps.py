from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "waypoint.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding concerns"

    def ready(self):
        from . import extensions

        extensions.register()
