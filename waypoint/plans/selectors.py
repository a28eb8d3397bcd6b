"""Reads of plans for pages, the record overview, the worklist and the referral clock.

Every function here uses a fixed number of queries, whatever the number of plans or revisions.
Callers must have passed the person through the access policy first.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import Action, RecordType
from waypoint.core.memo import per_request
from waypoint.episodes import selectors as episodes
from waypoint.patients.models import Carer

from .models import Plan, PlanKind, PlanRevision, PlanShare, RevisionStatus, TeamContactNumbers


@dataclass
class PlanSummary:
    kind: str
    label: str
    plan: Plan | None
    latest: PlanRevision | None  # the newest revision (a draft if one is open)
    agreed: PlanRevision | None  # the revision currently agreed, if any

    @property
    def has_draft(self):
        return self.latest is not None and self.latest.is_draft


def _summaries(plans) -> dict[str, PlanSummary]:
    found = {}
    for plan in plans:
        revisions = sorted(plan.revisions.all(), key=lambda r: r.number, reverse=True)
        agreed = next((r for r in revisions if r.status == RevisionStatus.AGREED), None)
        found[plan.kind] = PlanSummary(
            plan.kind, plan.get_kind_display(), plan, revisions[0] if revisions else None, agreed
        )
    return found


def plan_summaries(person) -> list[PlanSummary]:
    """One row per kind of plan, in a fixed order, with what is current (two queries, shared with
    the worklist's plan reads within a request)."""
    found = _summaries(plans_with_revisions([person.pk]))
    return [found.get(kind) or PlanSummary(kind, label, None, None, None) for kind, label in PlanKind.choices]


SUMMARY_FIELDS = ("id", "plan_id", "number", "status", "agreed_on", "review_on", "updated_at")


@per_request
def plans_with_revisions(person_ids) -> list[Plan]:
    """These people's plans with their teams and revisions (the summary fields only). Two queries
    (one when there are no plans); the record's plans section and the worklist share them."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return []
    return list(
        Plan.objects.filter(person_id__in=ids)
        .select_related("team")
        .prefetch_related(Prefetch("revisions", queryset=PlanRevision.objects.only(*SUMMARY_FIELDS)))
    )


def plan_of(person, plan_id) -> Plan | None:
    return Plan.objects.filter(person=person, pk=plan_id).select_related("team", "person").first()


def plan_by_id(plan_id) -> Plan | None:
    """Unscoped: callers must pass the plan's person through the access policy before showing anything."""
    return Plan.objects.filter(pk=plan_id).only("id", "person_id").first()


def revision_by_id(revision_id) -> PlanRevision | None:
    """Unscoped: callers must pass the person through the access policy before showing anything."""
    return PlanRevision.objects.filter(pk=revision_id).select_related("plan").first()


def revision_with_details(revision_id) -> PlanRevision | None:
    return (
        PlanRevision.objects.filter(pk=revision_id)
        .select_related("plan__team", "plan__person", "created_by", "updated_by", "agreement_recorded_by")
        .prefetch_related("carers_involved")
        .first()
    )


def latest_revision(plan) -> PlanRevision | None:
    return PlanRevision.objects.filter(plan=plan).order_by("-number").first()


def history_of(plan) -> list[PlanRevision]:
    """Every revision of the plan, newest first."""
    return list(
        PlanRevision.objects.filter(plan=plan)
        .select_related("created_by", "agreement_recorded_by")
        .defer("content")
        .order_by("-number")
    )


def shares_of(revision) -> list[PlanShare]:
    return list(PlanShare.objects.filter(revision=revision).select_related("shared_by", "carer"))


def carers_of(person) -> list[Carer]:
    return list(Carer.objects.filter(person=person).order_by("name"))


def agreed_plans_for_letter(person) -> list[PlanRevision]:
    """The currently agreed revision of each of the person's plans, in the order of PlanKind."""
    revisions = list(
        PlanRevision.objects.filter(plan__person=person, status=RevisionStatus.AGREED).select_related(
            "plan__team", "agreement_recorded_by"
        )
    )
    order = {kind: index for index, kind in enumerate(PlanKind.values)}
    return sorted(revisions, key=lambda r: order[r.plan.kind])


def contact_numbers_for(team) -> TeamContactNumbers | None:
    if team is None:
        return None
    return TeamContactNumbers.objects.filter(team=team).first()


# Worklist and clock ----------------------------------------------------------------------------


def agreed_revisions_for(person_ids, kind) -> dict[int, PlanRevision]:
    """The currently agreed revision of this kind of plan for each of these people (one query,
    shared by every kind within a request)."""
    return agreed_revisions_by_kind(person_ids).get(kind, {})


def agreed_revisions_by_kind(person_ids) -> dict[str, dict[int, PlanRevision]]:
    """kind -> person_id -> the agreed revision (summary fields, with its plan). Shared read."""
    found: dict[str, dict[int, PlanRevision]] = {}
    for plan in plans_with_revisions(person_ids):
        for revision in plan.revisions.all():
            if revision.status == RevisionStatus.AGREED:
                found.setdefault(plan.kind, {})[plan.person_id] = revision
    return found


def plans_for(person_ids, kind) -> dict[int, Plan]:
    return plans_by_kind(person_ids).get(kind, {})


def plans_by_kind(person_ids) -> dict[str, dict[int, Plan]]:
    found: dict[str, dict[int, Plan]] = {}
    for plan in plans_with_revisions(person_ids):
        found.setdefault(plan.kind, {})[plan.person_id] = plan
    return found


def people_with_a_care_coordinator(person_ids) -> set[int]:
    return episodes.people_with_a_care_coordinator(person_ids)


def plan_for_page(request, person_id, plan_id, *, action=Action.VIEW):
    """Open the plan through the access policy, then read it with its team and person for the page.

    `open_record` answers 404 unless the plan is this person's and the user has a basis for them,
    before anything is audited; then it writes the one audit row. Returns (RecordAccess, Plan).
    """
    opened = open_record(
        request, person_id, model=Plan, record_id=plan_id, record_type=RecordType.PLAN, action=action
    )
    return opened, plan_of(opened.person, plan_id)


def revision_for_page(request, person_id, revision_id, *, action=Action.VIEW):
    """Open the plan revision through the access policy (as `plan_for_page`), then read it with its
    plan, people and carers involved. Returns (RecordAccess, PlanRevision)."""
    opened = open_record(
        request,
        person_id,
        model=PlanRevision,
        record_id=revision_id,
        person_field="plan__person",
        record_type=RecordType.PLAN_REVISION,
        action=action,
    )
    return opened, revision_with_details(revision_id)
