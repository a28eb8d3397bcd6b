"""Reads of risk formulations for pages, sections and the worklist: a fixed number of queries."""

from waypoint.core.memo import per_request
from waypoint.episodes import selectors as episodes
from waypoint.referrals.models import Status
from waypoint.referrals.selectors import accepted_referrals_for

from .models import NARRATIVE_FIELDS, RiskFormulation


def current_formulation(person):
    return (
        RiskFormulation.objects.filter(person=person)
        .select_related("written_by")
        .order_by("-revision")
        .first()
    )


def revisions_of(person):
    """Every revision, newest first (for the history page)."""
    return list(
        RiskFormulation.objects.filter(person=person).select_related("written_by").order_by("-revision")
    )


def revisions_with_changes(person):
    """Every revision, newest first, each with the labels of the fields it changed (one query)."""
    revisions = revisions_of(person)
    fields = [*NARRATIVE_FIELDS, "review_date"]
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        if previous is None:
            changed = ["First formulation"]
        else:
            changed = [
                str(RiskFormulation._meta.get_field(name).verbose_name)
                for name in fields
                if getattr(revision, name) != getattr(previous, name)
            ] or ["No change to the text"]
        rows.append((revision, changed))
    return rows


def revision_by_id(risk_formulation_id):
    return RiskFormulation.objects.filter(pk=risk_formulation_id).select_related("written_by").first()


@per_request
def current_formulations_of(person_ids) -> dict[int, RiskFormulation]:
    """person_id -> the current revision (with its writer), in one query. The record's risk section
    and both worklist providers share it within a request."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return {}
    rows = RiskFormulation.objects.current().filter(person_id__in=ids).select_related("written_by")
    return {row.person_id: row for row in rows}


def current_formulations_for(person_ids):
    """person_id -> (revision number, review date) of the current revision, in one query (shared)."""
    return {pk: (row.revision, row.review_date) for pk, row in current_formulations_of(person_ids).items()}


@per_request
def people_expected_to_have_a_formulation(person_ids, now=None):
    """Of these people, those with an open referral in assessment (or in care) or a current care coordinator."""
    in_assessment = {
        referral.person_id
        for referral in accepted_referrals_for(person_ids)  # shared with the waiting-list provider
        if referral.status in (Status.IN_ASSESSMENT, Status.IN_CARE)
    }
    coordinated = episodes.people_with_a_care_coordinator(person_ids, now)
    return in_assessment | coordinated
