"""Episode pages: open, coordinator, transfer, decision, discharge, letters; errors, audit, access, queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.audit.models import Action, AuditEvent
from waypoint.episodes import services
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory, TransferFactory
from waypoint.episodes.models import Episode, EpisodeStatus, Transfer
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

HANDOVER = "Prefers afternoon visits; dog at home (synthetic)"


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def episode(accepted_referral, coordinator):
    return services.open_episode_from_referral(
        by=Actor(coordinator, basis="team"), referral=accepted_referral, care_approach="cpa"
    )


def episode_url(name, episode):
    return reverse(f"episodes:{name}", args=[episode.person_id, episode.pk])


@pytest.mark.django_db
class TestOpenEpisode:
    def test_referral_page_links_to_it(self, coordinator_client, accepted_referral):
        page = coordinator_client.get(
            reverse("referrals:detail", args=[accepted_referral.pk])
        ).content.decode()
        assert reverse("episodes:open_from_referral", args=[accepted_referral.pk]) in page

    def test_open_from_referral(self, coordinator_client, accepted_referral):
        url = reverse("episodes:open_from_referral", args=[accepted_referral.pk])
        response = coordinator_client.post(url, {})
        page = response.content.decode()
        assert "<title>Error: " in page and "Choose the care approach" in page
        response = coordinator_client.post(
            url, {"care_approach": "keyworker", **date_fields("started_on", timezone.localdate())}
        )
        episode = Episode.objects.get()
        assert response["Location"] == episode_url("episode", episode)
        assert episode.care_approach == "keyworker" and episode.referral == accepted_referral

    def test_not_accepted_referral_goes_back(self, coordinator_client, team, person):
        from waypoint.referrals.factories import ReferralFactory

        referral = ReferralFactory(team=team, person=person)
        response = coordinator_client.get(reverse("episodes:open_from_referral", args=[referral.pk]))
        assert response["Location"] == reverse("referrals:detail", args=[referral.pk])

    def test_open_for_a_person_on_the_books(self, coordinator_client, person, team):
        url = reverse("episodes:open_for_person", args=[person.pk])
        assert "North CMHT" in coordinator_client.get(url).content.decode()
        coordinator_client.post(
            url,
            {"team": team.pk, "care_approach": "non_cpa", **date_fields("started_on", timezone.localdate())},
        )
        assert Episode.objects.get().team == team
        page = coordinator_client.get(url).content.decode()
        assert "without an open episode already" in page

    def test_future_start_date_refused_and_choices_kept(self, coordinator_client, person, team):
        tomorrow = timezone.localdate() + timezone.timedelta(days=1)
        page = coordinator_client.post(
            reverse("episodes:open_for_person", args=[person.pk]),
            {"team": team.pk, "care_approach": "non_cpa", **date_fields("started_on", tomorrow)},
        ).content.decode()
        assert "Start date must be today or in the past" in page
        assert 'value="non_cpa" checked' in page
        assert not Episode.objects.exists()


@pytest.mark.django_db
class TestEpisodePage:
    def test_shows_coordinator_history_and_is_audited(
        self, coordinator_client, episode, manager, coordinator, team
    ):
        other = make_staff(team=team, username="cc.two", first_name="Robin", last_name="Second")
        services.assign_care_coordinator(by=Actor(manager, basis="team"), episode=episode, worker=coordinator)
        services.assign_care_coordinator(by=Actor(manager, basis="team"), episode=episode, worker=other)
        page = coordinator_client.get(episode_url("episode", episode)).content.decode()
        assert "Casey Coordinator" in page and "Robin Second" in page
        assert "Transfer to another team" in page
        event = AuditEvent.objects.filter(action=Action.VIEW, record_type="episode").get()
        assert event.record_id == str(episode.pk)

    def test_episode_for_another_person_is_404(self, coordinator_client, episode, team):
        other = TeamRegistrationFactory(team=team).person
        url = reverse("episodes:episode", args=[other.pk, episode.pk])
        assert coordinator_client.get(url).status_code == 404

    def test_change_coordinator_page(self, coordinator_client, episode, coordinator):
        url = episode_url("care_coordinator", episode)
        page = coordinator_client.post(url, {"version": episode.version}).content.decode()
        assert "Choose a worker" in page
        response = coordinator_client.post(url, {"worker": coordinator.pk, "version": episode.version})
        assert response.status_code == 302
        assert episode.allocations.get().worker == coordinator

    def test_only_the_team_changes_it(self, episode, outreach_worker, client):
        TransferFactory(from_episode=episode, person=episode.person, to_team=outreach_worker.teams.get())
        client.force_login(outreach_worker)
        assert client.get(episode_url("episode", episode)).status_code == 200  # transfer relationship
        for name in ("care_coordinator", "request_transfer", "discharge"):
            assert client.get(episode_url(name, episode)).status_code == 404


@pytest.mark.django_db
class TestTransferPages:
    def test_request_errors_then_success(self, coordinator_client, episode, outreach_team):
        url = episode_url("request_transfer", episode)
        page = coordinator_client.post(url, {"handover_summary": HANDOVER, "version": 1}).content.decode()
        assert "Choose the team to transfer to" in page and "Enter the reason for the transfer" in page
        assert HANDOVER in page  # nothing typed is lost
        response = coordinator_client.post(
            url,
            {
                "to_team": outreach_team.pk,
                "direction": "step_up",
                "reason": "Hard to engage",
                "handover_summary": HANDOVER,
                "care_approach": "cpa",
                "version": 1,
            },
        )
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.TRANSFER_PENDING
        page = coordinator_client.get(episode_url("episode", episode)).content.decode()
        assert "waiting for a decision" in page and "Withdraw the transfer request" in page

    def test_stale_request_keeps_the_text(self, coordinator_client, episode, outreach_team, coordinator):
        services.assign_care_coordinator(
            by=Actor(coordinator, basis="team"), episode=episode, worker=coordinator
        )
        page = coordinator_client.post(
            episode_url("request_transfer", episode),
            {
                "to_team": outreach_team.pk,
                "direction": "step_up",
                "reason": "Hard to engage",
                "handover_summary": HANDOVER,
                "care_approach": "cpa",
                "version": 1,
            },
        ).content.decode()
        assert "Someone else changed this episode" in page and HANDOVER in page
        assert not Transfer.objects.exists()

    def test_receiving_member_accepts(self, client, episode, coordinator, outreach_team, outreach_worker):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=episode,
            to_team=outreach_team,
            data={"direction": "step_up", "reason": "r", "handover_summary": HANDOVER},
        )
        client.force_login(outreach_worker)
        url = reverse("episodes:decide_transfer", args=[episode.person_id, transfer.pk])
        assert HANDOVER in client.get(url).content.decode()
        page = client.post(url, {"decision": "decline"}).content.decode()
        assert "Enter the reason for declining the transfer" in page
        response = client.post(url, {"decision": "accept", "care_approach": "keyworker"})
        receiving = Episode.objects.get(team=outreach_team)
        assert response["Location"] == episode_url("episode", receiving)
        assert receiving.care_approach == "keyworker"

    def test_sending_team_cannot_decide(self, coordinator_client, episode, coordinator, outreach_team):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=episode,
            to_team=outreach_team,
            data={"direction": "step_up", "reason": "r", "handover_summary": "h"},
        )
        url = reverse("episodes:decide_transfer", args=[episode.person_id, transfer.pk])
        assert coordinator_client.get(url).status_code == 404
        withdraw = reverse("episodes:withdraw_transfer", args=[episode.person_id, transfer.pk])
        assert coordinator_client.post(withdraw).status_code == 302
        transfer.refresh_from_db()
        assert transfer.status == "withdrawn"

    def test_transfers_page_query_count_does_not_grow(
        self, client, team, outreach_team, outreach_worker, coordinator, django_assert_max_num_queries
    ):
        def make_transfers(n):
            for _ in range(n):
                incoming = EpisodeFactory(team=team, status="transfer_pending", opened_by=coordinator)
                TransferFactory(from_episode=incoming, person=incoming.person, to_team=outreach_team)
                outgoing = EpisodeFactory(
                    team=outreach_team, status="transfer_pending", opened_by=outreach_worker
                )
                TransferFactory(from_episode=outgoing, person=outgoing.person, to_team=team)

        client.force_login(outreach_worker)
        url = reverse("episodes:transfers")
        make_transfers(1)
        with django_assert_max_num_queries(50) as baseline:
            client.get(url)
        make_transfers(9)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            page = client.get(url).content.decode()
        assert page.count("Awaiting decision") == 20
        assert AuditEvent.objects.filter(record_type="transfer_list").count() == 2

    def test_a_declined_transfer_no_longer_names_the_person_to_the_receiving_team(
        self, client, team, outreach_team, outreach_worker, coordinator
    ):
        sending = EpisodeFactory(team=team, status="transfer_pending", opened_by=coordinator)
        transfer = TransferFactory(from_episode=sending, person=sending.person, to_team=outreach_team)
        client.force_login(outreach_worker)
        url = reverse("episodes:transfers")
        assert sending.person.listing_name in client.get(url).content.decode()
        services.decline_transfer(
            by=Actor(outreach_worker, basis="team"),
            transfer=transfer,
            reason="Not the right team (synthetic)",
        )
        assert sending.person.listing_name not in client.get(url).content.decode()


@pytest.mark.django_db
class TestDischargePages:
    def post_data(self, **overrides):
        return {
            "kind": "unplanned",
            "unplanned_reason": "disengaged",
            **date_fields("discharged_on", timezone.localdate()),
            "what_happened": HANDOVER,
            "getting_back_in_touch": "Ask your GP",
            "crisis_numbers": "NHS 111",
            "version": 1,
            **overrides,
        }

    def test_disengaged_needs_the_procedure_confirmed(self, coordinator_client, episode):
        url = episode_url("discharge", episode)
        page = coordinator_client.post(url, self.post_data()).content.decode()
        assert "Follow the disengagement procedure" in page and HANDOVER in page
        assert "<title>Error: " in page
        response = coordinator_client.post(url, self.post_data(disengagement_procedure_followed="on"))
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.is_closed
        # Read-only now: the form sends the user back to the episode.
        assert coordinator_client.get(url)["Location"] == episode_url("episode", episode)

    def test_discharge_refused_while_transfer_pending(
        self, coordinator_client, episode, coordinator, outreach_team
    ):
        services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=episode,
            to_team=outreach_team,
            data={"direction": "step_up", "reason": "r", "handover_summary": "h"},
        )
        response = coordinator_client.post(episode_url("discharge", episode), self.post_data(version=2))
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.TRANSFER_PENDING

    def test_letters(self, coordinator_client, episode, person):
        person.preferred_name = "Sunny"
        person.save()
        coordinator_client.post(
            episode_url("discharge", episode), self.post_data(kind="planned", unplanned_reason="")
        )
        to_person = coordinator_client.get(episode_url("discharge_letter_person", episode)).content.decode()
        assert "Dear Sunny," in to_person and HANDOVER in to_person and "NHS 111" in to_person
        to_gp = coordinator_client.get(episode_url("discharge_letter_gp", episode)).content.decode()
        assert "Dear colleague" in to_gp and "Planned and agreed" in to_gp
        assert AuditEvent.objects.filter(action=Action.PRINT, record_type="discharge_letter").count() == 2

    def test_no_letter_before_discharge(self, coordinator_client, episode):
        assert coordinator_client.get(episode_url("discharge_letter_gp", episode)).status_code == 404


@pytest.mark.django_db
class TestRecordSection:
    def test_shows_current_and_past_with_a_fixed_number_of_queries(
        self, coordinator_client, team, coordinator, person, django_assert_max_num_queries
    ):
        url = reverse("patients:record_episodes", args=[person.pk])
        CoordinatorAllocationFactory(episode=EpisodeFactory(person=person, team=team), worker=coordinator)
        with django_assert_max_num_queries(100) as baseline:
            page = coordinator_client.get(url).content.decode()
        assert "Casey Coordinator" in page and "Care Programme Approach (CPA)" in page
        from waypoint.episodes.factories import DischargeFactory

        for _ in range(5):
            DischargeFactory(episode__person=person, episode__team=team)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            page = coordinator_client.get(url).content.decode()
        assert "Past episodes of care (5)" in page


@pytest.mark.django_db
class TestWorklist:
    def test_transfer_awaiting_decision_for_many_people_in_one_query(
        self, team, outreach_team, django_assert_num_queries
    ):
        from waypoint.episodes.worklist import transfers_awaiting_decision

        people = [PersonFactory() for _ in range(3)]
        for one in people:
            TransferFactory(from_episode__person=one, from_episode__team=team, to_team=outreach_team)
        with django_assert_num_queries(1):
            items = list(transfers_awaiting_decision([p.pk for p in people], timezone.localdate()))
        assert {item.person_id for item in items} == {p.pk for p in people}
        assert items[0].what == "Transfer to Assertive Outreach Team awaiting their decision"


@pytest.mark.django_db
def test_episode_page_query_count_does_not_grow(
    coordinator_client, team, coordinator, outreach_team, django_assert_max_num_queries
):
    episode = EpisodeFactory(
        team=team, opened_by=coordinator, person=TeamRegistrationFactory(team=team).person
    )
    url = episode_url("episode", episode)

    def add_history(n):
        for _ in range(n):
            worker = make_staff(team=team)
            services.assign_care_coordinator(
                by=Actor(coordinator, basis="team"), episode=episode, worker=worker
            )
            transfer = services.request_transfer(
                by=Actor(coordinator, basis="team"),
                episode=episode,
                to_team=outreach_team,
                data={"direction": "step_up", "reason": "r", "handover_summary": "h"},
            )
            services.withdraw_transfer(by=Actor(coordinator, basis="team"), transfer=transfer)

    add_history(1)
    with django_assert_max_num_queries(60) as baseline:
        coordinator_client.get(url)
    add_history(8)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = coordinator_client.get(url).content.decode()
    assert page.count("Withdrawn") == 9


@pytest.mark.django_db
class TestCareApproach:
    def test_change_keeps_history_and_audits(self, coordinator_client, episode):
        url = episode_url("care_approach", episode)
        page = coordinator_client.post(url, {"care_approach": "cpa", "version": 1}).content.decode()
        assert "That is the care approach already" in page
        response = coordinator_client.post(url, {"care_approach": "keyworker", "version": 1})
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.care_approach == "keyworker"
        change = episode.care_approach_changes.get()
        assert (change.care_approach_before, change.care_approach) == ("cpa", "keyworker")
        event = AuditEvent.objects.filter(record_type="episode", action=Action.UPDATE).get()
        assert event.fields_changed == ["care_approach"]
        page = coordinator_client.get(episode_url("episode", episode)).content.decode()
        assert "Care Programme Approach (CPA) to Keyworker" in page

    def test_stale_change_is_refused(self, coordinator_client, episode):
        services.change_care_approach(
            by=Actor(episode.opened_by, basis="team"), episode=episode, care_approach="non_cpa"
        )
        page = coordinator_client.post(
            episode_url("care_approach", episode), {"care_approach": "keyworker", "version": 1}
        ).content.decode()
        assert "Someone else changed this episode" in page
        episode.refresh_from_db()
        assert episode.care_approach == "non_cpa"
