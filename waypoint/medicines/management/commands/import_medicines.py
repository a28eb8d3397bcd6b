from django.core.management.base import BaseCommand, CommandError

from waypoint.medicines.importer import DEMO_FILE, import_medicines


class Command(BaseCommand):
    help = "Load the medicines reference list from a CSV file (or --demo: the synthetic list)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="CSV file: code,name,form,strength,route,antipsychotic,long_acting_injection,observation_minutes",
        )
        parser.add_argument(
            "--demo", action="store_true", help="Load the small synthetic list shipped with Waypoint"
        )

    def handle(self, path=None, demo=False, **options):
        if not path and not demo:
            raise CommandError("Give a CSV file, or --demo")
        result = import_medicines(path or DEMO_FILE, synthetic=demo)
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(f"{result.created} medicines added, {result.updated} updated")
        if result.problems and not (result.created or result.updated):
            raise CommandError("Nothing was imported")
