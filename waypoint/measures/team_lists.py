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
