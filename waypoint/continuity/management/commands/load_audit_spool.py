"""Load the audit rows spooled while the database refused them (docs/continuity.md).

    manage.py load_audit_spool

Run it once read-only mode is off and the database takes writes again. Each row keeps the time
the view happened. A spool file that has been loaded is renamed `.loaded-<time>`, so running the
command again loads nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError

from waypoint.continuity import spool


class Command(BaseCommand):
    help = "Load the audit spool (views audited while the database refused writes) into the audit table."

    def handle(self, *args, **options):
        try:
            loaded = spool.load()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {loaded} audit rows from the spool.")
