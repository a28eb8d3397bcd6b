"""My caseload, the team view and one coordinator's caseload."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.audit.models import AuditEvent
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.worklist import referrals_waiting_to_be_seen
from waypoint.tasks.factories import TaskFactory
from waypoint.worklist import selectors
from waypoint.worklist.registry import DueItem, Severity, register_provider, severity_for

from .conftest import allocate_to

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def fake_provider(key, offset_days):
    """A provider like another module's: one query for everyone, an item for each person."""

    def provider(person_ids, today):
        from waypoint.patients.models import Person

        ids = list(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True))
        due = today + timedelta(days=offset_days)
        return [
            DueItem(pk, key, key.replace("_", " ").capitalize(), due, severity_for(due, today)) for pk in ids
        ]

    return provider


class TestSelectors:
    def test_caseload_holds_coordinated_and_assessed_people_only(self, coordinator, team, outsider):
        mine = allocate_to(coordinator, team, family_name="Mine")
        assessed = allocate_to(coordinator, team, kind="assessing", family_name="Assessed")
        allocate_to(make_staff(team=team, username="other.cc"), team, family_name="Theirs")
        ended = allocate_to(coordinator, team, family_name="Ended")
        Allocation.objects.filter(person=ended).update(ended_at=timezone.now() - timedelta(days=1))
        rows = selectors.caseload(coordinator, TODAY)
        assert {row.person.pk for row in rows} == {mine.pk, assessed.pk}
        assert next(r for r in rows if r.person == assessed).roles == ["Assessing worker"]

    def test_sort_and_filter(self, coordinator, team, isolated_providers):
        anna = allocate_to(coordinator, team, family_name="Anna")
        bob = allocate_to(coordinator, team, family_name="Bob")
        cara = allocate_to(coordinator, team, family_name="Cara")

        def provider(ids, today):
            return [
                DueItem(bob.pk, "review", "Review", today - timedelta(days=2), Severity.OVERDUE),
                DueItem(cara.pk, "review", "Review", today + timedelta(days=3), Severity.DUE_SOON),
                DueItem(cara.pk, "plan", "No plan", None, Severity.DUE_SOON),
            ]

        register_provider("review", provider)
        rows = selectors.caseload(coordinator, TODAY)
        names = lambda rows: [r.person.family_name for r in rows]  # noqa: E731
        assert names(selectors.sort_rows(rows, "worst")) == ["Bob", "Cara", "Anna"]
        assert names(selectors.sort_rows(rows, "name")) == ["Anna", "Bob", "Cara"]
        assert names(selectors.sort_rows(rows, "due")) == ["Bob", "Cara", "Anna"]
        assert names(selectors.filter_rows(rows, overdue_only=True)) == ["Bob"]
        only_plan = selectors.filter_rows(rows, kind="plan")
        assert names(only_plan) == ["Cara"] and [i.kind for i in only_plan[0].items] == ["plan"]
        assert selectors.counts(rows) == {
            "people": 3,
            "people_overdue": 1,
            "overdue": 1,
            "due_soon": 2,
            "nothing_due": 1,
        }
        assert anna.pk in {r.person.pk for r in rows}

    def test_waiting_referral_provider(self, team, coordinator):
        waiting = PersonFactory()
        ReferralFactory(
            person=waiting, team=team, status="waiting", received_at=timezone.now() - timedelta(days=30)
        )
        seen = PersonFactory()
        ReferralFactory(person=seen, team=team, status="waiting", first_contact_attended_at=timezone.now())
        triage = PersonFactory()
        ReferralFactory(person=triage, team=team)
        items = referrals_waiting_to_be_seen([waiting.pk, seen.pk, triage.pk], TODAY)
        assert [item.person_id for item in items] == [waiting.pk]
        assert items[0].severity is Severity.OVERDUE and "4-week standard" in items[0].what
        assert items[0].url.startswith("/referrals/")


