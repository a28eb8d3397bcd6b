"""Reads of referrals for pages: scoped to a team the user belongs to, with a fixed number of queries."""

from django.http import Http404

from waypoint.access.policy import open_record
from waypoint.audit.models import Action, RecordType
from waypoint.core.memo import per_request
from waypoint.episodes.selectors import allocations_for_referral

from .models import Referral, Status


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
    return allocations_for_referral(referral)


def referrals_of(person, limit=20):
    """The person's referrals, open first then newest, for the record page."""
    return list(
        Referral.objects.filter(person=person)
        .select_related("team")
        .order_by("closed_at", "-received_at")[:limit]
    )


def claims_for_review(*, reviewed: bool, limit: int = 200):
    """Self-claimed referrals for the privacy officer: awaiting review (oldest first) or reviewed (newest first)."""
    from .models import ReferralClaim

    queryset = ReferralClaim.objects.select_related(
        "claimed_by", "reviewed_by", "referral", "referral__person", "referral__team"
    ).filter(reviewed_at__isnull=not reviewed)
    return queryset.order_by("-reviewed_at" if reviewed else "claimed_at")[:limit]


def claim_by_id(claim_id):
    from .models import ReferralClaim

    return (
        ReferralClaim.objects.select_related(
            "claimed_by", "reviewed_by", "referral", "referral__person", "referral__team"
        )
        .filter(pk=claim_id)
        .first()
    )


@per_request
def accepted_referrals_for(person_ids) -> list[Referral]:
    """These people's referrals waiting to be seen, in assessment or in care, with their teams, oldest first.
    One query; the waiting-list and the risk-formulation worklist providers share it."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return []
    return list(
        Referral.objects.filter(
            person_id__in=ids, status__in=(Status.WAITING, Status.IN_ASSESSMENT, Status.IN_CARE)
        )
        .select_related("team")
        .order_by("received_at", "pk")
    )


def is_waiting_to_be_seen(referral) -> bool:
    """`Referral.objects.waiting_to_be_seen()`, for one referral already read."""
    return referral.status == Status.WAITING and referral.first_contact_attended_at is None


def referral_for_page(request, referral_id, *, action=Action.VIEW, team_member=False, where=None):
    """Read the referral with its people, then open it for its person through the access policy.

    Referral pages have no person in the URL. A referral that does not exist, or (with
    `team_member`) is not to one of the user's teams, is a 404; then `open_record` answers 404
    unless the user has a basis for the person and the referral matches `where`, before anything is
    audited, and writes the one audit row. Returns (RecordAccess, Referral).
    """
    referral = referral_by_id(referral_id)
    if referral is None:
        raise Http404("No referral found")
    if team_member and referral.team_id not in request.user.current_team_ids():
        raise Http404("No referral found")
    opened = open_record(
        request,
        referral.person_id,
        model=Referral,
        record_id=referral.pk,
        where=where,
        record_type=RecordType.REFERRAL,
        action=action,
    )
    return opened, referral
