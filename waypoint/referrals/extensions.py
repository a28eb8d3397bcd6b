"""What referrals plug in: the referral relationship and referrals waiting to be seen on the worklist, and the person's referrals on the "Referrals
and episodes" tab. (The clock-stop parts referrals records itself, and the placeholders for
modules not built yet, are the defaults in `clock.py`, so other apps' parts always replace them.)
Registered from ReferralsConfig.ready()."""

from waypoint.audit.models import Basis


def register():
    from waypoint.access.policy import register_relationship
    from waypoint.patients.record_sections import RecordSection, register_section
    from waypoint.worklist.registry import register_provider

    from .relationships import open_referral_relationship
    from .selectors import referrals_of
    from .worklist import referrals_waiting_to_be_seen

    register_relationship(Basis.REFERRAL, open_referral_relationship)
    register_provider("referral_waiting", referrals_waiting_to_be_seen)
    register_section(
        RecordSection(
            "referrals",
            14,
            "referrals/_person_section.jinja",
            lambda record: {"referrals": referrals_of(record.person)},
            tabs=("episodes",),
        )
    )
