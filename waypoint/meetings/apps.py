from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "waypoint.meetings"
    label = "meetings"
    verbose_name = "MDT meetings"

    def ready(self):
        from . import extensions

        extensions.register()
