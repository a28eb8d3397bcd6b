"""Episodes, coordinators, transfers and discharge: the rules, and the audit rows written."""

import datetime

import pytest
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.policy import access_for
from waypoint.audit.models import Action, AuditEvent
from waypoint.episodes import services
from waypoint.episodes.factories import EpisodeFactory
from waypoint.episodes.models import Allocation, EndReason, Episode, EpisodeStatus, TransferStatus

SECRET = "Sleeping better since the new routine"
TODAY = timezone.localdate


def discharge_data(**overrides):
    data = {
        "kind": "planned",
        "discharged_on": TODAY(),
        "what_happened": SECRET,
        "current_medication": "Sertraline 100mg daily",
        "relapse_signs": "Not sleeping",
        "getting_back_in_touch": "Ask your GP",
        "crisis_numbers": "NHS 111",
    }
    return {**data, **overrides}


def transfer_data(**overrides):
    return {
        "direction": "step_up",
        "reason": "Hard to engage",
        "handover_summary": SECRET,
        "care_approach": "",
        **overrides,
    }


@pytest.fixture
def episode(accepted_referral, coordinator):
    return services.open_episode_from_referral(
        by=Actor(coordinator, basis="team"),
        referral=accepted_referral,
        care_approach="cpa",
        started_on=TODAY(),
    )


@pytest.mark.django_db
class TestOpenEpisode:
    def test_from_an_accepted_referral_links_the_current_coordinator(
        self, accepted_referral, manager, coordinator
    ):
        allocation = services.allocate(
            by=Actor(manager, basis="team"),
            referral=accepted_referral,
            worker=coordinator,
            kind="care_coordinator",
        )
        assert allocation.episode is None
        episode = services.open_episode_from_referral(
            by=Actor(manager, basis="team"), referral=accepted_referral, care_approach="keyworker"
        )
        allocation.refresh_from_db()
        assert allocation.episode == episode
        assert (episode.status, episode.referral, episode.opened_by) == ("open", accepted_referral, manager)
        event = AuditEvent.objects.get(action=Action.CREATE, record_type="episode")
        # The row carries the basis the access policy gives the manager (here the open referral or
        # the team's books), not a fixed one.
        assert event.person == accepted_referral.person
        assert event.basis == access_for(manager, accepted_referral.person).basis

    def test_the_referral_moves_on_from_in_assessment_when_an_episode_opens_from_it(
        self, accepted_referral, coordinator
    ):
        from waypoint.referrals.models import Status

        accepted_referral.status = Status.IN_ASSESSMENT
        accepted_referral.save()
        services.open_episode_from_referral(
            by=Actor(coordinator, basis="team"), referral=accepted_referral, care_approach="cpa"
        )
        accepted_referral.refresh_from_db()
        assert accepted_referral.get_status_display() == "Accepted – episode of care open"
        assert accepted_referral.is_open  # MHSDS counts the service request until discharge
        event = AuditEvent.objects.get(record_type="referral", record_id=accepted_referral.pk)
        assert (event.action, event.fields_changed) == (Action.UPDATE, ["status"])

    def test_referral_not_accepted_is_refused(self, team, person, coordinator):
        from waypoint.referrals.factories import ReferralFactory

        referral = ReferralFactory(team=team, person=person)
        with pytest.raises(services.ReferralNotAccepted):
            services.open_episode_from_referral(
                by=Actor(coordinator, basis="team"), referral=referral, care_approach="cpa"
            )

    def test_only_one_open_episode_per_team(self, episode, accepted_referral, coordinator):
        with pytest.raises(services.AlreadyOpen):
            services.open_episode_from_referral(
                by=Actor(coordinator, basis="team"), referral=accepted_referral, care_approach="cpa"
            )

    def test_for_a_person_on_the_books(self, person, team, coordinator, outreach_team):
        episode = services.open_episode(
            by=Actor(coordinator, basis="team"), person=person, team=team, care_approach="non_cpa"
        )
        assert episode.referral is None
        with pytest.raises(services.NotATeamMember):
            services.open_episode(
                by=Actor(coordinator, basis="team"), person=person, team=outreach_team, care_approach="cpa"
            )

    def test_not_on_the_books_is_refused(self, team, coordinator):
        from waypoint.patients.factories import PersonFactory

        with pytest.raises(services.EpisodeProblem):
            services.open_episode(
                by=Actor(coordinator, basis="team"), person=PersonFactory(), team=team, care_approach="cpa"
            )

    def test_allocating_a_coordinator_from_the_referral_joins_the_open_episode(
        self, episode, accepted_referral, manager, coordinator
    ):
        allocation = services.allocate(
            by=Actor(manager, basis="team"),
            referral=accepted_referral,
            worker=coordinator,
            kind="care_coordinator",
        )
        assert allocation.episode == episode


