from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.services import import_staff_csv


class Command(BaseCommand):
    help = "Import staff from a CSV file with columns: name, email, roles (separated by ;), team, profession."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--password",
            help="Initial password for new accounts; it must pass the password rules (12 characters "
            "or more, not a common password). Without it (or --generate-passwords), new accounts "
            "cannot sign in until one is set. Either way it must be changed at first sign-in.",
        )
        group.add_argument(
            "--generate-passwords",
            action="store_true",
            help="Give each new account its own random initial password, printed once here.",
        )

    def handle(self, csv_path, password=None, generate_passwords=False, **options):
        try:
            with open(csv_path, newline="", encoding="utf-8-sig") as handle:
                result = import_staff_csv(
                    handle, default_password=password, generate_passwords=generate_passwords
                )
        except FileNotFoundError:
            raise CommandError(f"No file at {csv_path}.") from None
        for error in result.errors:
            self.stderr.write(error)
        for username, generated in result.generated_passwords.items():
            self.stdout.write(f"{username}: {generated}")
        if result.generated_passwords:
            self.stdout.write(
                "Hand each password to its owner privately; each must be changed at first sign-in."
            )
        self.stdout.write(
            f"Created {len(result.created)}, updated {len(result.updated)}, errors {len(result.errors)}."
        )
        if result.errors:
            raise CommandError("Some rows were not imported; see the messages above.")
