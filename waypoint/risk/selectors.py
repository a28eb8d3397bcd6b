"""Reads of risk formulations for pages, sections and the worklist: a fixed number of queries."""

from waypoint.core.memo import per_request
from waypoint.episodes import selectors as episodes
from waypoint.referrals.models import Referral, Status

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
def current_formulations_for(person_ids):
    """person_id -> (revision number, review date) of the current revision, in one query."""
    rows = (
        RiskFormulation.objects.current()
        .filter(person_id__in=person_ids)
        .values_list("person_id", "revision", "review_date")
    )
    return {person_id: (revision, review_date) for person_id, revision, review_date in rows}


@per_request
def people_expected_to_have_a_formulation(person_ids, now=None):
    """Of these people, those with an open referral in assessment or a current care coordinator."""
    in_assessment = set(
        Referral.objects.filter(person_id__in=person_ids, status=Status.IN_ASSESSMENT).values_list(
            "person_id", flat=True
        )
    )
    coordinated = episodes.people_with_a_care_coordinator(person_ids, now)
    return in_assessment | coordinated
