"""Ids the no-relationship sweep needs for the referrals pages (the referral id is in the sweep itself)."""

from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import ReferralClaim


def record_factories(person, coordinator, team):
    def claim():
        referral = ReferralFactory(person=person, team=team, recorded_by=coordinator)
        return ReferralClaim.objects.create(
            referral=referral, claimed_by=coordinator, reason="Synthetic reason for a self-claim"
        ).pk

    return {"claim_id": claim}
