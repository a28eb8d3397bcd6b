"""Relationships that give staff access to a person's record. Later contexts add their own."""


def team_relationship(user, now):
    """The person is on the books of a team the user is a current member of."""
    from django.utils import timezone

    from waypoint.patients.models import TeamRegistration

    on = timezone.localtime(now).date()
    return (
        TeamRegistration.objects.current(on).filter(team_id__in=user.current_team_ids()).values("person_id")
    )
