"""Relationships that give staff access to a person's record. Later contexts add their own."""


def team_relationship(user, now):
    """The person is on the books of a team the user is a current member of."""
    from django.utils import timezone

    from waypoint.patients.models import TeamRegistration

    team_ids = user.current_team_ids()
    if not team_ids:  # no team: no relationship, and the policy leaves the empty query out
        return TeamRegistration.objects.none().values("person_id")
    on = timezone.localtime(now).date()
    return TeamRegistration.objects.current(on).filter(team_id__in=team_ids).values("person_id")
