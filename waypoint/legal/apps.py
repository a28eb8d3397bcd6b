from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "waypoint.legal"
    label = "legal"
    verbose_name = "Legal status: Mental Health Act, section 117 aftercare, the AMHP service, DoLS"

    def ready(self):
        from . import extensions

        extensions.register()
