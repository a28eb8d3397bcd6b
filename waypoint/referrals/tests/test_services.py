import datetime

import pytest
from django.utils import timezone

from waypoint.access import policy
from waypoint.access.actor import Actor
from waypoint.audit.models import AuditEvent, Basis
from waypoint.referrals import services
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, Status


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


@pytest.mark.django_db
class TestRecordReferral:
    def test_records_and_audits_and_gives_the_team_a_relationship(
        self, coordinator, outsider, other_team, person
    ):
        referral = services.record_referral(
            by=Actor(outsider, basis="team"), person=person, data=referral_data(other_team)
        )
        assert referral.status == Status.AWAITING_TRIAGE
        assert AuditEvent.objects.filter(
            record_type="referral", action="create", record_id=str(referral.pk)
        ).exists()
        assert policy.access_for(outsider, person).basis in {Basis.REFERRAL, Basis.TEAM}

    def test_open_referral_to_same_team_is_flagged_as_possible_duplicate(self, coordinator, team, person):
        first = services.record_referral(
            by=Actor(coordinator, basis="team"), person=person, data=referral_data(team)
        )
        second = services.record_referral(
            by=Actor(coordinator, basis="team"), person=person, data=referral_data(team)
        )
        assert first.possible_duplicate_of is None
        assert second.possible_duplicate_of == first

    def test_referral_to_another_team_is_not_a_duplicate(self, coordinator, team, other_team, person):
        services.record_referral(by=Actor(coordinator, basis="team"), person=person, data=referral_data(team))
        other = services.record_referral(
            by=Actor(coordinator, basis="team"), person=person, data=referral_data(other_team)
        )
        assert other.possible_duplicate_of is None

    def test_register_and_refer_does_not_put_the_person_on_any_books(self, coordinator, team):
        referral = services.register_and_refer(
            by=Actor(coordinator, basis="team"),
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
