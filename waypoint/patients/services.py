"""Writes to the person index. Each operation is atomic, takes the acting user, and audits.

`by` is the acting user as one value (`access.actor.Actor`); the person index does not import
`access` (core/tests/test_app_boundaries.py), so it is not annotated here.
"""

from dataclasses import replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import Alert, Carer, Person, TeamRegistration


class DuplicateNHSNumber(Exception):
    def __init__(self, existing: Person):
        super().__init__(f"NHS number already belongs to person {existing.pk}")
        self.existing = existing


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""

    def __init__(self, current_version: int):
        super().__init__(f"Record is now at version {current_version}")
        self.current_version = current_version


def _next_local_id() -> str:
    last = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    candidate = last + 1
    while Person.objects.filter(local_id=f"WP{candidate:07d}").exists():
        candidate += 1
    return f"WP{candidate:07d}"


LOCAL_ID_ATTEMPTS = 5


def _insert_with_a_free_local_id(person: Person) -> None:
    """Save a new person, even when someone else registers a person at the same moment.

    Two registrations at once can pick the same next local ID, and two with the same NHS number
    both pass the check before either is saved. The database's unique constraints decide: the
    insert runs in a savepoint, and if it is refused, a person now holding the NHS number means
    "already registered" (`DuplicateNHSNumber`, a message on the form); otherwise the local ID was
    taken, so take the next one and try again.
    """
    for attempt in range(LOCAL_ID_ATTEMPTS):
        person.local_id = _next_local_id()
        try:
            with transaction.atomic():
                person.save(force_insert=True)
            return
        except IntegrityError:
            person.pk = None
            _check_nhs_number_free(person.nhs_number)
            if attempt == LOCAL_ID_ATTEMPTS - 1:
                raise


def _check_nhs_number_free(nhs_number, exclude_pk=None):
    if not nhs_number:
        return
    existing = Person.objects.filter(nhs_number=nhs_number).exclude(pk=exclude_pk).first()
    if existing:
        raise DuplicateNHSNumber(existing)


@transaction.atomic
def register_person(*, by, data: dict, team=None, add_to_team_books=True) -> Person:
    """Register a new person, put them on the registering team's books (unless told not to), and audit it.

    A person registered from a referral is not put on any team's books: the open referral gives
    the receiving team its relationship until triage decides.
    """
    permissions.require(by, Do.REGISTER_PERSON)
    user = by.user
    _check_nhs_number_free(data.get("nhs_number"))
    person = Person(**data)
    _insert_with_a_free_local_id(person)
    team = team or user.primary_team()
    if add_to_team_books and team is not None:
        TeamRegistration.objects.create(person=person, team=team)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.PERSON,
        record_id=person.pk,
        fields_changed=[key for key, value in data.items() if value not in (None, "")],
    )
    return person


@transaction.atomic
def update_person(*, by, person: Person, data: dict, version: int | None) -> Person:
    """Change demographics. Refuses a stale form (someone else saved first)."""
    permissions.require(by, Do.EDIT_PERSON)
    current = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and current.version != version:
        raise StaleEdit(current.version)
    _check_nhs_number_free(data.get("nhs_number"), exclude_pk=current.pk)
    changed = [name for name, value in data.items() if getattr(current, name) != value]
    for name, value in data.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    audit.write(
        by,
        person=current,
        action=Action.UPDATE,
        record_type=RecordType.PERSON,
        record_id=current.pk,
        fields_changed=changed,
    )
    return current


@transaction.atomic
def add_carer(*, by, person: Person, data: dict) -> Carer:
    permissions.require(by, Do.ADD_CARER)
    carer = Carer.objects.create(person=person, **data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.CARER,
        record_id=carer.pk,
        fields_changed=[key for key, value in data.items() if value not in (None, "", False)],
    )
    return carer


@transaction.atomic
def add_alert(*, by, person: Person, data: dict) -> Alert:
    permissions.require(by, Do.ADD_ALERT)
    alert = Alert.objects.create(person=person, created_by=by.user, **data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.ALERT,
        record_id=alert.pk,
        fields_changed=list(data),
    )
    return alert


@transaction.atomic
def end_alert(*, by, alert: Alert) -> Alert:
    permissions.require(by, Do.ADD_ALERT)
    alert.ended_at = timezone.now()
    alert.save(update_fields=["ended_at"])
    audit.write(
        by,
        person=alert.person,
        action=Action.UPDATE,
        record_type=RecordType.ALERT,
        record_id=alert.pk,
        fields_changed=["ended_at"],
    )
    return alert


@transaction.atomic
def record_trace(*, by, person=None, reason: str, record_type=RecordType.PERSON_TRACE) -> None:
    """Audit a trace: against the person it showed (so it is in their access history), with the reason.

    A trace that showed no one (nobody matched, or more than one did) is audited without a person.
    The reason is the member of staff's own justification, kept like a break-glass reason.
    """
    audit.write(
        replace(by, break_glass_reason=reason.strip()),
        person=person,
        action=Action.SEARCH,
        record_type=record_type,
        record_id=person.pk if person else "",
    )
