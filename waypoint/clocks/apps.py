from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "waypoint.clocks"
    label = "clocks"
    verbose_name = "Working calendar and clocks"
