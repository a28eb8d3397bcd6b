"""Writes to incidents. Each operation is atomic, takes the acting user, locks the incident where
it changes one, and audits: one row for each person on Waypoint named in the incident (so it is in
their access history), or one row with no person when nobody is named. Field names only."""

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.tasks import services as tasks

from .models import Incident, IncidentAction, IncidentAddendum, IncidentPerson, InvolvedRole, Status

REPORT = "report_incident"
REVIEW = "review_incident"
REPORT_FIELDS = ["occurred_at", "location", "category", "harm", "what_happened", "immediate_actions"]


class IncidentError(Exception):
    """The incident's state refuses this change (the message is shown as it is)."""


class NotATaskHolder(IncidentError):
    def __init__(self, owner):
        super().__init__(
            f"{owner.display_name} cannot be given tasks in this team: choose a care coordinator, support "
            "worker or student, or keep the action on this incident only."
        )


class StaleEdit(IncidentError):
    def __init__(self):
        super().__init__(
            "Someone else changed this incident after you opened this page. Your changes have not been "
            "saved: they are still below. Check the incident, then save again."
        )


def _audit(by: Actor, incident: Incident, *, action, fields, record_type=RecordType.INCIDENT):
    links = list(IncidentPerson.objects.filter(incident=incident).select_related("person"))
    people: list = [link.person for link in links] or [None]
    for person in people:
        audit.write(
            by,
            action=action,
            record_type=record_type,
            person=person,
            record_id=incident.pk,
            fields_changed=fields,
        )


def _locked(incident: Incident, version: int | None = None) -> Incident:
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    if current.entered_in_error:
        raise IncidentError("This incident was marked as entered in error: add an addendum instead.")
    if version is not None and current.version != version:
        raise StaleEdit()
    return current


@transaction.atomic
def report_incident(*, by: Actor, team, data: dict, people=(), staff=()) -> Incident:
    """`people`: Person rows found by NHS number (each recorded as affected)."""
    permissions.require(by, REPORT)
    incident = Incident.objects.create(
        team=team,
        occurred_at=data["occurred_at"],
        location=data["location"],
        category=data["category"],
        harm=data["harm"],
        what_happened=data["what_happened"],
        immediate_actions=data["immediate_actions"],
        others_involved=data.get("others_involved", ""),
        reported_by=by.user,
        reported_at=timezone.now(),
    )
    incident.staff_involved.set(staff)
    IncidentPerson.objects.bulk_create(
        [IncidentPerson(incident=incident, person=person, role=InvolvedRole.AFFECTED) for person in people]
    )
    fields = REPORT_FIELDS + [
        name
        for name, value in (
            ("others_involved", data.get("others_involved")),
            ("staff_involved", staff),
            ("people", people),
        )
        if value
    ]
    _audit(by, incident, action=Action.CREATE, fields=fields)
    return incident


@transaction.atomic
def review_incident(*, by: Actor, incident: Incident, findings: str, lessons: str, version: int) -> Incident:
    permissions.require(by, REVIEW)
    current = _locked(incident, version)
    if current.is_closed:
        raise IncidentError("This incident is closed: add an addendum instead.")
    current.findings, current.lessons = findings, lessons
    if current.status == Status.REPORTED:
        current.status = Status.REVIEWED
    current.reviewed_by = by.user
    current.reviewed_at = timezone.now()
    current.version += 1
    current.save()
    _audit(
        by,
        current,
        action=Action.REVIEW,
        fields=["findings", "lessons", "reviewed_at", "reviewed_by", "status"],
    )
    return current


@transaction.atomic
def add_action(*, by: Actor, incident: Incident, what: str, owner, due_on, person=None) -> IncidentAction:
    """An action from the review. With `person` (one of the people on Waypoint the incident names)
    it is also a delegated task about them, given to `owner` through `tasks.services.delegate_task`
    in the same transaction: in the owner's My tasks, and on the person's worklist once overdue.
    If the task is refused (the owner cannot be given tasks in the team), nothing is saved."""
    permissions.require(by, REVIEW)
    current = _locked(incident)
    if current.is_closed:
        raise IncidentError("This incident is closed: add an addendum instead.")
    task = None
    if person is not None:
        if not IncidentPerson.objects.filter(incident=current, person=person).exists():
            raise IncidentError("A task can only be about a person named in this incident.")
        try:
            task = tasks.delegate_task(
                by=by,
                person=person,
                team=current.team,
                assigned_to=owner,
                data={
                    "what": what[:200],
                    "why": f"An action from the review of incident {current.reference}.",
                    "due_on": due_on,
                    "source_description": f"Incident {current.reference} review",
                },
            )
        except tasks.NotAssignable as exc:
            raise NotATaskHolder(owner) from exc
    action = IncidentAction.objects.create(
        incident=current, what=what, owner=owner, due_on=due_on, added_by=by.user, task=task
    )
    _audit(by, current, action=Action.CREATE, fields=["actions"] + (["task"] if task else []))
    return action


@transaction.atomic
def record_candour(*, by: Actor, incident: Incident, data: dict, version: int) -> Incident:
    permissions.require(by, REVIEW)
    current = _locked(incident, version)
    if current.is_closed:
        raise IncidentError("This incident is closed: add an addendum with the dates instead.")
    changed = []
    for name in ("candour_in_person_on", "candour_in_writing_on", "candour_notes"):
        value = data.get(name)
        if name == "candour_notes":
            value = value or ""
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if changed:
        current.version += 1
        current.save()
        _audit(by, current, action=Action.UPDATE, fields=changed)
    return current


@transaction.atomic
def close_incident(*, by: Actor, incident: Incident, version: int) -> Incident:
    permissions.require(by, REVIEW)
    current = _locked(incident, version)
    if current.status != Status.REVIEWED:
        raise IncidentError("Record the review before closing the incident.")
    if current.candour_required and not current.candour_done and not current.candour_notes.strip():
        raise IncidentError(
            "This incident caused moderate harm or worse: record when the person was told in person and in "
            "writing (the duty of candour), or why not, before closing it."
        )
    current.status = Status.CLOSED
    current.closed_by = by.user
    current.closed_at = timezone.now()
    current.version += 1
    current.save()
    _audit(by, current, action=Action.COMPLETE, fields=["closed_at", "closed_by", "status"])
    return current


@transaction.atomic
def add_addendum(*, by: Actor, incident: Incident, text: str) -> IncidentAddendum:
    permissions.require(by, REPORT)
    addendum = IncidentAddendum.objects.create(incident=incident, text=text, written_by=by.user)
    _audit(by, incident, action=Action.CREATE, fields=["addenda"])
    return addendum


@transaction.atomic
def mark_entered_in_error(*, by: Actor, incident: Incident, reason: str) -> Incident:
    permissions.require(by, REPORT)
    current = _locked(incident)
    current.entered_in_error_reason = reason
    current.entered_in_error_by = by.user
    current.entered_in_error_at = timezone.now()
    current.version += 1
    current.save()
    _audit(
        by,
        current,
        action=Action.ENTERED_IN_ERROR,
        fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    return current
