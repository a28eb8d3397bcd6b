"""Build the monthly MHSDS submission for a reporting period and write one CSV per table."""

from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.reports import mhsds
from waypoint.reports.tasks import as_csv


def month_bounds(period: str) -> tuple[date, date]:
    try:
        year, month = (int(part) for part in period.split("-"))
        start = date(year, month, 1)
    except (ValueError, TypeError):
        raise CommandError("--period must be a month, for example 2026-11") from None
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


class Command(BaseCommand):
    help = "Write the MHSDS submission (v6 structure) for a month: one CSV per table and validation.csv."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the reporting month, for example 2026-11")
        parser.add_argument("--out", required=True, help="the folder to write the files to")

    def handle(self, period, out, **options):
        start, end = month_bounds(period)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        extract = mhsds.build(start, end)
        with transaction.atomic():
            audit.write(
                audit.SYSTEM, action=Action.EXPORT, record_type=RecordType.MHSDS_EXTRACT, record_id=period
            )
        for name, (columns, rows) in extract.tables.items():
            (folder / f"{name}.csv").write_text(as_csv(columns, rows), encoding="utf-8")
            self.stdout.write(f"{name}: {len(rows)} rows")
        failures = [[f.table, f.record, f.item, f.problem] for f in extract.failures]
        (folder / "validation.csv").write_text(
            as_csv(["Table", "Record", "DataItem", "Problem"], failures), encoding="utf-8"
        )
        self.stdout.write(f"{len(failures)} records would fail validation: see validation.csv")
