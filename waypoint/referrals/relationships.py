"""An open referral to a team gives that team's members a relationship with the person."""


def open_referral_relationship(user, now):
    from .models import Referral

    return Referral.objects.open().filter(team_id__in=user.current_team_ids()).values("person_id")
