"""Tasks delegated from a care plan intervention (plans app): prefill, link, access, audit."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind
from waypoint.tasks import services
from waypoint.tasks.factories import TaskFactory
from waypoint.tasks.models import Task

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + timedelta(days=3)


@pytest.fixture
def care_plan(person, team, coordinator):
    plan = PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.CARE)
    PlanRevisionFactory(plan=plan, agreed=True)
    return plan


@pytest.fixture
def someone_elses_plan(team, coordinator):
    other = TeamRegistrationFactory(team=team).person
    return PlanFactory(person=other, team=team, created_by=coordinator)


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def delegate_post(support, **extra):
    return {
        "assigned_to": support.pk,
        "what": "Sleep hygiene sessions",
        "why": "From the care plan (synthetic)",
        "due_on_day": DUE.day,
        "due_on_month": DUE.month,
        "due_on_year": DUE.year,
        **extra,
    }


class TestService:
    def test_a_task_from_the_care_plan_is_linked_and_audited(
        self, person, team, coordinator, support, care_plan
    ):
        task = services.delegate_task(
            by=Actor(coordinator, basis="team"),
            person=person,
            team=team,
            assigned_to=support,
            data={"what": "Sleep hygiene", "why": "Plan (synthetic)", "due_on": DUE},
            plan=care_plan,
        )
        assert task.plan == care_plan
        event = AuditEvent.objects.get(action=Action.CREATE, record_type="task", record_id=task.pk)
        assert "plan" in event.fields_changed

    def test_another_persons_plan_is_refused(self, person, team, coordinator, support, someone_elses_plan):
        with pytest.raises(services.NotAllowed):
            services.delegate_task(
                by=Actor(coordinator, basis="team"),
                person=person,
                team=team,
                assigned_to=support,
                data={"what": "Sleep hygiene", "why": "Plan (synthetic)", "due_on": DUE},
                plan=someone_elses_plan,
            )
        assert not Task.objects.exists()


class TestFromThePlanPage:
    def test_each_intervention_links_to_delegate_it_prefilled(
        self, coordinator_client, person, care_plan, support
    ):
        html = page(coordinator_client.get(reverse("plans:plan", args=[person.pk, care_plan.pk])))
        assert 'Delegate<span class="nhsuk-u-visually-hidden"> Sleep hygiene sessions</span>' in html
        start = html.index(reverse("tasks:new", args=[person.pk]) + "?")
        href = html[start : html.index('"', start)].replace("&amp;", "&")
        query = parse_qs(urlsplit(href).query)
        assert query["what"] == ["Sleep hygiene sessions"]
        assert query["source_description"] == [
            "Care plan, need 1: Low mood and not sleeping (synthetic); intervention: Sleep hygiene sessions"
        ]
        assert query["plan_id"] == [str(care_plan.pk)]

        html = page(coordinator_client.get(href))
        assert 'value="Sleep hygiene sessions"' in html
        assert "Care plan, need 1: Low mood and not sleeping (synthetic)" in html
        assert "This task comes from" in html

        response = coordinator_client.post(
            href,
            delegate_post(support, source_description=query["source_description"][0]),
        )
        assert response.status_code == 302
        task = Task.objects.get()
        assert task.plan == care_plan and task.source_description.startswith("Care plan, need 1")

        html = page(coordinator_client.get(reverse("tasks:detail", args=[person.pk, task.pk])))
        assert "From the care plan" in html
        assert reverse("plans:plan", args=[person.pk, care_plan.pk]) in html

    def test_a_task_without_a_plan_says_nothing_about_it(
        self, coordinator_client, person, team, coordinator, support
    ):
        task = TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=support)
        assert "From the care plan" not in page(
            coordinator_client.get(reverse("tasks:detail", args=[person.pk, task.pk]))
        )

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_plan_of_another_person_is_404(
        self, coordinator_client, person, someone_elses_plan, support, method
    ):
        url = reverse("tasks:new", args=[person.pk]) + f"?plan_id={someone_elses_plan.pk}"
        if method == "get":
            response = coordinator_client.get(url)
        else:
            response = coordinator_client.post(url, delegate_post(support))
        assert response.status_code == 404
        assert not Task.objects.exists()

    @pytest.mark.parametrize("value", ["999999", "x"])
    def test_a_missing_or_bad_plan_is_404(self, coordinator_client, person, value):
        url = reverse("tasks:new", args=[person.pk]) + f"?plan_id={value}"
        assert coordinator_client.get(url).status_code == 404

    def test_no_delegate_links_for_those_who_may_not_delegate(self, client, person, team, care_plan):
        worker = make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="sw.other")
        client.force_login(worker)
        html = page(client.get(reverse("plans:plan", args=[person.pk, care_plan.pk])))
        assert "Sleep hygiene sessions" in html and "Delegate<span" not in html

    def test_the_plan_page_audits_and_outsiders_get_404(self, outsider_client, person, care_plan):
        url = reverse("plans:plan", args=[person.pk, care_plan.pk])
        assert outsider_client.get(url).status_code == 404
        url = reverse("tasks:new", args=[person.pk]) + f"?plan_id={care_plan.pk}"
        assert outsider_client.get(url).status_code == 404

    def test_the_plan_page_queries_do_not_grow_with_interventions(
        self, coordinator_client, person, team, coordinator
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def plan_with(count):
            plan = PlanFactory(
                person=TeamRegistrationFactory(team=team).person, team=team, created_by=coordinator
            )
            interventions = [
                {"what": f"Step {i}", "who": "Support worker", "how_often": "Weekly"} for i in range(count)
            ]
            PlanRevisionFactory(
                plan=plan,
                agreed=True,
                content={"needs": [{"need": "Need", "goal": "Goal", "interventions": interventions}]},
            )
            return reverse("plans:plan", args=[plan.person_id, plan.pk])

        one, ten = plan_with(1), plan_with(10)
        coordinator_client.get(one)
        with CaptureQueriesContext(connection) as few:
            page(coordinator_client.get(one))
        with CaptureQueriesContext(connection) as many:
            html = page(coordinator_client.get(ten))
        assert html.count("Delegate<span") == 10
        assert len(many) == len(few)