class TestMyCaseload:
    def test_page_lists_people_with_what_is_due_and_counts(
        self, coordinator_client, coordinator, team, support=None
    ):
        person = allocate_to(coordinator, team, family_name="Overduetask")
        TaskFactory(
            person=person,
            team=team,
            assigned_by=coordinator,
            what="Ring the GP",
            due_on=TODAY - timedelta(days=1),
        )
        allocate_to(coordinator, team, family_name="Nothingdue")
        response = coordinator_client.get(reverse("worklist:my_caseload"))
        page = response.content.decode()
        assert "OVERDUETASK" in page and "NOTHINGDUE" in page
        assert page.index("OVERDUETASK") < page.index("NOTHINGDUE")
        assert "Delegated task overdue: Ring the GP" in page
        flat = " ".join(page.replace("<strong>", "").replace("</strong>", "").split())
        assert "2 people you coordinate or assess" in flat and "1 overdue item, for 1 person" in flat
        row = AuditEvent.objects.get(record_type="caseload")
        assert row.person is None and row.record_id == str(coordinator.pk)

    def test_filter_overdue_and_bad_values_fall_back(self, coordinator_client, coordinator, team):
        person = allocate_to(coordinator, team, family_name="Late")
        TaskFactory(person=person, team=team, due_on=TODAY - timedelta(days=1))
        allocate_to(coordinator, team, family_name="Fine")
        page = coordinator_client.get(reverse("worklist:my_caseload"), {"overdue": "on"}).content.decode()
        assert "LATE" in page and "FINE" not in page and "Showing 1 of 2 people" in page
        bad = coordinator_client.get(reverse("worklist:my_caseload"), {"sort": "nonsense", "kind": "??"})
        assert bad.status_code == 200 and "FINE" in bad.content.decode()

    @pytest.mark.parametrize("url_name", ["worklist:my_caseload", "worklist:team"])
    def test_fixed_query_count_1_vs_30_people_with_several_providers(
        self, client, url_name, coordinator, manager, team, isolated_providers, django_assert_max_num_queries
    ):
        calls = []
        for key, offset in (("review", -3), ("safety_plan", 5), ("measures", 40), ("depot", 0)):
            provider = fake_provider(key, offset)

            def counting(ids, today, provider=provider):
                calls.append(len(ids))
                return provider(ids, today)

            register_provider(key, counting)
        client.force_login(coordinator if url_name == "worklist:my_caseload" else manager)
        url = reverse(url_name)
        allocate_to(coordinator, team)
        with django_assert_max_num_queries(40) as one:
            assert client.get(url).status_code == 200
        assert calls == [1, 1, 1, 1]
        calls.clear()
        for n in range(29):
            allocate_to(coordinator, team, kind="assessing" if n % 5 == 0 else "care_coordinator")
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = client.get(url).content.decode()
        assert calls == [30, 30, 30, 30]  # each provider once, with everyone
        if url_name == "worklist:my_caseload":
            assert page.count("Safety plan") >= 25  # the first page of 25
            assert "Showing 1 to 25 of 30 people" in page
        else:
            assert ">30</strong>" in page  # 30 overdue reviews

    def test_pages_of_25_keep_the_sort_and_filters(self, coordinator_client, coordinator, team):
        for n in range(27):
            person = allocate_to(coordinator, team, family_name=f"Paged{n:02d}")
            TaskFactory(person=person, team=team, due_on=TODAY - timedelta(days=1))
        url = reverse("worklist:my_caseload")
        first = coordinator_client.get(url, {"sort": "name", "overdue": "on"}).content.decode()
        assert "PAGED00" in first and "PAGED24" in first and "PAGED25" not in first
        assert "Showing 1 to 25 of 27 people" in first
        assert "sort=name&amp;overdue=on&amp;page=2" in first  # the next page keeps the sort and filter
        second = coordinator_client.get(url, {"sort": "name", "overdue": "on", "page": "2"}).content.decode()
        assert "PAGED25" in second and "PAGED26" in second and "PAGED00" not in second
        assert 'aria-current="page"' in second
        odd = coordinator_client.get(url, {"page": "²"})
        assert odd.status_code == 200 and "PAGED00" in odd.content.decode()


class TestTeamView:
    def test_manager_sees_each_coordinator_with_counts(self, manager_client, coordinator, team, manager):
        for days in (-2, -1, 3):
            person = allocate_to(coordinator, team, weight=2)
            TaskFactory(person=person, team=team, due_on=TODAY + timedelta(days=days))
        page = manager_client.get(reverse("worklist:team")).content.decode()
        assert "Casey Coordinator" in page
        summary = next(s for s in selectors.team_overview(team, TODAY) if s.worker.pk == coordinator.pk)
        assert (
            summary.coordinating_count,
            summary.coordinating_weight,
            summary.overdue,
            summary.people_overdue,
        ) == (
            3,
            6,
            2,
            2,
        )
        assert AuditEvent.objects.filter(record_type="team_caseloads", record_id=str(team.pk)).count() == 1
        assert reverse("worklist:coordinator", args=[coordinator.pk]) in page

    def test_coordinator_cannot_see_the_team_view(self, coordinator_client, coordinator):
        assert coordinator_client.get(reverse("worklist:team")).status_code == 404
        assert (
            coordinator_client.get(reverse("worklist:coordinator", args=[coordinator.pk])).status_code == 404
        )

    def test_manager_opens_one_coordinators_caseload(self, manager_client, coordinator, team):
        allocate_to(coordinator, team, family_name="Supervised")
        url = reverse("worklist:coordinator", args=[coordinator.pk])
        page = manager_client.get(url).content.decode()
        assert "Caseload of Casey Coordinator" in page and "SUPERVISED" in page
        row = AuditEvent.objects.get(record_type="caseload")
        assert row.record_id == str(coordinator.pk) and row.person is None

    def test_manager_of_another_team_gets_404(self, client, coordinator, other_team):
        from waypoint.accounts.models import RoleCode

        other_manager = make_staff(team=other_team, roles=[RoleCode.TEAM_MANAGER], username="mgr.south")
        client.force_login(other_manager)
        assert client.get(reverse("worklist:coordinator", args=[coordinator.pk])).status_code == 404
        assert (
            client.get(reverse("worklist:team"), {"team": coordinator.current_team_ids()[0]}).status_code
            == 404
        )

    def test_only_people_the_manager_may_see(self, manager_client, coordinator, team):
        allocate_to(coordinator, team, family_name="Visible")
        hidden = PersonFactory(family_name="Offbooks")  # allocated but on no team's books
        allocate_to(coordinator, team, person=hidden)
        page = manager_client.get(reverse("worklist:coordinator", args=[coordinator.pk])).content.decode()
        assert "VISIBLE" in page and "OFFBOOKS" not in page


class TestHomeAndNavigation:
    def test_care_coordinators_start_on_my_caseload(self, coordinator_client):
        response = coordinator_client.get("/")
        assert response["Location"] == reverse("worklist:my_caseload")
        page = coordinator_client.get(response["Location"]).content.decode()
        assert ">My caseload</a>" in page and ">My tasks</a>" in page and "Find a person" in page

    def test_team_managers_start_on_the_team_worklist(self, manager_client):
        assert manager_client.get("/")["Location"] == reverse("worklist:team")
        page = manager_client.get(reverse("patients:search")).content.decode()
        assert ">Team worklist</a>" in page and ">My caseload</a>" not in page
