import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, Status


def referral_post(team, **overrides):
    now = timezone.localtime() - datetime.timedelta(minutes=5)
    data = {
        "referral-team": str(team.pk),
        "referral-received_on_day": str(now.day),
        "referral-received_on_month": str(now.month),
        "referral-received_on_year": str(now.year),
        "referral-received_time": now.strftime("%H:%M"),
        "referral-source": "gp",
        "referral-referrer_name": "Dr Synthetic",
        "referral-reason": "Synthetic reason for referral",
        "referral-urgency_requested": "urgent",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestNewReferral:
    @pytest.fixture
    def coordinator_client(self, client, team):
        """The team's admin and records officer: referral intake is their work."""
        client.force_login(make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.north"))
        return client

    def test_new_person_registered_with_the_referral(self, coordinator_client, team):
        url = reverse("referrals:new") + "?nhs_number=9990000018"
        data = referral_post(
            team,
            **{
                "person-nhs_number": "9990000018",
                "person-given_name": "Brand",
                "person-family_name": "Newperson",
                "person-date_of_birth_day": "1",
                "person-date_of_birth_month": "2",
                "person-date_of_birth_year": "1990",
                "person-sex": "X",
                "person-gender_identity": "X",
                "person-ethnicity": "99",
                "person-accommodation_status": "not_known",
                "person-employment_status": "ZZ",
                "person-preferred_language": "English",
            },
        )
        response = coordinator_client.post(url, data)
        assert response.status_code == 302
        assert Referral.objects.get().person.family_name == "Newperson"

    def test_bad_input_shows_errors_and_keeps_text(self, coordinator_client, team, person):
        url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
        response = coordinator_client.post(
            url,
            referral_post(
                team,
                **{
                    "referral-referrer_name": "",
                    "referral-reason": "Kept reason text",
                    "referral-received_time": "25:00",
                },
            ),
        )
        body = response.content.decode()
        assert "Error:" in body
        assert "Enter the referrer" in body
        assert "Enter a time in the 24-hour clock" in body
        assert "Kept reason text" in body
        assert not Referral.objects.exists()

    def test_a_self_referral_does_not_ask_for_a_referrers_name(self, coordinator_client, team, person):
        """Issue 18, item 12."""
        url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
        data = referral_post(team, **{"referral-source": "self", "referral-referrer_name": ""})
        assert coordinator_client.post(url, data).status_code == 302
        assert Referral.objects.get().referrer_name == ""

    def test_invalid_nhs_number_on_the_first_step(self, coordinator_client):
        body = coordinator_client.get(reverse("referrals:new"), {"nhs_number": "123"}).content.decode()
        assert "NHS number must be 10 digits" in body


@pytest.mark.django_db
class TestTriageAndDetail:
    def test_triage_page_records_decision(self, coordinator_client, coordinator, team, person):
        referral = ReferralFactory(team=team, person=person)
        url = reverse("referrals:triage", args=[referral.pk])
        response = coordinator_client.post(url, {"urgency": "urgent", "decision": "signpost", "version": "1"})
        assert "Enter where the person has been signposted to" in response.content.decode()
        response = coordinator_client.post(
            url,
            {
                "urgency": "urgent",
                "decision": "signpost",
                "signposted_to": "Talking therapies",
                "version": "1",
            },
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.SIGNPOSTED
        letter = coordinator_client.get(reverse("referrals:letter", args=[referral.pk])).content.decode()
        assert "Talking therapies" in letter and person.full_name in letter

    def test_detail_shows_clocks_and_is_audited(self, coordinator_client, coordinator, team, person):
        referral = ReferralFactory(
            team=team, person=person, received_at=timezone.now() - datetime.timedelta(days=35)
        )
        body = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "Over 4 weeks" in body
        assert "Breached" in body
        # Every part is built now (the outcome measure part comes from waypoint.measures).
        assert "First baseline outcome measure" in body and "Not yet recorded" in body
        assert AuditEvent.objects.filter(record_type="referral", action="view", user=coordinator).exists()

    def test_another_team_cannot_triage_even_with_break_glass(self, outsider_client, outsider, team, person):
        from waypoint.access.services import start_break_glass

        referral = ReferralFactory(team=team, person=person)
        start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Synthetic crisis call"),
            person=person,
            reason="Synthetic crisis call",
        )
        assert outsider_client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
        assert outsider_client.get(reverse("referrals:triage", args=[referral.pk])).status_code == 404


@pytest.mark.django_db
class TestWaitingList:
    def make_waiting(self, team, days_ago, urgency="routine", **kwargs):
        return ReferralFactory(
            team=team,
            status=Status.WAITING,
            decision="accept",
            urgency=urgency,
            received_at=timezone.now() - datetime.timedelta(days=days_ago),
            **kwargs,
        )

    def test_ordered_by_urgency_then_breach_and_marks_breaches(self, coordinator_client, team):
        old_routine = self.make_waiting(team, 40, person=PersonFactory(family_name="Oldroutine"))
        new_urgent = self.make_waiting(
            team, 1, urgency="urgent", person=PersonFactory(family_name="Newurgent")
        )
        new_routine = self.make_waiting(team, 2, person=PersonFactory(family_name="Newroutine"))
        body = coordinator_client.get(reverse("referrals:waiting_list")).content.decode()
        positions = [body.index(name) for name in ("NEWURGENT", "OLDROUTINE", "NEWROUTINE")]
        assert positions == sorted(positions)
        assert "waypoint-row-breached" in body
        assert old_routine and new_urgent and new_routine

    def test_filters_and_csv(self, client, coordinator, team):
        # A Wednesday at noon (after the fixtures' memberships start): at 17:00 a day-old urgent
        # referral would also be past its target, so the time of day must not come from the clock.
        with time_machine.travel(datetime.datetime(2030, 1, 16, 12, 0, tzinfo=datetime.UTC), tick=False):
            client.force_login(coordinator)
            self.make_waiting(team, 40)
            self.make_waiting(team, 1, urgency="urgent", source="self")
            url = reverse("referrals:waiting_list")
            breached = client.get(url, {"breached": "yes"}).content.decode()
            assert breached.count("waypoint-row-breached") == 1
            assert breached.count("nhsuk-table__row") == 2  # the header row and one breached person
            response = client.get(url, {"source": "self", "format": "csv"})
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            assert rows[0][0] == "Name" and len(rows) == 2

    def test_other_teams_waiting_list_is_404(self, coordinator_client, other_team):
        assert (
            coordinator_client.get(reverse("referrals:waiting_list"), {"team": other_team.pk}).status_code
            == 404
        )

    def test_query_count_does_not_grow(self, coordinator_client, team, django_assert_max_num_queries):
        url = reverse("referrals:waiting_list")
        for days in (1, 30):
            self.make_waiting(team, days)
        with django_assert_max_num_queries(30) as baseline:
            coordinator_client.get(url)
        for days in range(40):
            self.make_waiting(team, days)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)


@pytest.mark.django_db
class TestAllocation:
    def test_manager_allocates_seeing_caseloads_and_worker_gains_access(self, client, team, person):
        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager.north")
        worker = make_staff(team=team, username="worker.north", first_name="Wendy", last_name="Worker")
        referral = ReferralFactory(
            team=team, person=person, status=Status.WAITING, decision="accept", urgency="routine"
        )
        client.force_login(manager)
        url = reverse("episodes:allocate", args=[referral.pk])
        page = client.get(url).content.decode()
        assert "Wendy Worker" in page and "0 as care coordinator" in page
        response = client.post(url, {"kind": "assessing", "worker": str(worker.pk)})
        assert response.status_code == 302
        response = client.post(url, {"kind": "care_coordinator", "worker": str(worker.pk)})
        from waypoint.access.policy import _providers
        from waypoint.audit.models import Basis

        allocated = _providers[Basis.ALLOCATION](worker, timezone.now())
        assert person.pk in {row["person_id"] for row in allocated}
        caseloads = client.get(reverse("worklist:team")).content.decode()
        assert "Wendy Worker" in caseloads

    def test_reallocating_ends_the_previous_allocation(self, team, person):
        from waypoint.episodes.models import Allocation
        from waypoint.episodes.services import allocate

        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="m2")
        first, second = make_staff(team=team, username="w1"), make_staff(team=team, username="w2")
        referral = ReferralFactory(team=team, person=person)
        allocate(by=Actor(manager, basis="team"), referral=referral, worker=first, kind="care_coordinator")
        allocate(by=Actor(manager, basis="team"), referral=referral, worker=second, kind="care_coordinator")
        history = list(Allocation.objects.order_by("started_at", "pk"))
        assert history[0].ended_at is not None and history[1].ended_at is None

    def test_coordinator_cannot_allocate(self, coordinator_client, team, person):
        referral = ReferralFactory(team=team, person=person)
        assert coordinator_client.get(reverse("episodes:allocate", args=[referral.pk])).status_code == 404
