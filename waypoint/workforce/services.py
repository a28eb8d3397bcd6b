"""Writes to workforce records. Each operation is atomic, takes the acting user (`by`) and audits.

The audit's subject is the member of staff: `record_id` is their user id and the record type is
one of the `STAFF_*` types (no person). Audit rows carry field names only, never the text.
Caseload supervision also writes a signed note on each person discussed (notes services) and a
task for each action (tasks services); those are audited against the person, as any note is.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.notes import services as notes
from waypoint.notes.models import NoteType
from waypoint.tasks import services as tasks

from .access import require_may_manage_catalogue, require_may_record
from .models import (
    Appraisal,
    AppraisalProgress,
    Approval,
    ApprovalHours,
    CaseDiscussion,
    Course,
    DbsCheck,
    LineManagement,
    Placement,
    ProfessionalRegistration,
    Supervision,
    SupervisionKind,
    TrainingCompletion,
    TrainingMethod,
)


class StaleEdit(Exception):
    """The record was changed by someone else after the form was opened."""

    def __init__(self, current_version: int):
        super().__init__(
            "Someone else changed this record after you opened the page. Nothing has been saved: "
            "what you typed is still below. Check it, then save again."
        )
        self.current_version = current_version


def _audit_staff(by: Actor, staff_id: int, record_type: RecordType, action: str, fields) -> None:
    audit.write(by, action=action, record_type=record_type, record_id=staff_id, fields_changed=list(fields))


def _locked(model, pk: int, version: int | None):
    current = model.objects.select_for_update().get(pk=pk)
    if version is None or current.version != version:
        raise StaleEdit(current.version)
    return current


def _apply(record, data: dict) -> list[str]:
    changed = []
    for name, value in data.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def set_line_manager(*, by: Actor, staff, manager, started_on: date | None = None) -> LineManagement:
    """From `started_on` (today), `manager` line manages `staff`; the current line management ends."""
    require_may_record(by, staff, "line_manager")
    started_on = started_on or timezone.localdate()
    for current in LineManagement.objects.select_for_update().current(started_on).filter(staff=staff):
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    line = LineManagement.objects.create(staff=staff, manager=manager, started_on=started_on)
    _audit_staff(by, staff.pk, RecordType.STAFF_LINE_MANAGER, Action.CREATE, ["manager", "started_on"])
    return line


REGISTRATION_FIELDS = ("body", "number", "registered_on", "expires_on", "renewal_due_on")


@transaction.atomic
def record_registration(*, by: Actor, staff, data: dict) -> ProfessionalRegistration:
    require_may_record(by, staff, "registration")
    registration = ProfessionalRegistration.objects.create(
        staff=staff, recorded_by=by.user, **{name: data.get(name) for name in REGISTRATION_FIELDS}
    )
    fields = [name for name in REGISTRATION_FIELDS if data.get(name) not in (None, "")]
    _audit_staff(by, staff.pk, RecordType.STAFF_REGISTRATION, Action.CREATE, fields)
    return registration


@transaction.atomic
def update_registration(
    *, by: Actor, registration: ProfessionalRegistration, data: dict, version: int | None
) -> tuple[ProfessionalRegistration, list[str]]:
    """Renewal or correction of a registration (new expiry, revalidation date)."""
    require_may_record(by, registration.staff, "registration")
    current = _locked(ProfessionalRegistration, registration.pk, version)
    changed = _apply(current, {name: data.get(name) for name in REGISTRATION_FIELDS})
    if not changed:
        return current, []
    current.version += 1
    current.save()
    _audit_staff(by, current.staff_id, RecordType.STAFF_REGISTRATION, Action.UPDATE, changed)
    return current, changed


DBS_FIELDS = ("checked_on", "level", "certificate_number", "update_service")


@transaction.atomic
def record_dbs(*, by: Actor, staff, data: dict) -> DbsCheck:
    require_may_record(by, staff, "dbs")
    check = DbsCheck.objects.create(
        staff=staff, recorded_by=by.user, **{name: data.get(name) for name in DBS_FIELDS}
    )
    _audit_staff(by, staff.pk, RecordType.STAFF_DBS, Action.CREATE, [n for n in DBS_FIELDS if data.get(n)])
    return check


APPROVAL_FIELDS = (
    "kind",
    "approving_authority",
    "approved_from",
    "approved_until",
    "hours_required_per_year",
    "other_requirements",
)


@transaction.atomic
def record_approval(*, by: Actor, staff, data: dict) -> Approval:
    require_may_record(by, staff, "approval")
    approval = Approval.objects.create(
        staff=staff, recorded_by=by.user, **{name: data.get(name) for name in APPROVAL_FIELDS}
    )
    _audit_staff(
        by, staff.pk, RecordType.STAFF_APPROVAL, Action.CREATE, [n for n in APPROVAL_FIELDS if data.get(n)]
    )
    return approval


@transaction.atomic
def record_approval_hours(*, by: Actor, approval: Approval, data: dict) -> ApprovalHours:
    require_may_record(by, approval.staff, "approval_hours")
    entry = ApprovalHours.objects.create(
        approval=approval,
        recorded_by=by.user,
        done_on=data["done_on"],
        hours=data["hours"],
        activity=data["activity"],
    )
    _audit_staff(by, approval.staff_id, RecordType.STAFF_APPROVAL, Action.UPDATE, ["hours"])
    return entry


COURSE_FIELDS = ("name", "required_roles", "valid_for_months", "is_active")


@transaction.atomic
def save_course(*, by: Actor, data: dict, course: Course | None = None, version: int | None = None) -> Course:
    """Add a course to the Trust's catalogue, or change one (version checked)."""
    require_may_manage_catalogue(by)
    values = {name: data.get(name) for name in COURSE_FIELDS}
    values["required_roles"] = sorted(values["required_roles"] or [])
    if course is None:
        course = Course.objects.create(**values)
        audit.write(
            by,
            action=Action.CREATE,
            record_type=RecordType.TRAINING_COURSE,
            record_id=course.pk,
            fields_changed=list(values),
        )
        return course
    current = _locked(Course, course.pk, version)
    changed = _apply(current, values)
    if changed:
        current.version += 1
        current.save()
        audit.write(
            by,
            action=Action.UPDATE,
            record_type=RecordType.TRAINING_COURSE,
            record_id=current.pk,
            fields_changed=changed,
        )
    return current


