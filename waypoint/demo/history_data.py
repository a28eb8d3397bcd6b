"""Years of history for the synthetic Trust's discharged people (issue 19).

A real Trust's record is mostly people it has discharged: each had a team, an episode of care
that ended with a discharge summary, contacts over months or years, a note for most contacts,
and the audit rows that writing and reading those left behind. `build_history` writes all of
that for the people `build_demo_trust` marks as discharged, in chunks, as plain rows: COPY on
PostgreSQL (`bulk.copy_rows`), executemany elsewhere. No model instances, no save() hooks, so a
quarter of a million people's history takes minutes, not hours.

The rows are consistent by construction (every id is reserved before it is used), so on
PostgreSQL, when the connection may (a superuser building a benchmark Trust), the foreign-key
triggers are skipped for these inserts (`session_replication_role = replica`, this transaction
only): checking 15 million deferred foreign keys at COMMIT would take longer than writing them.
As the application role (`make demo`), the checks run as normal.

All text says "(synthetic)"; no real person's data anywhere.
"""

from datetime import date, datetime, time, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.contacts.models import Attendance, Contact, LocationType, Mechanism
from waypoint.demo.bulk import copy_rows, reserve_ids, without_indexes
from waypoint.episodes.models import CareApproach, Discharge, DischargeKind, EndReason, Episode, EpisodeStatus
from waypoint.notes.models import Note, NoteStatus, NoteType
from waypoint.patients.models import TeamRegistration

CHUNK = 5000
# Contacts every VISIT_GAP days (two to four weeks) over an episode, at most MAX_VISITS of them.
VISIT_GAP = (14, 28)
# Set by `build_demo_trust -v 2`: called after each chunk with (what, people done, of, counts).
progress = None
MAX_VISITS = 45
# Per discharged person, on average: about 11 contacts, a signed note for each attended one, and
# about 3 audit rows per contact (recorded, note signed, record viewed).
ATTENDANCE = [Attendance.ATTENDED] * 8 + [Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_PERSON]
MECHANISMS = [Mechanism.FACE_TO_FACE] * 3 + [Mechanism.TELEPHONE, Mechanism.VIDEO]
LOCATIONS = [LocationType.HOME, LocationType.CLINIC, LocationType.CLINIC, LocationType.OTHER]
NOTE_TEXT = [
    "Reviewed mood and sleep; both a little better this fortnight. Plan unchanged (synthetic).",
    "Talked through the relapse signs with them; carer present and agreed (synthetic).",
    "Did not want to talk long today; agreed a phone call next week instead (synthetic).",
    "Helped with the benefits form; next step is the housing appointment (synthetic).",
    "Medication taken as prescribed; no side effects reported (synthetic).",
]
DISCHARGE_TEXT = (
    "Worked together on routine, sleep and getting back to activities. The care plan goals are met "
    "and they feel ready to manage with their GP (synthetic)."
)
BACK_IN_TOUCH = "Your GP can refer you back to us. For 28 days you can ring the team directly (synthetic)."
CRISIS = "NHS 111 – choose the mental health option\nSamaritans – 116 123\n999 in an emergency"


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _columns(model, names):
    """Database column names for these field names (`person` -> `person_id`)."""
    return [model._meta.get_field(name).column for name in names]


def _next_ids(model, count):
    if connection.vendor == "postgresql":
        return iter(reserve_ids(model, count))
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return iter(range(last + 1, last + 1 + count))


def _write(model, names, rows):
    """Rows of values (database form) into `model`'s table: COPY on PostgreSQL, executemany else."""
    if not rows:
        return 0
    columns = _columns(model, names)
    if connection.vendor == "postgresql":
        return copy_rows(model._meta.db_table, columns, rows)
    ops = connection.ops

    def adapt(value):
        if isinstance(value, datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    table = ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[adapt(value) for value in row] for row in rows])
    return len(rows)


def _skip_foreign_key_triggers():
    """On PostgreSQL as a superuser: no FK trigger events for this transaction's history rows."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def build_history(*, people, team_workers, rng, today=None) -> dict:
    """History for discharged people. `people`: (person_id, team_id) pairs; `team_workers`: team id
    -> ids of the team's clinical staff. Returns row counts per table."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(("registrations", "episodes", "discharges", "contacts", "notes", "audit"), 0)
    if not people:
        return counts
    skipped = _skip_foreign_key_triggers()
    contact_staff = Contact.staff.through
    tables = (TeamRegistration, Episode, Discharge, Contact, contact_staff, Note, AuditEvent)
    with without_indexes(*tables, minimum_rows=20_000, expected_rows=len(people)):
        _build_chunks(people, team_workers, rng, today, counts)
    counts["foreign_key_checks_skipped"] = skipped
    return counts


