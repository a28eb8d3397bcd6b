"""Turn read-only mode on or off, or say whether it is on (docs/continuity.md).

    manage.py read_only on --reason "Database upgrade, 18:00 to 19:00"
    manage.py read_only off
    manage.py read_only status

It writes or removes the flag file (WAYPOINT_READ_ONLY_FILE) and never touches the database, so it
works while the database refuses writes. Every Waypoint server must see the same file (a shared
folder), or the command is run on each.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from waypoint.continuity import spool, state


class Command(BaseCommand):
    help = "Turn read-only mode on or off (changes paused, every page readable), or show its status."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["on", "off", "status"])
        parser.add_argument("--reason", default="", help="Why (kept in the flag file, shown by status).")

    def handle(self, *args, what, reason, **options):
        if what == "on":
            now = state.turn_on(reason=reason, by=_operator())
            self.stdout.write(
                f"Read-only mode is on (flag file {state.flag_path()}, since {now.since:%Y-%m-%d %H:%M:%S} UTC)."
            )
            return
        if what == "off":
            removed = state.turn_off()
            current = state.current()
            if current is not None:
                raise CommandError(
                    "The flag file is gone, but WAYPOINT_READ_ONLY is set: Waypoint stays read-only "
                    "until that setting is removed and the servers restarted."
                )
            self.stdout.write("Read-only mode is off." if removed else "Read-only mode was already off.")
            waiting = spool.count_pending()
            if waiting:
                self.stdout.write(
                    f"{waiting} audit rows are waiting in the spool: run `manage.py load_audit_spool` now."
                )
            return
        current = state.current()
        if current is None:
            self.stdout.write("Read-only mode is off.")
        else:
            since = f" since {current.since:%Y-%m-%d %H:%M:%S} UTC" if current.since else ""
            who = f" by {current.by}" if current.by else ""
            why = f" ({current.reason})" if current.reason else ""
            self.stdout.write(f"Read-only mode is on{since}{who}{why}, from the {current.source}.")
        self.stdout.write(f"Audit rows waiting in the spool: {spool.count_pending()}.")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
