from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.services import import_staff_csv


class Command(BaseCommand):
    help = "Import staff from a CSV file with columns: name, email, roles (separated by ;), team, profession."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument(
            "--password",
            help="Initial password for new accounts. Without it, new accounts cannot sign in until one is set.",
        )

    def handle(self, csv_path, password=None, **options):
        try:
            with open(csv_path, newline="", encoding="utf-8-sig") as handle:
                result = import_staff_csv(handle, default_password=password)
        except FileNotFoundError:
            raise CommandError(f"No file at {csv_path}.") from None
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(
            f"Created {len(result.created)}, updated {len(result.updated)}, errors {len(result.errors)}."
        )
        if result.errors:
            raise CommandError("Some rows were not imported; see the messages above.")
