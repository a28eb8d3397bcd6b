from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "waypoint.referrals"
    label = "referrals"
    verbose_name = "Referrals, triage and the waiting list"

    def ready(self):
        from . import extensions

        extensions.register()
