"""The "first coded intervention" part of NHS England's 4-week clock-stop (see referrals/clock.py):
an alternative to the first agreed care plan, so part 4 is done at the earlier of the two.

As for the care plan (plans/clock.py), nothing is looked up before the first attended contact is
recorded: until then the clock cannot stop, and the waiting list stays at a fixed number of queries.
"""

from datetime import datetime, time

from django.utils import timezone

from .selectors import first_coded_intervention_on


def first_coded_intervention_at(referral) -> datetime | None:
    """Start of the day of the person's first coded intervention on or after receipt."""
    if referral.first_contact_attended_at is None:
        return None
    since = timezone.localtime(referral.received_at).date()
    day = first_coded_intervention_on(referral.person_id, since)
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))
