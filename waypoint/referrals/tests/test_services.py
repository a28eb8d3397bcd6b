import datetime

import pytest
from django.utils import timezone

from waypoint.access import policy
from waypoint.access.actor import Actor
from waypoint.access.services import start_break_glass
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import Membership, RoleCode
from waypoint.audit.models import AuditEvent, Basis
from waypoint.duty.factories import DutyShiftFactory
from waypoint.patients.factories import PersonFactory
from waypoint.referrals import services
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, ReferralClaim, Status


def acting(user, person):
    """The actor a view would build (`acting_on`): the user's basis for the person now, or none."""
    access = policy.access_for(user, person)
    if access is None:
        return Actor(user, basis=Basis.NONE)
    return Actor(user, basis=access.basis, break_glass_reason=access.break_glass_reason)


def referral_data(team, **overrides):
    data = {
        "team": team,
        "received_at": timezone.now() - datetime.timedelta(hours=2),
        "source": "gp",
        "referrer_name": "Dr Synthetic",
        "reason": "Synthetic reason",
        "urgency_requested": "urgent",
    }
    data.update(overrides)
    return data


@pytest.fixture
def north_admin(team, other_team):
    """An admin and records officer in North CMHT who also does intake for South CMHT."""
    user = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.north")
    Membership.objects.create(user=user, team=other_team, is_primary=False)
    return user


@pytest.fixture
def south_admin(other_team):
    return make_staff(team=other_team, roles=[RoleCode.RECORDS_OFFICER], username="admin.south")


@pytest.mark.django_db
class TestRecordReferral:
    def test_a_person_outside_the_recorders_relationships_is_a_self_claim(
        self, south_admin, outsider, other_team, person
    ):
        with pytest.raises(services.ClaimReasonRequired):
            services.record_referral(
                by=acting(south_admin, person), person=person, data=referral_data(other_team)
            )
        referral = services.record_referral(
            by=acting(south_admin, person),
            person=person,
            data=referral_data(other_team),
            claim_reason="GP letter received by post today",
        )
        assert referral.status == Status.AWAITING_TRIAGE
        claim = ReferralClaim.objects.get(referral=referral)
        assert (claim.claimed_by, claim.reason, claim.reviewed_at) == (
            south_admin,
            "GP letter received by post today",
            None,
        )
        event = AuditEvent.objects.get(record_type="referral", action="create", record_id=str(referral.pk))
        assert (event.person, event.basis, event.break_glass_reason) == (
            person,
            Basis.NONE,
            "GP letter received by post today",
        )
        # Until triage only intake staff have the relationship, not the whole team.
        assert policy.access_for(south_admin, person).basis == Basis.REFERRAL
        assert policy.access_for(outsider, person) is None
        services.triage(  # a clinician triages (the records officer may not: docs/permissions.md)
            by=Actor(
                make_staff(
                    team=south_admin.teams.get(), roles=[RoleCode.TEAM_MANAGER], username="manager.south"
                ),
                basis="team",
            ),
            referral=referral,
            data={"urgency": "urgent", "decision": "accept"},
            version=None,
        )
        assert policy.access_for(outsider, person).basis == Basis.REFERRAL

    def test_a_person_the_recorder_works_with_is_not_a_claim(self, north_admin, outsider, other_team, person):
        referral = services.record_referral(
            by=acting(north_admin, person), person=person, data=referral_data(other_team)
        )
        assert not ReferralClaim.objects.exists()
        event = AuditEvent.objects.get(record_type="referral", action="create", record_id=str(referral.pk))
        assert event.basis == Basis.TEAM and event.break_glass_reason == ""
        assert policy.access_for(outsider, person).basis == Basis.REFERRAL

    def test_only_intake_staff_for_the_team_may_record(self, coordinator, south_admin, team, person):
        with pytest.raises(services.NotIntake):
            services.record_referral(by=acting(coordinator, person), person=person, data=referral_data(team))
        with pytest.raises(services.NotIntake):
            services.record_referral(
                by=acting(south_admin, person),
                person=person,
                data=referral_data(team),
                claim_reason="A long enough reason",
            )
        assert not Referral.objects.exists()

    def test_the_duty_worker_today_may_record(self, coordinator, outsider, team, person):
        DutyShiftFactory(team=team, worker=coordinator, date=timezone.localdate())
        services.record_referral(by=acting(coordinator, person), person=person, data=referral_data(team))
        assert Referral.objects.count() == 1

    def test_break_glass_is_not_a_relationship_for_a_referral(self, south_admin, other_team, person):
        start_break_glass(
            by=Actor(south_admin, basis="break_glass"), person=person, reason="Synthetic crisis call reason"
        )
        with pytest.raises(services.ClaimReasonRequired):
            services.record_referral(
                by=acting(south_admin, person), person=person, data=referral_data(other_team)
            )

    def test_open_referral_to_same_team_is_flagged_as_possible_duplicate(self, north_admin, team, person):
        first = services.record_referral(
            by=acting(north_admin, person), person=person, data=referral_data(team)
        )
        second = services.record_referral(
            by=acting(north_admin, person), person=person, data=referral_data(team)
        )
        assert first.possible_duplicate_of is None
        assert second.possible_duplicate_of == first

    def test_referral_to_another_team_is_not_a_duplicate(self, north_admin, team, other_team, person):
        services.record_referral(by=acting(north_admin, person), person=person, data=referral_data(team))
        other = services.record_referral(
            by=acting(north_admin, person), person=person, data=referral_data(other_team)
        )
        assert other.possible_duplicate_of is None

    def test_passing_on_a_self_claimed_referral_keeps_the_claim(
        self, south_admin, coordinator, team, other_team, person
    ):
        outside = PersonFactory()
        referral = services.record_referral(
            by=acting(south_admin, outside),
            person=outside,
            data=referral_data(other_team),
            claim_reason="Letter from the GP",
        )
        services.triage(  # a clinician triages (the records officer may not: docs/permissions.md)
            by=Actor(
                make_staff(
                    team=south_admin.teams.get(), roles=[RoleCode.TEAM_MANAGER], username="manager.south"
                ),
                basis="team",
            ),
            referral=referral,
            data={"urgency": "routine", "decision": "pass_on", "passed_to_team": team},
            version=None,
        )
        passed = Referral.objects.get(team=team, person=outside)
        assert passed.claim.reason == "Letter from the GP"
        assert policy.access_for(coordinator, outside) is None  # North's whole team waits for its triage

    def test_register_and_refer_does_not_put_the_person_on_any_books(self, north_admin, team):
        referral = services.register_and_refer(
            by=Actor(north_admin, basis="registration"),
            person_data={
                "nhs_number": "9990000018",
                "given_name": "New",
                "family_name": "Referral",
                "date_of_birth": datetime.date(1991, 1, 1),
            },
            data=referral_data(team),
        )
        assert not referral.person.team_registrations.exists()


