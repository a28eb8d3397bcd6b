"""The "first baseline outcome measure" part of NHS England's 4-week clock-stop (referrals/clock.py).

NHS England's published code (menh_bbrb, 4-week waits) takes, for a spell of care, the FIRST coded
scored assessment completed on or after the spell's start (its earliest referral's receipt date)
as the baseline outcome, compares dates (not times), and stops the clock at the latest of the
four parts only when all four are present. Here, per referral:

- a measure counts when it is current (not replaced), scored, and completed on or after the day
  the referral was received; one done before the referral does not count;
- its part is the start of the day it was completed (as the care plan part is);
- like the care plan part, it is looked for only once the first attended contact is recorded
  (until then the clock cannot stop), so the waiting list and duty board keep a fixed number of
  queries; a referral page shows "not yet recorded" until then.

Known simplification: NHS England joins overlapping referrals to the same provider into one spell
(the clock runs from the earliest); here each referral has its own clock from its own receipt.
"""

from datetime import datetime, time

from django.utils import timezone

from .selectors import first_measure_on


def first_baseline_measure_at(referral) -> datetime | None:
    if referral.first_contact_attended_at is None:
        return None
    since = timezone.localtime(referral.received_at).date()
    completed_on = first_measure_on(referral.person_id, since)
    if completed_on is None:
        return None
    return timezone.make_aware(datetime.combine(completed_on, time.min))