COMPLETION_FIELDS = ("completed_on", "method", "evidence")


@transaction.atomic
def record_completion(*, by: Actor, staff, course: Course, data: dict) -> TrainingCompletion:
    require_may_record(by, staff, "training")
    completion, _ = TrainingCompletion.objects.get_or_create(
        staff=staff,
        course=course,
        completed_on=data["completed_on"],
        defaults={"method": data["method"], "evidence": data.get("evidence") or "", "recorded_by": by.user},
    )
    _audit_staff(
        by, staff.pk, RecordType.STAFF_TRAINING, Action.CREATE, [n for n in COMPLETION_FIELDS if data.get(n)]
    )
    return completion


@dataclass
class ImportResult:
    created: int
    already_there: int
    problems: list[str]


@transaction.atomic
def import_completions(*, by, rows: list[dict]) -> ImportResult:
    """Completions from the learning system: rows already checked (`training_import.parse`), with
    `staff`, `course`, `completed_on` and `evidence`. A completion already held is not repeated.
    One audit row per member of staff whose record gained completions."""
    created = already = 0
    staff_ids = set()
    for row in rows:
        _, made = TrainingCompletion.objects.get_or_create(
            staff=row["staff"],
            course=row["course"],
            completed_on=row["completed_on"],
            defaults={
                "method": TrainingMethod.IMPORTED,
                "evidence": row.get("evidence", ""),
                "recorded_by": by.user,
            },
        )
        if made:
            created += 1
            staff_ids.add(row["staff"].pk)
        else:
            already += 1
    for staff_id in sorted(staff_ids):
        _audit_staff(
            by, staff_id, RecordType.STAFF_TRAINING, Action.CREATE, ["completed_on", "method", "evidence"]
        )
    return ImportResult(created, already, [])


SUPERVISION_FIELDS = ("kind", "held_on", "themes", "wellbeing", "actions", "next_on")


@transaction.atomic
def record_supervision(*, by: Actor, supervisor, supervisees: list, data: dict, team=None) -> Supervision:
    """One session: one supervisee (clinical, managerial, caseload) or several (group, reflective).
    One audit row per supervisee (the subject of the record)."""
    if not supervisees:
        raise ValueError("A supervision needs at least one supervisee")
    supervision = Supervision.objects.create(
        supervisor=supervisor,
        team=team,
        recorded_by=by.user,
        **{
            name: data.get(name) if data.get(name) is not None else ""
            for name in SUPERVISION_FIELDS
            if name != "next_on"
        },
        next_on=data.get("next_on"),
    )
    supervision.supervisees.set(supervisees)
    fields = [n for n in SUPERVISION_FIELDS if data.get(n)] + ["supervisor", "supervisees"]
    for staff in supervisees:
        _audit_staff(by, staff.pk, RecordType.STAFF_SUPERVISION, Action.CREATE, fields)
    return supervision


