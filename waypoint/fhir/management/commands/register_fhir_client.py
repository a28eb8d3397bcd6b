from django.core.management.base import BaseCommand, CommandError

from waypoint.audit.services import SYSTEM
from waypoint.fhir.services import ClientRefused, register_system_client


class Command(BaseCommand):
    help = (
        "Register a system client of the FHIR API (client credentials): a service account and an "
        "OAuth application allowed to read the resource types named. Prints the client id and secret once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="For example: Shared care record")
        parser.add_argument("--purpose", required=True, help="Why it reads Waypoint, in plain words")
        parser.add_argument(
            "--resource-types", required=True, help="Comma-separated, for example Patient,EpisodeOfCare,Flag"
        )

    def handle(self, name, purpose, resource_types, **options):
        types = [t.strip() for t in resource_types.split(",") if t.strip()]
        try:
            application, secret = register_system_client(
                by=SYSTEM, name=name, purpose=purpose, resource_types=types
            )
        except ClientRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Client id: {application.client_id}")
        self.stdout.write(
            f"Client secret (shown once; give it to the other system's administrators): {secret}"
        )
