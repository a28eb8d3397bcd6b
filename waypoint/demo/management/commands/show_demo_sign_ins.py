"""Print the demo accounts: username, role, team, the password and where to sign in."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from waypoint.accounts.models import User
from waypoint.demo.management.commands.build_demo_trust import STAFF

URL = "http://127.0.0.1:8000"  # `make demo` passes the address it serves on (HOST and PORT)


def role_label(role_codes, profession) -> str:
    """For example "Care coordinator (nurse)"; the profession is left out when the role says it."""
    label = ", ".join(code.label for code in role_codes)
    if not profession or profession.label.lower() in label.lower():
        return label
    return (
        f"{label}, {profession.label.lower()}"
        if label.endswith(")")
        else f"{label} ({profession.label.lower()})"
    )


class Command(BaseCommand):
    help = "Print the demo sign-ins (usernames, roles, teams and the demo password)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=URL, help=f"Where Waypoint is served (default {URL})")

    def handle(self, **options):
        password = settings.WAYPOINT_DEMO_PASSWORD
        url = options.get("url") or URL
        rows = [
            (username, role_label(roles, profession), team or "–")
            for username, _first, _last, roles, profession, team in STAFF
        ]
        widths = [max(len(row[column]) for row in [("Username", "Role", "Team"), *rows]) for column in (0, 1)]
        write = self.stdout.write
        write("")
        write(f"Waypoint demo – synthetic data only – sign in at {url}")
        write(f"Password for every demo account: {password}")
        write(
            "(set the WAYPOINT_DEMO_PASSWORD environment variable before the accounts are first "
            "created to choose another)"
        )
        if self.password_differs(password):
            write(
                self.style.WARNING(
                    "The demo accounts in this database were created with a different password. "
                    "Delete the database and build the demo again to use the one above."
                )
            )
        write("")
        write(f"{'Username':<{widths[0]}}  {'Role':<{widths[1]}}  Team")
        write(f"{'-' * widths[0]}  {'-' * widths[1]}  ----")
        for username, role, team in rows:
            write(f"{username:<{widths[0]}}  {role:<{widths[1]}}  {team}")
        write("")

    def password_differs(self, password) -> bool:
        """True when the demo accounts exist but do not accept the configured password."""
        try:
            user = User.objects.filter(username=STAFF[0][0]).first()
        except DatabaseError:  # not migrated yet
            return False
        return user is not None and not user.check_password(password)
