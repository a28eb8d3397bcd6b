"""Reads of referrals for pages: scoped to a team the user belongs to, with a fixed number of queries."""

from .models import Referral


def awaiting_triage(team):
    """Referrals to the team waiting for triage: most urgent (as asked) first, then oldest."""
    return (
        Referral.objects.for_team(team)
        .awaiting_triage()
        .with_people()
        .with_urgency_rank("urgency_requested")
        .order_by("urgency_rank", "received_at", "pk")
    )


def waiting_list(team):
    """Accepted referrals not yet seen, most urgent first (breach ordering is applied by the clock)."""
    return (
        Referral.objects.for_team(team)
        .waiting_to_be_seen()
        .with_people()
        .with_urgency_rank()
        .order_by("urgency_rank", "received_at", "pk")
    )


def referral_by_id(referral_id):
    """Unscoped: callers must pass the person through the access policy before showing anything."""
    return (
        Referral.objects.filter(pk=referral_id).with_people().select_related("possible_duplicate_of").first()
    )


def allocations_for(referral):
    from waypoint.episodes.models import Allocation

    return (
        Allocation.objects.filter(referral=referral)
        .select_related("worker", "allocated_by")
        .order_by("-started_at")
    )


def referrals_of(person, limit=20):
    """The person's referrals, open first then newest, for the record page."""
    return list(
        Referral.objects.filter(person=person)
        .select_related("team")
        .order_by("closed_at", "-received_at")[:limit]
    )
