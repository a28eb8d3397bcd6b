from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "waypoint.jobs"
    label = "jobs"
    verbose_name = "Background jobs: long work run by the task framework, with progress"
