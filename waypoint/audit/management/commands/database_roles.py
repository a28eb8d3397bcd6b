"""Waypoint's two PostgreSQL roles (hazard H3): `setup`, `url` and `check`.

    manage.py database_roles setup [--demo]   # connected (DATABASE_URL) as a superuser
    manage.py database_roles url owner|app [--demo]
    manage.py database_roles check            # connected as the role the service will use

The roles come from `WAYPOINT_DB_OWNER_URL` and `WAYPOINT_DB_APP_URL` (postgres://role:password@host/db).
With `--demo` (what `make demo` passes), either may be left unset: it is then DATABASE_URL with the
role `waypoint_owner` or `waypoint_app` and a demo password. Never use `--demo` for real data.
"""

from urllib.parse import quote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from waypoint.audit import dbroles
from waypoint.config.env import env_postgres_role_url

ROLES = {
    "owner": ("WAYPOINT_DB_OWNER_URL", "waypoint_owner", "waypoint-owner-demo-only"),
    "app": ("WAYPOINT_DB_APP_URL", "waypoint_app", "waypoint-app-demo-only"),
}


def demo_url(base_url: str, user: str, password: str) -> str:
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def role_url(which: str, *, demo: bool) -> str:
    """The URL to connect as this role, from its variable, or (with --demo) made from DATABASE_URL."""
    import os

    variable, demo_user, demo_password = ROLES[which]
    if env_postgres_role_url(variable) is not None:
        return os.environ[variable].strip()
    if not demo:
        raise CommandError(f"{variable} must be set (postgres://role:password@host/database).")
    if connection.vendor != "postgresql":
        raise CommandError("Database roles are for PostgreSQL: DATABASE_URL is not a PostgreSQL URL.")
    return demo_url(os.environ.get("DATABASE_URL", "").strip(), demo_user, demo_password)


def role_config(which: str, *, demo: bool) -> dict:  # a dj_database_url DBConfig (a TypedDict)
    import dj_database_url

    return dict(dj_database_url.parse(role_url(which, demo=demo)))


class Command(BaseCommand):
    help = "Set up, name or check Waypoint's PostgreSQL owner and application roles (hazard H3)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        setup = sub.add_parser(
            "setup", help="Create or repair both roles and their privileges (as a superuser)."
        )
        setup.add_argument("--demo", action="store_true", help="Demo role names and passwords if unset.")
        url = sub.add_parser("url", help="Print the URL to connect as the owner or application role.")
        url.add_argument("which", choices=sorted(ROLES))
        url.add_argument("--demo", action="store_true", help="Demo role names and passwords if unset.")
        sub.add_parser("check", help="Refuse if the connected role is a superuser or owns Waypoint's tables.")

    def handle(self, *args, action, **options):
        try:
            if action == "url":
                self.stdout.write(role_url(options["which"], demo=options["demo"]))
            elif action == "setup":
                self.setup(demo=options["demo"])
            else:
                dbroles.refuse_privileged_role()
                if connection.vendor == "postgresql":
                    self.stdout.write(
                        f"The database role {connection.settings_dict['USER']!r} may run Waypoint: "
                        "not a superuser, owns nothing, cannot change or empty the audit table."
                    )
                else:
                    self.stdout.write("SQLite has no database roles: nothing to check.")
        except (dbroles.RoleSetupError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from None

    def setup(self, *, demo):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL: DATABASE_URL is not a PostgreSQL URL.")
        owner = role_config("owner", demo=demo)
        app = role_config("app", demo=demo)
        database = connection.settings_dict["NAME"]
        for which, config in (("owner", owner), ("app", app)):
            if config["NAME"] != database:
                raise CommandError(
                    f"The {which} role's URL names the database {config['NAME']!r}, "
                    f"but DATABASE_URL names {database!r}: they must be the same database."
                )
        connection.ensure_connection()
        dbroles.setup_roles(
            connection.connection,
            owner=owner["USER"],
            owner_password=owner.get("PASSWORD") or None,
            app=app["USER"],
            app_password=app.get("PASSWORD") or None,
        )
        self.stdout.write(
            f"Database roles ready in {database!r}: {owner['USER']!r} owns the tables (run migrations "
            f"as it), {app['USER']!r} runs Waypoint (SELECT and INSERT only on the audit table, no TRUNCATE)."
        )
