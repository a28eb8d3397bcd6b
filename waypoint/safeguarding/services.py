"""Writes to safeguarding concerns. Each operation is atomic, takes the acting user, locks the
concern where it changes one, and audits (field names only, never what was written). Each starts
with `permissions.require(by, "raise_safeguarding")`.

A closed or entered-in-error concern is read-only in the database too (migration 0002); the
services refuse first, with a plain message."""

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import About, Concern, ConcernAddendum, ConcernHouseholdLink, HouseholdMember, Status

ACTION = "raise_safeguarding"
RAISE_FIELDS = ["about", "subject_name", "subject_details", "category", "account", "immediate_actions"]
NULLABLE_FIELDS = {"lead_consulted_on", "referred_on", "decision_on", "outcome_on"}
DETAIL_FIELDS = [
    "subject_name",
    "subject_details",
    "consent",
    "share_without_consent_reason",
    "lead_consulted",
    "lead_consulted_on",
    "referred_on",
    "referral_reference",
    "decision",
    "decision_on",
    "outcome",
    "outcome_on",
]


class ConcernError(Exception):
    """Something about the concern's state refuses this change (shown to the user as it is)."""


class StaleEdit(ConcernError):
    def __init__(self, concern: Concern):
        super().__init__(
            "Someone else changed this concern after you opened this page. Your changes have not been "
            "saved: they are still below. Check the concern, then save again."
        )
        self.concern = concern


class NotOpen(ConcernError):
    def __init__(self):
        super().__init__("This concern is closed or was entered in error: add an addendum instead.")


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().get(pk=concern.pk)


@transaction.atomic
def raise_concern(*, by: Actor, person, team, data: dict) -> Concern:
    """The one-minute form: who it is about, the category, what was seen or disclosed, what was done."""
    permissions.require(by, ACTION)
    about = data["about"]
    concern = Concern.objects.create(
        person=person,
        team=team,
        about=about,
        subject_name="" if about == About.PERSON else (data.get("subject_name") or "").strip(),
        subject_details="" if about == About.PERSON else (data.get("subject_details") or "").strip(),
        category=data["category"],
        account=data["account"],
        immediate_actions=data["immediate_actions"],
        raised_by=by.user,
        raised_at=timezone.now(),
    )
    member = data.get("household_member") if about == About.CHILD else None
    if member is not None:
        if member.person_id != person.pk or not member.is_current:
            raise ConcernError("Choose a child who is in this person's household now.")
        ConcernHouseholdLink.objects.create(concern=concern, member=member)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.SAFEGUARDING_CONCERN,
        record_id=concern.pk,
        fields_changed=[name for name in RAISE_FIELDS if getattr(concern, name)]
        + (["household_member"] if member is not None else []),
    )
    return concern


@transaction.atomic
def update_concern(*, by: Actor, concern: Concern, data: dict, version: int) -> tuple[Concern, list[str]]:
    """Consent, the safeguarding lead, the referral, the decision and outcome. Open concerns only."""
    permissions.require(by, ACTION)
    current = _locked(concern)
    if not current.is_open:
        raise NotOpen()
    if current.version != version:
        raise StaleEdit(current)
    changed = []
    for name in DETAIL_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is None and name not in NULLABLE_FIELDS:
            value = ""
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return current, []
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.SAFEGUARDING_CONCERN,
        record_id=current.pk,
        fields_changed=changed,
    )
    return current, changed


@transaction.atomic
def close_concern(*, by: Actor, concern: Concern, summary: str, version: int) -> Concern:
    permissions.require(by, ACTION)
    current = _locked(concern)
    if not current.is_open:
        raise NotOpen()
    if current.version != version:
        raise StaleEdit(current)
    current.status = Status.CLOSED
    current.closed_by = by.user
    current.closed_at = timezone.now()
    current.closing_summary = summary
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.COMPLETE,
        record_type=RecordType.SAFEGUARDING_CONCERN,
        record_id=current.pk,
        fields_changed=["status", "closed_at", "closed_by", "closing_summary"],
    )
    return current


@transaction.atomic
def add_addendum(*, by: Actor, concern: Concern, text: str) -> ConcernAddendum:
    permissions.require(by, ACTION)
    addendum = ConcernAddendum.objects.create(concern=concern, text=text, written_by=by.user)
    audit.write(
        by,
        person=concern.person,
        action=Action.CREATE,
        record_type=RecordType.SAFEGUARDING_ADDENDUM,
        record_id=addendum.pk,
        fields_changed=["text"],
    )
    return addendum


