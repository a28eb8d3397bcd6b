from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "waypoint.reviews"
    label = "reviews"
    verbose_name = "Care plan and CPA reviews"

    def ready(self):
        from . import extensions

        extensions.register()
