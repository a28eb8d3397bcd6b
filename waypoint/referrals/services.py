"""Referral operations: record, triage, clock events, close. Atomic, audited, by the acting user."""

from django.db import transaction
from django.utils import timezone

from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis
from waypoint.patients import services as people

from .models import Decision, Referral, Status


class StaleReferral(Exception):
    def __init__(self, current_version):
        super().__init__(f"Referral is now at version {current_version}")
        self.current_version = current_version


class ReferralClosed(Exception):
    """The referral is no longer open, so it cannot be triaged or timed."""


REFERRAL_FIELDS = [
    "team",
    "received_at",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_address",
    "referrer_contact",
    "reason",
    "presenting_needs",
    "urgency_requested",
    "letter_text",
]


def find_possible_duplicate(person, team):
    return Referral.objects.open().filter(person=person, team=team).order_by("received_at").first()


@transaction.atomic
def record_referral(*, user, person, data: dict, path="") -> Referral:
    """Record a referral for a registered person. An open referral to the same team is flagged."""
    values = {name: data[name] for name in REFERRAL_FIELDS if name in data}
    referral = Referral.objects.create(
        person=person,
        recorded_by=user,
        possible_duplicate_of=find_possible_duplicate(person, values["team"]),
        **values,
    )
    audit.record(
        user=user,
        person=person,
        action=Action.CREATE,
        record_type="referral",
        record_id=referral.pk,
        basis=Basis.REFERRAL,
        fields_changed=[name for name, value in values.items() if value not in (None, "")],
        path=path,
    )
    return referral


@transaction.atomic
def register_and_refer(*, user, person_data: dict, data: dict, path="") -> Referral:
    """Register a new person (NHS number validated, duplicates refused) and record their referral."""
    person = people.register_person(user=user, data=person_data, add_to_team_books=False, path=path)
    return record_referral(user=user, person=person, data=data, path=path)


def _lock(referral, version=None):
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and current.version != version:
        raise StaleReferral(current.version)
    return current


def _save(current, user, changed, path, basis=Basis.REFERRAL):
    current.version += 1
    current.save()
    audit.record(
        user=user,
        person=current.person,
        action=Action.UPDATE,
        record_type="referral",
        record_id=current.pk,
        basis=basis,
        fields_changed=changed,
        path=path,
    )
    return current


@transaction.atomic
def triage(*, user, referral, data: dict, version: int | None, path="") -> Referral:
    """Record the duty worker's triage: urgency and decision, by whom and when.

    Accept puts the person on the waiting list. Signpost, reject and pass on close this referral;
    passing on records a new referral to the other team, keeping the original receipt time.
    """
    current = _lock(referral, version)
    if current.status != Status.AWAITING_TRIAGE:
        raise ReferralClosed()
    decision = data["decision"]
    current.urgency = data["urgency"]
    current.decision = decision
    current.triage_notes = data.get("triage_notes", "")
    current.signposted_to = data.get("signposted_to", "") if decision == Decision.SIGNPOST else ""
    current.rejection_reason = data.get("rejection_reason", "") if decision == Decision.REJECT else ""
    current.passed_to_team = data.get("passed_to_team") if decision == Decision.PASS_ON else None
    current.triaged_by = user
    current.triaged_at = timezone.now()
    current.status = {
        Decision.ACCEPT: Status.WAITING,
        Decision.SIGNPOST: Status.SIGNPOSTED,
        Decision.REJECT: Status.REJECTED,
        Decision.PASS_ON: Status.PASSED_ON,
    }[decision]
    if decision != Decision.ACCEPT:
        current.closed_at = current.triaged_at
        current.closure_reason = current.get_status_display()
    changed = ["urgency", "decision", "status", "triaged_by", "triaged_at"]
    changed += [
        name
        for name in ("signposted_to", "rejection_reason", "passed_to_team", "triage_notes")
        if data.get(name)
    ]
    _save(current, user, changed, path)
    if decision == Decision.PASS_ON:
        values = {name: getattr(current, name) for name in REFERRAL_FIELDS}
        values["team"] = current.passed_to_team
        record_referral(user=user, person=current.person, data=values, path=path)
    return current


@transaction.atomic
def record_clock_event(*, user, referral, event: str, moment, path="") -> Referral:
    """Record first contact offered or attended, second contact attended, or first assessment."""
    if event not in {
        "first_contact_offered_at",
        "first_contact_attended_at",
        "second_contact_attended_at",
        "first_assessment_at",
    }:
        raise ValueError(f"Unknown clock event {event}")
    current = _lock(referral)
    setattr(current, event, moment)
    if event == "first_contact_attended_at" and current.status == Status.WAITING:
        current.status = Status.IN_ASSESSMENT
    return _save(current, user, [event], path)
