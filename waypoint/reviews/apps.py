from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "waypoint.reviews"
    label = "reviews"
    verbose_name = "Care plan and CPA reviews"
