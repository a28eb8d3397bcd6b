"""Import training completions from a CSV exported by the learning system (see training_import)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.audit.services import SYSTEM
from waypoint.workforce import services, training_import


class Command(BaseCommand):
    help = "Import training completions: columns username, course, completed_on, evidence"

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file")

    def handle(self, *args, path, **options):
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        rows, problems = training_import.parse(content)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problems: nothing was imported")
        result = services.import_completions(by=SYSTEM, rows=rows)
        self.stdout.write(
            f"{result.created} completions imported; {result.already_there} were already recorded"
        )
