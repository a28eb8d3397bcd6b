"""Who does referral intake: only they may record a referral (hazard H2).

Referral intake is the work of the duty worker (or back-up) on the team's rota today, the team's
admin and records officers, and the team manager. A member of staff may record a referral to a
team only if they do intake for that team: they are on its duty rota today, or they are a current
member of it and hold the team manager or admin and records officer role.
"""

from django.utils import timezone

from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do


def holds_intake_role(user) -> bool:
    """The roles come from the permission table (`record_referral`: team manager, admin and records)."""
    return permissions.may(user, Do.RECORD_REFERRAL)


def intake_team_ids(user, day=None) -> set[int]:
    """Ids of the teams whose referrals this user may record (and see before triage) today."""
    from waypoint.duty.selectors import teams_on_duty

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    day = day or timezone.localdate()
    teams = set(teams_on_duty(user, day).values_list("team_id", flat=True))
    if holds_intake_role(user):
        teams |= set(user.current_team_ids())
    return teams


def may_record_referrals(user) -> bool:
    return bool(intake_team_ids(user))
