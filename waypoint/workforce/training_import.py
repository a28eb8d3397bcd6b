"""Read a CSV of training completions from the Trust's learning system.

Columns (header row, any order): `username`, `course` (the course name in the catalogue),
`completed_on` (YYYY-MM-DD or DD/MM/YYYY) and optionally `evidence`. Every row is checked first;
if any row has a problem nothing is imported and each problem is listed with its row number.
"""

import csv
import io
from datetime import date, datetime

from django.db.models.functions import Lower
from django.utils import timezone

from waypoint.accounts.models import User

from .models import Course

REQUIRED = ("username", "course", "completed_on")
MAX_ROWS = 20000


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse(content: bytes) -> tuple[list[dict], list[str]]:
    """(rows ready for `services.import_completions`, problems). Three queries in all."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not UTF-8 text: save it from the learning system as CSV (UTF-8)"]
    reader = csv.DictReader(io.StringIO(text))
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        return [], [f"The first row must name the columns: missing {', '.join(missing)}"]
    raw = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            return [], [f"The file has more than {MAX_ROWS} rows: split it into smaller files"]
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        raw.append((number, clean))
    wanted = {r["username"].lower() for _, r in raw}
    users = {
        u.username.lower(): u for u in User.objects.annotate(lower=Lower("username")).filter(lower__in=wanted)
    }
    courses = {c.name.lower(): c for c in Course.objects.all()}
    today = timezone.localdate()
    rows, problems = [], []
    for number, row in raw:
        staff = users.get(row["username"].lower())
        course = courses.get(row["course"].lower())
        completed_on = _date(row["completed_on"])
        if staff is None:
            problems.append(f"Row {number}: no member of staff has the username {row['username']!r}")
        if course is None:
            problems.append(f"Row {number}: no course in the catalogue is called {row['course']!r}")
        if completed_on is None:
            problems.append(
                f"Row {number}: the completion date {row['completed_on']!r} is not a date like 2026-03-27"
            )
        elif completed_on > today:
            problems.append(f"Row {number}: the completion date is in the future")
        if staff and course and completed_on and completed_on <= today:
            rows.append(
                {
                    "staff": staff,
                    "course": course,
                    "completed_on": completed_on,
                    "evidence": row.get("evidence", "")[:200],
                }
            )
    return rows, problems
