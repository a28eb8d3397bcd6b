"""The task relationship, the worklist provider and the record section."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import access_for
from waypoint.audit.models import Basis
from waypoint.patients.factories import PersonFactory
from waypoint.tasks.factories import TaskFactory
from waypoint.tasks.selectors import overdue_task_items
from waypoint.worklist.registry import Severity, registered_providers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_open_task_gives_the_assignee_access_and_closing_it_ends_it(outsider, other_team, coordinator):
    stranger = PersonFactory()  # on nobody's books
    assert access_for(outsider, stranger) is None
    task = TaskFactory(person=stranger, team=other_team, assigned_to=outsider, assigned_by=coordinator)
    assert access_for(outsider, stranger).basis == Basis.TASK
    task.status, task.completed_at, task.completion_note = "done", task.created_at, "Done (synthetic)"
    task.save()
    assert access_for(outsider, stranger) is None


def test_task_for_someone_else_gives_no_access(outsider, coordinator, other_team):
    stranger = PersonFactory()
    TaskFactory(person=stranger, team=other_team, assigned_to=coordinator, assigned_by=coordinator)
    assert access_for(outsider, stranger) is None


def test_overdue_provider_one_query_for_many_people(django_assert_num_queries, team):
    people = [PersonFactory() for _ in range(5)]
    for index, person in enumerate(people):
        TaskFactory(person=person, team=team, due_on=TODAY - timedelta(days=index))  # index 0 is due today
    TaskFactory(
        person=people[1],
        team=team,
        due_on=TODAY - timedelta(days=9),
        status="cancelled",
        cancelled_at="2026-01-01T00:00:00Z",
        cancellation_reason="x",
    )
    assert "delegated_task_overdue" in registered_providers()
    with django_assert_num_queries(1):
        items = overdue_task_items([p.pk for p in people], TODAY)
    assert sorted(item.person_id for item in items) == sorted(p.pk for p in people[1:])
    assert all(item.severity is Severity.OVERDUE and item.kind == "delegated_task_overdue" for item in items)
    assert items[0].url.endswith(f"/tasks/{items[0].url.rstrip('/').split('/')[-1]}/")


def test_record_page_shows_open_tasks_and_what_is_due(coordinator_client, person, team, coordinator):
    TaskFactory(
        person=person,
        team=team,
        assigned_by=coordinator,
        what="Ring the housing officer",
        due_on=TODAY - timedelta(days=2),
    )
    page = coordinator_client.get(reverse("patients:record_tasks", args=[person.pk])).content.decode()
    assert "Delegated tasks" in page
    assert "Ring the housing officer" in page
    overview = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    assert "Delegated task overdue: Ring the housing officer" in overview  # what is due, on the overview


def test_delegate_link_only_for_those_who_may_delegate(client, coordinator, person, team):
    from waypoint.accounts.factories import make_staff
    from waypoint.accounts.models import RoleCode

    url = reverse("patients:record_tasks", args=[person.pk])
    link = reverse("tasks:new", args=[person.pk])
    client.force_login(coordinator)
    assert link in client.get(url).content.decode()
    client.force_login(make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="sw.link"))
    assert link not in client.get(url).content.decode()
