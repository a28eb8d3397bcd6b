"""The "first agreed care plan" part of NHS England's 4-week clock-stop (see referrals/clock.py).

The clock stops at the LATEST of its components, and one of them is the first attended contact.
Until that is recorded the clock cannot stop whatever the care plan says, so we do not look for a
care plan before then: that keeps the waiting list and the duty board (every row not yet seen) at
a fixed number of queries. Known simplification: a referral's page shows this part as "not yet
recorded" until the first attended contact is recorded, even if a care plan was agreed earlier.
"""

from datetime import datetime, time

from django.utils import timezone

from .selectors import first_agreed_care_plan_on


def first_agreed_care_plan_at(referral) -> datetime | None:
    """Start of the day the person's first care plan with the referral's team was agreed after receipt."""
    if referral.first_contact_attended_at is None:
        return None
    since = timezone.localtime(referral.received_at).date()
    agreed_on = first_agreed_care_plan_on(referral.person_id, referral.team_id, since)
    if agreed_on is None:
        return None
    return timezone.make_aware(datetime.combine(agreed_on, time.min))