@pytest.mark.django_db
class TestTriage:
    def test_accept_puts_on_waiting_list(self, coordinator, team):
        referral = ReferralFactory(team=team)
        services.triage(
            by=Actor(coordinator, basis="team"),
            referral=referral,
            data={"urgency": "urgent", "decision": "accept"},
            version=referral.version,
        )
        referral.refresh_from_db()
        assert referral.status == Status.WAITING and referral.triaged_by == coordinator
        assert Referral.objects.waiting_to_be_seen().filter(pk=referral.pk).exists()

    def test_reject_closes_with_reason(self, coordinator, team):
        referral = ReferralFactory(team=team)
        services.triage(
            by=Actor(coordinator, basis="team"),
            referral=referral,
            data={"urgency": "routine", "decision": "reject", "rejection_reason": "03"},
            version=None,
        )
        referral.refresh_from_db()
        assert referral.status == Status.REJECTED and referral.closed_at and referral.rejection_reason == "03"

    def test_pass_on_creates_a_referral_to_the_other_team_keeping_receipt_time(
        self, coordinator, team, other_team
    ):
        referral = ReferralFactory(team=team)
        services.triage(
            by=Actor(coordinator, basis="team"),
            referral=referral,
            data={"urgency": "routine", "decision": "pass_on", "passed_to_team": other_team},
            version=None,
        )
        passed = Referral.objects.get(team=other_team)
        assert passed.received_at == referral.received_at and passed.status == Status.AWAITING_TRIAGE

    def test_stale_triage_is_refused(self, coordinator, team):
        referral = ReferralFactory(team=team)
        services.record_clock_event(
            by=Actor(coordinator, basis="team"),
            referral=referral,
            event="first_contact_offered_at",
            moment=timezone.now(),
        )
        with pytest.raises(services.StaleReferral):
            services.triage(
                by=Actor(coordinator, basis="team"),
                referral=referral,
                data={"urgency": "urgent", "decision": "accept"},
                version=1,
            )

    def test_cannot_triage_twice(self, coordinator, team):
        referral = ReferralFactory(team=team)
        services.triage(
            by=Actor(coordinator, basis="team"),
            referral=referral,
            data={"urgency": "urgent", "decision": "accept"},
            version=None,
        )
        with pytest.raises(services.ReferralClosed):
            services.triage(
                by=Actor(coordinator, basis="team"),
                referral=referral,
                data={"urgency": "urgent", "decision": "accept"},
                version=None,
            )


@pytest.mark.django_db
def test_first_attended_contact_takes_the_person_off_the_waiting_list(coordinator, team):
    referral = ReferralFactory(team=team, status=Status.WAITING, urgency="routine", decision="accept")
    services.record_clock_event(
        by=Actor(coordinator, basis="team"),
        referral=referral,
        event="first_contact_attended_at",
        moment=timezone.now(),
    )
    referral.refresh_from_db()
    assert referral.status == Status.IN_ASSESSMENT
    assert not Referral.objects.waiting_to_be_seen().exists()
    event = AuditEvent.objects.get(record_type="referral", action="update")
    assert event.fields_changed == ["first_contact_attended_at"]
