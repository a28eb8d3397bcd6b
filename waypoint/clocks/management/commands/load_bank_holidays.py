"""Load bank holidays from a JSON file into BankHoliday (create or retitle; never delete).

    manage.py load_bank_holidays waypoint/clocks/data/bank-holidays-england-and-wales.json
    curl -sO https://www.gov.uk/bank-holidays.json
    manage.py load_bank_holidays bank-holidays.json --division england-and-wales

Reads our list format ([{"date": "YYYY-MM-DD", "title": "..."}]) or GOV.UK's bank-holidays.json.
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand, CommandError

from waypoint.clocks.bank_holidays import BankHolidayFileError, read_bank_holidays, upsert_bank_holidays
from waypoint.clocks.models import Division


class Command(BaseCommand):
    help = "Load bank holidays from our JSON list or GOV.UK's bank-holidays.json (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file: a list of {date, title} or GOV.UK's bank-holidays.json")
        parser.add_argument(
            "--division",
            default=Division.ENGLAND_AND_WALES.value,
            choices=Division.values,
            help="Which division the holidays belong to (default: england-and-wales)",
        )

    def handle(self, *args, path, division, **options):
        try:
            rows = read_bank_holidays(path, division)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except BankHolidayFileError as exc:
            raise CommandError(str(exc)) from None
        result = upsert_bank_holidays(rows, division)
        self.stdout.write(
            self.style.SUCCESS(
                f"{division}: {len(rows)} bank holidays read; {result.created} added, "
                f"{result.updated} retitled, {result.unchanged} already up to date."
            )
        )