def _plan_discharged(chunk, team_workers, rng, today):
    plans = []
    for person_id, team_id in chunk:
        began = today - timedelta(days=rng.randint(400, 365 * 9))
        length = rng.randint(90, min(1200, (today - began).days - 30))
        ended = began + timedelta(days=length)
        visits = max(2, min(MAX_VISITS, length // rng.randint(*VISIT_GAP)))
        worker = rng.choice(team_workers[team_id])
        plans.append((person_id, team_id, began, ended, visits, worker))
    return plans


def _contacts(rows, rng, person_id, team_id, worker, began, ended, visits, contact_ids, note_ids):
    """`visits` contacts between `began` and `ended`, a signed note for each attended one, and
    their audit rows (recorded, note signed, record viewed, note read), appended to `rows`."""
    contacts, staff_rows, notes, audit = rows
    step = max(1, (ended - began).days // visits)
    for number in range(visits):
        day = began + timedelta(days=number * step + rng.randint(0, step - 1))
        at = _aware(day, rng.randint(9, 16), rng.choice((0, 30)))
        attendance = rng.choice(ATTENDANCE)
        contact_id = next(contact_ids)
        recorded = at + timedelta(hours=2)
        attended = attendance == Attendance.ATTENDED
        contacts.append(
            (
                contact_id,
                person_id,
                team_id,
                day,
                at,
                attendance,
                rng.choice(MECHANISMS),
                rng.choice(LOCATIONS),
                rng.choice((30, 45, 60)) if attended else None,
                '["care_coordination"]' if attended else "[]",
                worker,
                recorded,
                "",
                True,
                "",
            )
        )
        staff_rows.append((contact_id, worker))
        audit.append((recorded, worker, person_id, RecordType.CONTACT, str(contact_id), Action.CREATE))
        if attended:
            note_id = next(note_ids)
            signed = at + timedelta(hours=3)
            notes.append(
                (
                    note_id,
                    person_id,
                    team_id,
                    NoteType.CONTACT,
                    at,
                    rng.choice(NOTE_TEXT),
                    contact_id,
                    NoteStatus.SIGNED,
                    1,
                    worker,
                    signed,
                    signed,
                    worker,
                    signed,
                    False,
                    "",
                )
            )
            audit.append((signed, worker, person_id, RecordType.NOTE, str(note_id), Action.SIGN))
            audit.append((at, worker, person_id, RecordType.PERSON, str(person_id), Action.VIEW))
            audit.append(
                (signed + timedelta(days=1), worker, person_id, RecordType.NOTE, str(note_id), Action.VIEW)
            )


def _write_contacts(rows, counts):
    contacts, staff_rows, notes, audit = rows
    counts["contacts"] += _write(Contact, CONTACT_COLUMNS, contacts)
    _write(Contact.staff.through, ["contact", "user"], staff_rows)
    counts["notes"] += _write(Note, NOTE_COLUMNS, notes)
    counts["audit"] += write_audit(audit)


def _build_chunks(people, team_workers, rng, today, counts):
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        plans = _plan_discharged(chunk, team_workers, rng, today)
        contact_total = sum(plan[4] for plan in plans)
        episode_ids = _next_ids(Episode, len(chunk))
        discharge_ids = _next_ids(Discharge, len(chunk))
        contact_ids = _next_ids(Contact, contact_total)
        note_ids = _next_ids(Note, contact_total)
        registrations, episodes, discharges = [], [], []
        rows = ([], [], [], [])
        audit = rows[3]
        for person_id, team_id, began, ended, visits, worker in plans:
            opened_at, closed_at = _aware(began, 10), _aware(ended, 15)
            episode_id = next(episode_ids)
            registrations.append((person_id, team_id, began, ended))
            episodes.append(
                (
                    episode_id,
                    person_id,
                    team_id,
                    rng.choice((CareApproach.CPA, CareApproach.NON_CPA, CareApproach.KEYWORKER)),
                    EpisodeStatus.CLOSED,
                    began,
                    ended,
                    EndReason.DISCHARGED,
                    worker,
                    opened_at,
                    worker,
                    closed_at,
                    2,
                )
            )
            discharges.append(
                (
                    next(discharge_ids),
                    episode_id,
                    person_id,
                    DischargeKind.PLANNED,
                    "",
                    "",
                    False,
                    ended,
                    DISCHARGE_TEXT,
                    "",
                    "",
                    BACK_IN_TOUCH,
                    CRISIS,
                    worker,
                    closed_at,
                )
            )
            audit.append(
                (closed_at, worker, person_id, RecordType.EPISODE, str(episode_id), Action.DISCHARGE)
            )
            _contacts(rows, rng, person_id, team_id, worker, began, ended, visits, contact_ids, note_ids)
        counts["registrations"] += _write(
            TeamRegistration, ["person", "team", "started_on", "ended_on"], registrations
        )
        counts["episodes"] += _write(Episode, EPISODE_COLUMNS, episodes)
        counts["discharges"] += _write(Discharge, DISCHARGE_COLUMNS, discharges)
        _write_contacts(rows, counts)
        if progress:
            progress("discharged", start + len(chunk), len(people), counts)


def build_current_history(*, people, rng, today=None) -> dict:
    """Contacts, signed notes and audit rows for current people outside the demo's core (the
    numbered CMHTs of a big Trust), who skip the per-person builders. `people`: (person_id,
    team_id, worker_id, since) tuples; contacts run from `since` to yesterday. Returns counts."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(("contacts", "notes", "audit"), 0)
    if not people:
        return counts
    tables = (Contact, Contact.staff.through, Note, AuditEvent)
    with without_indexes(*tables, minimum_rows=20_000, expected_rows=len(people)):
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            plans = []
            for person_id, team_id, worker, since in chunk:
                length = max(2, (today - since).days - 1)
                visits = max(1, min(MAX_VISITS, length // rng.randint(*VISIT_GAP)))
                plans.append((person_id, team_id, worker, since, today - timedelta(days=1), visits))
            total = sum(plan[5] for plan in plans)
            contact_ids, note_ids = _next_ids(Contact, total), _next_ids(Note, total)
            rows = ([], [], [], [])
            for person_id, team_id, worker, since, until, visits in plans:
                _contacts(rows, rng, person_id, team_id, worker, since, until, visits, contact_ids, note_ids)
            _write_contacts(rows, counts)
            if progress:
                progress("current outside the core", start + len(chunk), len(people), counts)
    return counts


EPISODE_COLUMNS = [
    "id",
    "person",
    "team",
    "care_approach",
    "status",
    "started_on",
    "ended_on",
    "end_reason",
    "opened_by",
    "opened_at",
    "closed_by",
    "closed_at",
    "version",
]
DISCHARGE_COLUMNS = [
    "id",
    "episode",
    "person",
    "kind",
    "unplanned_reason",
    "reason_detail",
    "disengagement_procedure_followed",
    "discharged_on",
    "what_happened",
    "current_medication",
    "relapse_signs",
    "getting_back_in_touch",
    "crisis_numbers",
    "recorded_by",
    "recorded_at",
]
CONTACT_COLUMNS = [
    "id",
    "person",
    "team",
    "date",
    "occurred_at",
    "attendance",
    "mechanism",
    "location_type",
    "duration_minutes",
    "activities",
    "recorded_by",
    "recorded_at",
    "correction_reason",
    "is_current",
    "entered_in_error_reason",
]
NOTE_COLUMNS = [
    "id",
    "person",
    "team",
    "note_type",
    "event_at",
    "text",
    "contact",
    "status",
    "version",
    "author",
    "created_at",
    "updated_at",
    "signed_by",
    "signed_at",
    "recorded_late",
    "entered_in_error_reason",
]


def write_audit(rows) -> int:
    """Audit rows (occurred_at, user id, person id, record type, record id, action), basis team."""
    return _write(
        AuditEvent,
        [
            "occurred_at",
            "user",
            "person",
            "record_type",
            "record_id",
            "action",
            "basis",
            "break_glass_reason",
            "fields_changed",
            "path",
        ],
        [(*row, Basis.TEAM, "", "[]", "") for row in rows],
    )


def build_access_history(*, person_id, user_ids, rows=10_000, today=None) -> int:
    """`rows` audit rows of staff reading one person's record over five years: the privacy
    officer's access history page is timed on this person (issue 19: 10,000 rows)."""
    today = today or timezone.localdate()
    start = _aware(today - timedelta(days=5 * 365), 9)
    spacing = (5 * 365 * 24 * 3600) // rows
    return write_audit(
        (
            start + timedelta(seconds=spacing * number),
            user_ids[number % len(user_ids)],
            person_id,
            RecordType.PERSON,
            str(person_id),
            Action.VIEW,
        )
        for number in range(rows)
    )