@transaction.atomic
def mark_entered_in_error(*, by: Actor, concern: Concern, reason: str) -> Concern:
    """The concern stays (marked, with the reason); it no longer counts as open."""
    permissions.require(by, ACTION)
    current = _locked(concern)
    if current.entered_in_error:
        raise ConcernError("This concern was already marked as entered in error.")
    current.entered_in_error_reason = reason
    current.entered_in_error_by = by.user
    current.entered_in_error_at = timezone.now()
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.SAFEGUARDING_CONCERN,
        record_id=current.pk,
        fields_changed=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    return current


# Household members: children and other dependants in the person's household.

HOUSEHOLD_FIELDS = [
    "name",
    "date_of_birth",
    "age",
    "relationship",
    "parental_responsibility",
    "is_carer",
    "lives_with_person",
    "agencies",
    "notes",
]


class HouseholdStale(ConcernError):
    def __init__(self):
        super().__init__(
            "Someone else changed this household member after you opened this page. Your changes have "
            "not been saved: they are still below. Check the record, then save again."
        )


def _locked_member(member: HouseholdMember) -> HouseholdMember:
    return HouseholdMember.objects.select_for_update().get(pk=member.pk)


def _audit_member(by, member, action, fields):
    audit.write(
        by,
        person=member.person,
        action=action,
        record_type=RecordType.SAFEGUARDING_HOUSEHOLD_MEMBER,
        record_id=member.pk,
        fields_changed=fields,
    )


def _clean(name, value):
    if isinstance(value, str):
        return value.strip()
    return value


@transaction.atomic
def add_household_member(*, by: Actor, person, data: dict) -> HouseholdMember:
    permissions.require(by, ACTION)
    values = {name: _clean(name, data[name]) for name in HOUSEHOLD_FIELDS if name in data}
    member = HouseholdMember.objects.create(
        person=person, added_by=by.user, added_at=timezone.now(), **values
    )
    _audit_member(by, member, Action.CREATE, [name for name in HOUSEHOLD_FIELDS if getattr(member, name)])
    return member


def _refuse_unless_current(member):
    if member.entered_in_error:
        raise ConcernError("This household member was entered in error: it can no longer be changed.")
    if member.ended_on is not None:
        raise ConcernError("This person is no longer in the household: the record can no longer be changed.")


@transaction.atomic
def update_household_member(
    *, by: Actor, member: HouseholdMember, data: dict, version: int
) -> tuple[HouseholdMember, list[str]]:
    permissions.require(by, ACTION)
    current = _locked_member(member)
    _refuse_unless_current(current)
    if current.version != version:
        raise HouseholdStale()
    changed = []
    for name in HOUSEHOLD_FIELDS:
        if name in data and getattr(current, name) != _clean(name, data[name]):
            setattr(current, name, _clean(name, data[name]))
            changed.append(name)
    if not changed:
        return current, []
    current.version += 1
    current.save()
    _audit_member(by, current, Action.UPDATE, changed)
    return current, changed


@transaction.atomic
def end_household_member(*, by: Actor, member: HouseholdMember, ended_on, version: int) -> HouseholdMember:
    """No longer in the household from this date. The record stays, and any concern about them."""
    permissions.require(by, ACTION)
    current = _locked_member(member)
    _refuse_unless_current(current)
    if current.version != version:
        raise HouseholdStale()
    current.ended_on = ended_on
    current.ended_by = by.user
    current.version += 1
    current.save()
    _audit_member(by, current, Action.UPDATE, ["ended_on", "ended_by"])
    return current


@transaction.atomic
def mark_household_member_entered_in_error(
    *, by: Actor, member: HouseholdMember, reason: str
) -> HouseholdMember:
    permissions.require(by, ACTION)
    current = _locked_member(member)
    if current.entered_in_error:
        raise ConcernError("This household member was already marked as entered in error.")
    current.entered_in_error_reason = reason
    current.entered_in_error_by = by.user
    current.entered_in_error_at = timezone.now()
    current.version += 1
    current.save()
    _audit_member(
        by,
        current,
        Action.ENTERED_IN_ERROR,
        ["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    return current
