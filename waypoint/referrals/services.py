"""Referral operations: record, triage, clock events, close. Atomic, audited, by the acting user."""

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.patients import services as people

from .intake import intake_team_ids
from .models import Decision, Referral, ReferralClaim, Status


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


class NotIntake(Exception):
    """The member of staff does not do referral intake for the team (hazard H2)."""


class ClaimReasonRequired(Exception):
    """The person is outside the recorder's relationships, so the referral needs a reason."""


def self_claimed(basis) -> bool:
    """A referral for someone the recorder had no relationship with (break-glass is not one) is self-claimed."""
    return basis in (Basis.NONE, Basis.BREAK_GLASS)


@transaction.atomic
def record_referral(*, by: Actor, person, data: dict, claim_reason: str = "", intake_only=True) -> Referral:
    """Record a referral for a registered person. An open referral to the same team is flagged.

    Only intake staff for the receiving team may record one (`intake_only`; triage passing a
    referral on is a decision, not intake). A referral for a person the recorder could not see
    (the actor's basis is "none", or only break-glass) is a self-claimed relationship: it needs
    `claim_reason`, gives only the team's intake staff access until triage, and goes to the privacy
    officer's review list. Its audit row has basis "none" and the reason. Registering the person
    with the referral (basis "registration") and passing on at triage are not self-claims.
    """
    user = by.user
    values = {name: data[name] for name in REFERRAL_FIELDS if name in data}
    if intake_only and values["team"].pk not in intake_team_ids(user):
        raise NotIntake()
    claim_reason = (claim_reason or "").strip()
    claimed = intake_only and self_claimed(by.basis)
    if claimed and not claim_reason:
        raise ClaimReasonRequired()
    referral = Referral.objects.create(
        person=person,
        recorded_by=user,
        possible_duplicate_of=find_possible_duplicate(person, values["team"]),
        **values,
    )
    if claimed:
        ReferralClaim.objects.create(referral=referral, claimed_by=user, reason=claim_reason)
    audit.write(
        replace(by, basis=Basis.NONE, break_glass_reason=claim_reason) if claimed else by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.REFERRAL,
        record_id=referral.pk,
        fields_changed=[name for name, value in values.items() if value not in (None, "")],
    )
    return referral


@transaction.atomic
def register_and_refer(*, by: Actor, person_data: dict, data: dict) -> Referral:
    """Register a new person (NHS number validated, duplicates refused) and record their referral."""
    if data["team"].pk not in intake_team_ids(by.user):
        raise NotIntake()
    person = people.register_person(by=by, data=person_data, add_to_team_books=False)
    return record_referral(by=by, person=person, data=data)


@transaction.atomic
def review_claim(*, by: Actor, claim: ReferralClaim, comment: str) -> ReferralClaim:
    """The privacy officer's review of a self-claimed referral, like a break-glass review."""
    permissions.require(by, Do.REVIEW_BREAK_GLASS)
    claim = ReferralClaim.objects.select_for_update().get(pk=claim.pk)
    claim.reviewed_by = by.user
    claim.reviewed_at = timezone.now()
    claim.review_comment = comment.strip()
    claim.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
    audit.write(
        by,
        person=claim.referral.person,
        action=Action.REVIEW,
        record_type=RecordType.REFERRAL_CLAIM,
        record_id=claim.pk,
        fields_changed=["reviewed_by", "reviewed_at", "review_comment"],
    )
    return claim


def _lock(referral, version=None):
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and current.version != version:
        raise StaleReferral(current.version)
    return current


def _save(current, by, changed):
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.REFERRAL,
        record_id=current.pk,
        fields_changed=changed,
    )
    return current


@transaction.atomic
def triage(*, by: Actor, referral, data: dict, version: int | None) -> Referral:
    """Record the duty worker's triage: urgency and decision, by whom and when.

    Accept puts the person on the waiting list. Signpost, reject and pass on close this referral;
    passing on records a new referral to the other team, keeping the original receipt time.
    """
    permissions.require(by, Do.TRIAGE_REFERRAL)
    user = by.user
    current = _lock(referral, version)
    if current.status != Status.AWAITING_TRIAGE:
        raise ReferralClosed()
    decision = data["decision"]
    if decision in (Decision.REJECT, Decision.SIGNPOST):
        permissions.require(by, Do.REJECT_REFERRAL)
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
    _save(current, by, changed)
    if decision == Decision.PASS_ON:
        values = {name: getattr(current, name) for name in REFERRAL_FIELDS}
        values["team"] = current.passed_to_team
        passed_on = record_referral(by=by, person=current.person, data=values, intake_only=False)
        claim = ReferralClaim.objects.filter(referral=current).first()
        if claim:
            # Passing on a self-claimed referral does not open the record to the other whole team
            # before its own triage: the new referral carries the same claim (and its review, if any).
            ReferralClaim.objects.create(
                referral=passed_on,
                claimed_by=claim.claimed_by,
                claimed_at=claim.claimed_at,
                reason=claim.reason,
                reviewed_by=claim.reviewed_by,
                reviewed_at=claim.reviewed_at,
                review_comment=claim.review_comment,
            )
    return current


@transaction.atomic
def move_into_care(*, by: Actor, referral) -> Referral:
    """An episode of care opened from this referral: it moves on from "waiting" or "in
    assessment" to "episode of care open" (still open, as MHSDS counts it until discharge).
    Called by `episodes.services.open_episode_from_referral`, which checks the permission."""
    current = _lock(referral)
    if current.status not in (Status.WAITING, Status.IN_ASSESSMENT):
        return current
    current.status = Status.IN_CARE
    return _save(current, by, ["status"])


@transaction.atomic
def record_clock_event(*, by: Actor, referral, event: str, moment) -> Referral:
    """Record first contact offered or attended, second contact attended, or first assessment."""
    permissions.require(by, Do.RECORD_CLOCK_EVENT)
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
    return _save(current, by, [event])
