"""What audit plugs in: the deploy check that refuses a database role able to alter the audit
trail (hazard H3). Registered from AuditConfig.ready()."""


def register(app_config):
    from django.core.checks import Tags
    from django.core.checks import register as register_check

    from .dbroles import database_role_check

    register_check(database_role_check, Tags.database, deploy=True)