@pytest.mark.django_db
class TestCareCoordinator:
    def test_change_ends_the_previous_and_keeps_history(self, episode, coordinator, manager, team):
        from waypoint.accounts.factories import make_staff

        other = make_staff(team=team, username="cc.two")
        first = services.assign_care_coordinator(
            by=Actor(manager, basis="team"), episode=episode, worker=coordinator
        )
        second = services.assign_care_coordinator(
            by=Actor(manager, basis="team"), episode=episode, worker=other
        )
        first.refresh_from_db()
        assert first.ended_at is not None and second.ended_at is None
        assert list(Allocation.objects.filter(episode=episode).order_by("pk")) == [first, second]
        assert AuditEvent.objects.filter(record_type="allocation", action=Action.UPDATE).count() == 1

    def test_worker_outside_the_team_is_refused(self, episode, manager, outsider):
        with pytest.raises(services.NotATeamMember):
            services.assign_care_coordinator(
                by=Actor(manager, basis="team"), episode=episode, worker=outsider
            )

    def test_stale_version_is_refused(self, episode, manager, coordinator):
        services.assign_care_coordinator(
            by=Actor(manager, basis="team"), episode=episode, worker=coordinator, version=1
        )
        with pytest.raises(services.StaleEpisode):
            services.assign_care_coordinator(
                by=Actor(manager, basis="team"), episode=episode, worker=coordinator, version=1
            )


@pytest.mark.django_db
class TestTransfer:
    def test_request_keeps_the_episode_open_until_accepted(
        self, episode, coordinator, outreach_team, outreach_worker
    ):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"), episode=episode, to_team=outreach_team, data=transfer_data()
        )
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.TRANSFER_PENDING and episode.is_open
        assert transfer.care_approach == "cpa"  # same care approach unless changed
        # The person is never left without an open episode: discharge is refused while pending.
        with pytest.raises(services.TransferPending):
            services.discharge(by=Actor(coordinator, basis="team"), episode=episode, data=discharge_data())
        assert Episode.objects.open().filter(person=episode.person).count() == 1
        event = AuditEvent.objects.get(action=Action.TRANSFER)
        assert "handover_summary" in event.fields_changed
        assert SECRET not in str(AuditEvent.objects.values_list())

    def test_accept_opens_the_receiving_episode_then_closes_the_sending_one(
        self, episode, coordinator, manager, outreach_team, outreach_worker
    ):
        services.assign_care_coordinator(by=Actor(manager, basis="team"), episode=episode, worker=coordinator)
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=episode,
            to_team=outreach_team,
            data=transfer_data(care_approach="keyworker"),
        )
        receiving = services.accept_transfer(by=Actor(outreach_worker, basis="team"), transfer=transfer)
        episode.refresh_from_db()
        transfer.refresh_from_db()
        assert (episode.status, episode.end_reason, episode.ended_on) == (
            "closed",
            EndReason.TRANSFERRED,
            TODAY(),
        )
        assert (receiving.team, receiving.status, receiving.care_approach) == (
            outreach_team,
            "open",
            "keyworker",
        )
        assert (transfer.status, transfer.to_episode, transfer.decided_by) == (
            TransferStatus.ACCEPTED,
            receiving,
            outreach_worker,
        )
        assert not Allocation.objects.current().filter(episode=episode).exists()
        assert Episode.objects.open().filter(person=episode.person).get() == receiving

    def test_only_the_receiving_team_decides(self, episode, coordinator, outreach_team, outsider):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"), episode=episode, to_team=outreach_team, data=transfer_data()
        )
        with pytest.raises(services.NotATeamMember):
            services.accept_transfer(by=Actor(outsider, basis="team"), transfer=transfer)
        with pytest.raises(services.NotATeamMember):
            services.accept_transfer(by=Actor(coordinator, basis="team"), transfer=transfer)

    def test_decline_needs_a_reason_and_the_episode_carries_on(
        self, episode, coordinator, outreach_team, outreach_worker
    ):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"), episode=episode, to_team=outreach_team, data=transfer_data()
        )
        with pytest.raises(services.EpisodeProblem):
            services.decline_transfer(by=Actor(outreach_worker, basis="team"), transfer=transfer, reason=" ")
        services.decline_transfer(
            by=Actor(outreach_worker, basis="team"), transfer=transfer, reason="Not our criteria"
        )
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.OPEN
        with pytest.raises(services.TransferNotPending):
            services.accept_transfer(by=Actor(outreach_worker, basis="team"), transfer=transfer)

    def test_withdraw(self, episode, coordinator, outreach_team):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"), episode=episode, to_team=outreach_team, data=transfer_data()
        )
        services.withdraw_transfer(by=Actor(coordinator, basis="team"), transfer=transfer)
        episode.refresh_from_db()
        transfer.refresh_from_db()
        assert (episode.status, transfer.status) == ("open", "withdrawn")

    def test_only_one_pending_and_not_to_the_same_team(self, episode, coordinator, outreach_team, team):
        services.request_transfer(
            by=Actor(coordinator, basis="team"), episode=episode, to_team=outreach_team, data=transfer_data()
        )
        with pytest.raises(services.TransferPending):
            services.request_transfer(
                by=Actor(coordinator, basis="team"),
                episode=episode,
                to_team=outreach_team,
                data=transfer_data(),
            )
        other = EpisodeFactory(team=team)
        with pytest.raises(services.EpisodeProblem):
            services.request_transfer(
                by=Actor(coordinator, basis="team"), episode=other, to_team=team, data=transfer_data()
            )


