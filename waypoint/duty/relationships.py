"""Being on duty (or back-up) for a team gives access to that team's open referrals, for that day only.

Imported by DutyConfig.ready().
"""

from django.utils import timezone


def duty_relationship(user, now):
    """People with an open referral to a team the user is on duty for on `now`'s local date."""
    from waypoint.referrals.models import Referral

    from .selectors import teams_on_duty

    day = timezone.localtime(now).date()
    return Referral.objects.open().filter(team_id__in=teams_on_duty(user, day)).values("person_id")
