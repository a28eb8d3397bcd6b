from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "waypoint.episodes"
    label = "episodes"
    verbose_name = "Episodes of care, allocation, transfers and discharge"

    def ready(self):
        from . import extensions

        extensions.register()