@pytest.mark.django_db
class TestDischarge:
    def test_discharge_closes_the_episode_and_ends_the_coordinator(self, episode, coordinator, manager):
        allocation = services.assign_care_coordinator(
            by=Actor(manager, basis="team"), episode=episode, worker=coordinator
        )
        record = services.discharge(
            by=Actor(coordinator, basis="team"), episode=episode, data=discharge_data()
        )
        episode.refresh_from_db()
        allocation.refresh_from_db()
        assert (episode.status, episode.end_reason, episode.ended_on) == ("closed", "discharged", TODAY())
        assert allocation.ended_at is not None
        assert record.reason_text == "Planned and agreed"
        event = AuditEvent.objects.get(action=Action.DISCHARGE)
        assert {"kind", "what_happened", "current_medication"} <= set(event.fields_changed)
        assert SECRET not in str(AuditEvent.objects.values_list())

    def test_a_discharged_episode_is_read_only(self, episode, coordinator, outreach_team):
        services.discharge(by=Actor(coordinator, basis="team"), episode=episode, data=discharge_data())
        with pytest.raises(services.EpisodeClosed):
            services.discharge(by=Actor(coordinator, basis="team"), episode=episode, data=discharge_data())
        with pytest.raises(services.EpisodeClosed):
            services.assign_care_coordinator(
                by=Actor(coordinator, basis="team"), episode=episode, worker=coordinator
            )
        with pytest.raises(services.EpisodeClosed):
            services.request_transfer(
                by=Actor(coordinator, basis="team"),
                episode=episode,
                to_team=outreach_team,
                data=transfer_data(),
            )

    def test_unplanned_needs_a_reason_and_dates_are_checked(self, episode, coordinator):
        with pytest.raises(services.EpisodeProblem):
            services.discharge(
                by=Actor(coordinator, basis="team"), episode=episode, data=discharge_data(kind="unplanned")
            )
        with pytest.raises(services.EpisodeProblem):
            services.discharge(
                by=Actor(coordinator, basis="team"),
                episode=episode,
                data=discharge_data(discharged_on=episode.started_on - datetime.timedelta(days=1)),
            )
        record = services.discharge(
            by=Actor(coordinator, basis="team"),
            episode=episode,
            data=discharge_data(
                kind="unplanned", unplanned_reason="disengaged", disengagement_procedure_followed=True
            ),
        )
        assert (
            record.disengagement_procedure_followed
            and record.reason_text == "Unplanned – disengaged from the service"
        )

    def test_only_the_team_discharges(self, episode, outsider):
        with pytest.raises(services.NotATeamMember):
            services.discharge(by=Actor(outsider, basis="team"), episode=episode, data=discharge_data())
