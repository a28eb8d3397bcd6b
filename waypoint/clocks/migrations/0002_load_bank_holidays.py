"""Load the bundled England and Wales bank holidays (2020-2030) into BankHoliday.

Self-contained on purpose: it reads the JSON list in `waypoint/clocks/data/` and upserts with the
historical model, so it keeps working whatever later happens to the app's own code. Later years, or
one-off holidays proclaimed after this was written, are loaded with `manage.py load_bank_holidays`.
"""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DIVISION = "england-and-wales"
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "bank-holidays-england-and-wales.json"


def _rows():
    return [
        (date.fromisoformat(row["date"]), row["title"]) for row in json.loads(DATA_FILE.read_text("utf-8"))
    ]


def load(apps, schema_editor):
    BankHoliday = apps.get_model("clocks", "BankHoliday")
    for day, title in _rows():
        BankHoliday.objects.update_or_create(division=DIVISION, date=day, defaults={"title": title})


def unload(apps, schema_editor):
    BankHoliday = apps.get_model("clocks", "BankHoliday")
    BankHoliday.objects.filter(division=DIVISION, date__in=[day for day, _ in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
