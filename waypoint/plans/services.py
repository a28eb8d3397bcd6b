"""Writes to plans. Each operation is atomic, takes the acting user, and writes its audit row.

Rules enforced here (the views and forms only present them):
- every revision is kept: nothing is deleted, an agreed revision is never changed;
- a draft carries a version number: a save from a form opened before someone else's save is
  refused (`StaleEdit`);
- recording agreement makes the draft read-only and supersedes the revision agreed before it;
- changing an agreed plan starts a new draft copied from the latest revision.
"""

import copy

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.patients.models import CarerConsent

from .models import Plan, PlanKind, PlanRevision, PlanShare, Recipient, RevisionStatus
from .sections import care_plan_needs, content_field_names, empty_care_plan


class StaleEdit(Exception):
    """Someone else saved the draft after this form was opened."""

    def __init__(self, current_version: int):
        super().__init__(f"Draft is now at version {current_version}")
        self.current_version = current_version


class NotADraft(Exception):
    """The revision has been agreed (or superseded): it is read-only."""


class PlanIncomplete(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _audit(by, revision_or_plan, action, fields=(), record_type=RecordType.PLAN_REVISION):
    person = (
        revision_or_plan.plan.person if record_type == RecordType.PLAN_REVISION else revision_or_plan.person
    )
    audit.write(
        by,
        person=person,
        action=action,
        record_type=record_type,
        record_id=revision_or_plan.pk,
        fields_changed=fields,
    )


def _lock(revision) -> PlanRevision:
    return PlanRevision.objects.select_for_update().select_related("plan__person").get(pk=revision.pk)


@transaction.atomic
def start_plan(*, by: Actor, person, kind: str, team) -> Plan:
    """A new plan of this kind with an empty first draft; the existing plan if there is one."""
    permissions.require(by, Do.WRITE_PLAN)
    user = by.user
    if kind not in PlanKind.values:
        raise ValueError(f"Unknown kind of plan {kind}")
    existing = Plan.objects.filter(person=person, kind=kind).first()
    if existing:
        return existing
    plan = Plan.objects.create(person=person, team=team, kind=kind, created_by=user)
    revision = PlanRevision.objects.create(
        plan=plan,
        number=1,
        content=empty_care_plan() if kind == PlanKind.CARE else {},
        created_by=user,
        updated_by=user,
    )
    _audit(by, plan, Action.CREATE, ["kind", "team"], record_type=RecordType.PLAN)
    _audit(by, revision, Action.CREATE, ["number"])
    return plan


@transaction.atomic
def save_draft(*, by: Actor, revision, content: dict, review_on=None, version: int | None):
    """Save the draft's content. Refuses an agreed revision and a stale form."""
    permissions.require(by, Do.WRITE_PLAN)
    user = by.user
    current = _lock(revision)
    if not current.is_draft:
        raise NotADraft()
    if version is None or current.version != version:  # a form without its version is out of date
        raise StaleEdit(current.version)
    kind = current.plan.kind
    allowed = set(content_field_names(kind))
    content = {key: value for key, value in content.items() if key in allowed}
    changed = sorted(key for key in allowed if current.content.get(key) != content.get(key))
    if kind == PlanKind.CARE and current.review_on != review_on:
        changed.append("review_on")
        current.review_on = review_on
    current.content = content
    current.version += 1
    current.updated_by = user
    current.updated_at = timezone.now()
    current.save()
    _audit(by, current, Action.UPDATE, changed)
    return current


def agreement_problems(revision) -> list[str]:
    """What must be in a plan before agreement can be recorded."""
    problems = []
    if revision.plan.kind == PlanKind.CARE:
        needs = care_plan_needs(revision.content)
        if not needs:
            problems.append("Add at least one need before recording agreement")
        elif not all(need.get("goal") for need in needs):
            problems.append("Every need needs a goal in the person's own words")
        if not revision.review_on:
            problems.append("Add a review date before recording agreement")
    elif not any((revision.content or {}).get(key) for key in content_field_names(revision.plan.kind)):
        problems.append("Fill in at least one section before recording agreement")
    return problems


@transaction.atomic
def record_agreement(
    *,
    by: Actor,
    revision,
    agreed_with_person: bool,
    agreed_on,
    not_agreed_reason="",
    carers=(),
    carer_involvement="",
    version: int | None,
) -> PlanRevision:
    """Agreement makes the draft read-only; the revision agreed before it becomes superseded."""
    permissions.require(by, Do.AGREE_PLAN)
    user = by.user
    current = _lock(revision)
    if not current.is_draft:
        raise NotADraft()
    if version is None or current.version != version:  # a form without its version is out of date
        raise StaleEdit(current.version)
    problems = agreement_problems(current)
    if problems:
        raise PlanIncomplete(problems)
    if not agreed_with_person and not not_agreed_reason.strip():
        raise PlanIncomplete(["Say why the person did not agree"])
    carers = list(carers)
    if any(carer.person_id != current.plan.person_id for carer in carers):
        raise ValueError("A carer of someone else")
    now = timezone.now()
    previous = list(
        PlanRevision.objects.select_for_update().filter(plan=current.plan, status=RevisionStatus.AGREED)
    )
    for old in previous:
        old.status = RevisionStatus.SUPERSEDED
        old.superseded_at = now
        old.save(update_fields=["status", "superseded_at"])
        _audit(by, old, Action.UPDATE, ["status", "superseded_at"])
    current.status = RevisionStatus.AGREED
    current.agreed_on = agreed_on
    current.agreed_with_person = agreed_with_person
    current.not_agreed_reason = "" if agreed_with_person else not_agreed_reason.strip()
    current.carer_involvement = carer_involvement.strip()
    current.agreement_recorded_by = user
    current.agreement_recorded_at = now
    current.version += 1
    current.save()
    current.carers_involved.set(carers)
    fields = ["status", "agreed_on", "agreed_with_person", "agreement_recorded_by"]
    fields += [] if agreed_with_person else ["not_agreed_reason"]
    fields += ["carers_involved"] if carers else []
    fields += ["carer_involvement"] if current.carer_involvement else []
    _audit(by, current, Action.AGREE, fields)
    return current


@transaction.atomic
def start_new_revision(*, by: Actor, plan) -> PlanRevision:
    """A new draft copied from the latest revision, or the draft already open."""
    permissions.require(by, Do.WRITE_PLAN)
    user = by.user
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    draft = PlanRevision.objects.filter(plan=plan, status=RevisionStatus.DRAFT).first()
    if draft:
        return draft
    latest = PlanRevision.objects.filter(plan=plan).order_by("-number").first()
    revision = PlanRevision.objects.create(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        content=copy.deepcopy(latest.content) if latest else {},
        review_on=latest.review_on if latest else None,
        created_by=user,
        updated_by=user,
    )
    _audit(by, revision, Action.CREATE, ["number", "content"])
    return revision


@transaction.atomic
def add_needs_to_care_plan(*, by: Actor, person, team, needs: list[dict]) -> PlanRevision:
    """Add needs (each {"need", "goal", "interventions": [{"what", "who", "how_often"}]}) to the
    person's care plan in one step, from another module (a DIALOG+ session's agreed actions): into
    the open draft, or a new draft copied from the agreed plan, or a new care plan. The draft then
    goes through agreement as usual."""
    permissions.require(by, Do.WRITE_PLAN)
    plan = start_plan(by=by, person=person, kind=PlanKind.CARE, team=team)
    draft = start_new_revision(by=by, plan=plan)
    current = _lock(draft)
    content = copy.deepcopy(current.content or {})
    content["needs"] = care_plan_needs(content) + [
        {
            "need": need["need"],
            "goal": need.get("goal", ""),
            "interventions": [dict(i) for i in need.get("interventions", [])],
        }
        for need in needs
    ]
    return save_draft(
        by=by, revision=current, content=content, review_on=current.review_on, version=current.version
    )


def carer_consent_covers(carer, kind: str) -> bool:
    """Whether the person's recorded consent lets us share this kind of plan with this carer."""
    if carer.consent_to_share == CarerConsent.EVERYTHING:
        return True
    if carer.consent_to_share == CarerConsent.CRISIS_ONLY:
        return kind in (PlanKind.CRISIS, PlanKind.SAFETY)
    return False


class ConsentNotRecorded(Exception):
    """Sharing with a carer whose recorded consent does not cover this plan, without confirmation."""


@transaction.atomic
def record_share(
    *,
    by: Actor,
    revision,
    recipient: str,
    recipient_name: str,
    method: str,
    shared_on,
    carer=None,
    method_detail="",
    confirmed_without_consent=False,
) -> PlanShare:
    """Log that an agreed revision was given to someone. A draft is not shared."""
    permissions.require(by, Do.SHARE_PLAN)
    user = by.user
    current = PlanRevision.objects.select_related("plan").get(pk=revision.pk)
    if current.is_draft:
        raise NotADraft()
    without_consent = False
    consent = ""
    if recipient == Recipient.CARER:
        if carer is None or carer.person_id != current.plan.person_id:
            raise ValueError("Choose one of the person's carers")
        consent = carer.consent_to_share
        without_consent = not carer_consent_covers(carer, current.plan.kind)
        if without_consent and not confirmed_without_consent:
            raise ConsentNotRecorded()
        recipient_name = recipient_name or carer.name
    share = PlanShare.objects.create(
        revision=current,
        recipient=recipient,
        carer=carer if recipient == Recipient.CARER else None,
        recipient_name=recipient_name,
        method=method,
        method_detail=method_detail,
        shared_on=shared_on,
        shared_by=user,
        carer_consent_at_the_time=consent,
        shared_without_recorded_consent=without_consent,
    )
    fields = ["recipient", "recipient_name", "method", "shared_on"]
    fields += ["carer"] if share.carer_id else []
    fields += ["shared_without_recorded_consent"] if without_consent else []
    audit.write(
        by,
        person=current.plan.person,
        action=Action.SHARE,
        record_type=RecordType.PLAN_REVISION,
        record_id=current.pk,
        fields_changed=fields,
    )
    return share
