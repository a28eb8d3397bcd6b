"""An open referral to a team gives that team's members a relationship with the person.

A self-claimed referral (recorded for a person the recorder had no relationship with, see
`ReferralClaim`) is the exception while it waits for triage: until then it gives the relationship
only to the team's intake staff (team manager, admin and records officers; the duty worker on the
rota today has it through the duty relationship). Once triaged and accepted, the whole team has it.
"""


def open_referral_relationship(user, now):
    from .intake import holds_intake_role
    from .models import Referral, Status

    team_ids = user.current_team_ids()
    if not team_ids:  # no team: no relationship, and the policy leaves the empty query out
        return Referral.objects.none().values("person_id")
    referrals = Referral.objects.open().filter(team_id__in=team_ids)
    if not holds_intake_role(user):
        referrals = referrals.exclude(status=Status.AWAITING_TRIAGE, claim__isnull=False)
    return referrals.values("person_id")
