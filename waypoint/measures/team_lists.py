"""Team lists: the people on a team's caseload (an open episode of care) with no baseline measure."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce, TruncDate

from waypoint.episodes.models import Episode
from waypoint.patients.models import Person

from .models import Measure


def no_baseline(team, user) -> list[Episode]:
    """Open episodes of `team` whose person has no scored, current measure since their referral was
    received (or, with no referral, since the episode began). One query, however many people."""
    scored_since = Measure.objects.current().filter(
        person=OuterRef("person"), completed_on__gte=OuterRef("since"), total__isnull=False
    )
    return list(
        Episode.objects.open()
        .filter(team=team, person__in=Person.objects.visible_to(user))
        .annotate(since=Coalesce(TruncDate("referral__received_at"), "started_on"))
        .annotate(has_baseline=Exists(scored_since))
        .filter(has_baseline=False)
        .select_related("person")
        .order_by("started_on", "person__family_name", "pk")
    )


PERIODS = {"28": 28, "91": 91, "182": 182, "365": 365}  # days back, by what the page offers
DEFAULT_PERIOD = "91"


def four_week_referrals(team, user, days: int):
    """The team's accepted referrals received in the last `days` days (the people the user may
    see), oldest first. One query."""
    from datetime import timedelta

    from django.utils import timezone

    from waypoint.referrals.models import Decision, Referral

    since = timezone.now() - timedelta(days=days)
    return list(
        Referral.objects.for_team(team)
        .visible_to(user)
        .filter(decision=Decision.ACCEPT, received_at__gte=since)
        .select_related("person")
        .order_by("received_at", "pk")
    )
