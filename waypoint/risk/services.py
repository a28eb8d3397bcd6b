"""Writes to risk formulations. Each operation is atomic, takes the acting user, and audits.

Revising never changes a row: it writes the next revision. A form carries the revision it was
opened on; if someone else has written a newer one since, the save is refused (`StaleFormulation`)
and the view keeps what the user typed on the page.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.patients.models import Person

from .models import NARRATIVE_FIELDS, RiskFormulation

FIELDS = [*NARRATIVE_FIELDS, "review_date"]


class StaleFormulation(Exception):
    """Someone else wrote a newer revision after this form was opened."""

    def __init__(self, current_revision: int):
        super().__init__(f"Risk formulation is now at revision {current_revision}")
        self.current_revision = current_revision


def _latest_revision_number(person) -> int:
    latest = (
        RiskFormulation.objects.filter(person=person)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return latest or 0


@transaction.atomic
def write_formulation(*, by: Actor, person, data: dict, based_on: int) -> RiskFormulation:
    """Write a new revision of the person's risk formulation.

    `based_on` is the revision number the form was opened on (0 for a first formulation). If a
    newer revision exists, nothing is saved and `StaleFormulation` is raised.
    """
    permissions.require(by, Do.WRITE_RISK_FORMULATION)
    user = by.user
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer per person at a time
    current = _latest_revision_number(person)
    if current != based_on:
        raise StaleFormulation(current)
    values = {name: data.get(name, "") for name in FIELDS}
    previous = RiskFormulation.objects.filter(person=person, revision=current).first() if current else None
    try:
        with transaction.atomic():
            formulation = RiskFormulation.objects.create(
                person=person, revision=current + 1, written_by=user, written_at=timezone.now(), **values
            )
    except IntegrityError:  # another writer got there first (databases without row locks)
        raise StaleFormulation(_latest_revision_number(person)) from None
    if previous is None:
        changed = [name for name, value in values.items() if value not in (None, "")]
    else:
        changed = [name for name, value in values.items() if getattr(previous, name) != value]
    audit.write(
        by,
        person=person,
        action=Action.CREATE if previous is None else Action.UPDATE,
        record_type=RecordType.RISK_FORMULATION,
        record_id=formulation.pk,
        fields_changed=changed,
    )
    return formulation
