"""Load the medicines reference list from a CSV file (the `import_medicines` command).

Columns: code (dm+d code), name, form, strength, route, antipsychotic (yes/no),
long_acting_injection (yes/no), observation_minutes (post-injection observation, e.g. 180 for
olanzapine embonate). A row with an existing code updates it; nothing is deleted, because
medicines already recorded point at their reference row.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import MedicineReference

COLUMNS = [
    "code",
    "name",
    "form",
    "strength",
    "route",
    "antipsychotic",
    "long_acting_injection",
    "observation_minutes",
]
DEMO_FILE = Path(__file__).parent / "data" / "synthetic_medicines.csv"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def _yes(value: str) -> bool:
    return (value or "").strip().lower() in {"yes", "y", "true", "1"}


@transaction.atomic
def import_medicines(path, *, synthetic=False) -> ImportResult:
    result = ImportResult()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("code", "name") if c not in (reader.fieldnames or [])]
        if missing:
            result.problems.append(f"The file has no {' or '.join(missing)} column")
            return result
        for line, row in enumerate(reader, start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            if not code or not name:
                result.problems.append(f"Line {line}: a code and a name are needed")
                continue
            minutes = (row.get("observation_minutes") or "0").strip() or "0"
            if not minutes.isdigit() or int(minutes) > 1440:
                result.problems.append(f"Line {line}: observation minutes must be a whole number up to 1440")
                continue
            _, created = MedicineReference.objects.update_or_create(
                code=code[:20],
                defaults={
                    "name": name[:200],
                    "form": (row.get("form") or "").strip()[:100],
                    "strength": (row.get("strength") or "").strip()[:100],
                    "route": (row.get("route") or "").strip()[:50],
                    "is_antipsychotic": _yes(row.get("antipsychotic", "")),
                    "is_long_acting_injection": _yes(row.get("long_acting_injection", "")),
                    "post_injection_observation_minutes": int(minutes),
                    "synthetic": synthetic,
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
