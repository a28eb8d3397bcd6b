"""Relationships that episodes of care give staff with a person.

- `allocation`: the user is the person's currently allocated assessing worker or care coordinator.
- `episode`: the person has an episode of care with a team the user is a current member of, open
  now or closed within the grace period (`WAYPOINT_EPISODE_GRACE_DAYS`, default 28), so the team
  can finish letters and answer calls after discharge.
- `transfer`: a transfer of the person to a team the user is a current member of is awaiting that
  team's decision (the sending team keeps access through its still-open episode).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

DEFAULT_GRACE_DAYS = 28


def grace_days() -> int:
    return int(getattr(settings, "WAYPOINT_EPISODE_GRACE_DAYS", DEFAULT_GRACE_DAYS))


def allocation_relationship(user, now):
    from .models import Allocation

    return Allocation.objects.current(now).filter(worker=user).values("person_id")


def episode_relationship(user, now):
    from .models import Episode

    team_ids = user.current_team_ids()
    if not team_ids:  # no team: no relationship, and the policy leaves the empty query out
        return Episode.objects.none().values("person_id")
    on = timezone.localtime(now).date()
    return (
        Episode.objects.filter(team_id__in=team_ids, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on - timedelta(days=grace_days())))
        .values("person_id")
    )


def transfer_relationship(user, now):
    from .models import Transfer

    team_ids = user.current_team_ids()
    if not team_ids:
        return Transfer.objects.none().values("person_id")
    return Transfer.objects.pending().filter(to_team_id__in=team_ids).values("person_id")