@dataclass
class CaseItem:
    """One person discussed in caseload supervision. `actor`: the acting user's basis for that
    person (the view works it out with `access.policy.acting_on`), so the note and the task are
    audited as any change to that person's record is."""

    person: Any  # patients.Person
    actor: Actor
    discussion: str
    action: str = ""
    action_due_on: date | None = None


@transaction.atomic
def record_caseload_supervision(
    *, by: Actor, supervisee, team, data: dict, cases: list[CaseItem]
) -> Supervision:
    """Caseload supervision of `supervisee` by the signed-in user: the session, a signed note on
    each person discussed, and a task for the supervisee for each action."""
    supervision = record_supervision(
        by=by,
        supervisor=by.user,
        supervisees=[supervisee],
        data={**data, "kind": SupervisionKind.CASELOAD},
        team=team,
    )
    for case in cases:
        text = f"Discussed in caseload supervision with {supervisee.display_name}.\n\n{case.discussion}"
        if case.action:
            text += f"\n\nAction: {case.action}"
        note = notes.start_note(by=case.actor, person=case.person, note_type=NoteType.OTHER, team=team)
        note = notes.sign_note(by=case.actor, note=note, data={"text": text}, version=note.version)
        task = None
        if case.action:
            task = tasks.delegate_task(
                by=case.actor,
                person=case.person,
                team=team,
                assigned_to=supervisee,
                data={
                    "what": case.action[:200],
                    "why": "Agreed in caseload supervision",
                    "due_on": case.action_due_on or timezone.localdate(),
                    "source_description": "Caseload supervision",
                },
            )
        CaseDiscussion.objects.create(supervision=supervision, person=case.person, note=note, task=task)
    return supervision


APPRAISAL_FIELDS = ("held_on", "objectives", "development_needs", "development_plan", "next_due_on")


@transaction.atomic
def record_appraisal(*, by: Actor, staff, appraiser, data: dict) -> Appraisal:
    require_may_record(by, staff, "appraisal")
    appraisal = Appraisal.objects.create(
        staff=staff,
        appraiser=appraiser,
        recorded_by=by.user,
        **{name: data.get(name) if data.get(name) is not None else "" for name in APPRAISAL_FIELDS},
    )
    fields = [n for n in APPRAISAL_FIELDS if data.get(n)] + ["appraiser"]
    _audit_staff(by, staff.pk, RecordType.STAFF_APPRAISAL, Action.CREATE, fields)
    return appraisal


@transaction.atomic
def add_appraisal_progress(*, by: Actor, appraisal: Appraisal, data: dict) -> AppraisalProgress:
    require_may_record(by, appraisal.staff, "appraisal_progress")
    progress = AppraisalProgress.objects.create(
        appraisal=appraisal, reviewed_on=data["reviewed_on"], text=data["text"], recorded_by=by.user
    )
    _audit_staff(by, appraisal.staff_id, RecordType.STAFF_APPRAISAL, Action.UPDATE, ["progress"])
    return progress


PLACEMENT_FIELDS = (
    "team",
    "profession",
    "university",
    "year_of_study",
    "starts_on",
    "ends_on",
    "practice_supervisor",
    "practice_assessor",
)
ASSESSMENT_FIELDS = ("midpoint_on", "midpoint_outcome", "final_on", "final_outcome")


@transaction.atomic
def record_placement(*, by: Actor, student, data: dict) -> Placement:
    require_may_record(by, student, "placement")
    placement = Placement.objects.create(
        student=student, recorded_by=by.user, **{name: data[name] for name in PLACEMENT_FIELDS}
    )
    _audit_staff(by, student.pk, RecordType.STAFF_PLACEMENT, Action.CREATE, list(PLACEMENT_FIELDS))
    return placement


@transaction.atomic
def record_placement_assessments(
    *, by: Actor, placement: Placement, data: dict, version: int | None
) -> tuple[Placement, list[str]]:
    """The midpoint and final assessments (dates and outcomes), version checked."""
    require_may_record(by, placement.student, "placement")
    current = _locked(Placement, placement.pk, version)
    values = {
        "midpoint_on": data.get("midpoint_on"),
        "midpoint_outcome": data.get("midpoint_outcome") or "",
        "final_on": data.get("final_on"),
        "final_outcome": data.get("final_outcome") or "",
    }
    changed = _apply(current, values)
    if not changed:
        return current, []
    current.version += 1
    current.save()
    _audit_staff(by, current.student_id, RecordType.STAFF_PLACEMENT, Action.UPDATE, changed)
    return current, changed
