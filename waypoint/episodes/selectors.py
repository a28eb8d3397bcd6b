"""Caseloads: every team member with their current counts, in one query."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from waypoint.accounts.models import Membership, User

from .models import Allocation, AllocationKind


def team_members_with_caseloads(team, now=None):
    now = now or timezone.now()
    current = Q(allocations__started_at__lte=now) & (
        Q(allocations__ended_at__isnull=True) | Q(allocations__ended_at__gt=now)
    )
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    coordinating = current & Q(allocations__kind=AllocationKind.CARE_COORDINATOR)
    assessing = current & Q(allocations__kind=AllocationKind.ASSESSING)
    return (
        User.objects.filter(pk__in=member_ids, is_active=True)
        .annotate(
            coordinating_count=Count("allocations", filter=coordinating),
            coordinating_weight=Coalesce(Sum("allocations__weight", filter=coordinating), 0),
            assessing_count=Count("allocations", filter=assessing),
        )
        .prefetch_related("roles")
        .order_by("last_name", "first_name")
    )


def allocation_history(referral):
    return (
        Allocation.objects.filter(person=referral.person, team=referral.team)
        .select_related("worker", "allocated_by")
        .order_by("-started_at")
    )


def current_allocations_of(person):
    return list(
        Allocation.objects.current()
        .filter(person=person)
        .select_related("worker", "team")
        .order_by("team__name", "kind")
    )
