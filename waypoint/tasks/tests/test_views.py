"""Pages: delegate, my tasks, tasks I delegated, complete with a note, cancel with a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.tasks.factories import TaskFactory
from waypoint.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def due_fields(day):
    return {"due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year}


@pytest.fixture
def task(person, team, coordinator, support):
    return TaskFactory(
        person=person, team=team, assigned_by=coordinator, assigned_to=support, what="Ring the GP"
    )


class TestDelegate:
    def test_coordinator_delegates_to_a_support_worker(self, coordinator_client, person, support, student):
        url = reverse("tasks:new", args=[person.pk])
        page = coordinator_client.get(url).content.decode()
        assert "Sunny Support (Support worker, North CMHT)" in page and "Stevie Student" in page
        response = coordinator_client.post(
            url,
            {
                "assigned_to": support.pk,
                "what": "Help with shopping",
                "why": "Building confidence (synthetic)",
                **due_fields(TODAY + timedelta(days=2)),
            },
        )
        assert response.status_code == 302
        task = Task.objects.get()
        assert (task.assigned_to, task.what, task.source_description) == (support, "Help with shopping", None)

    def test_errors_beside_the_fields_and_nothing_typed_lost(self, coordinator_client, person, support):
        response = coordinator_client.post(
            reverse("tasks:new", args=[person.pk]),
            {"what": "Keep this text", "why": "", **due_fields(TODAY - timedelta(days=1))},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Delegate a task" in page
        assert "Choose who the task is for" in page and "Enter why this needs doing" in page
        assert "Due date must be today or in the future" in page
        assert 'value="Keep this text"' in page
        assert not Task.objects.exists()

    def test_support_worker_cannot_delegate(self, support_client, person, team, support):
        TaskFactory(person=person, team=team, assigned_to=support)  # gives them access
        assert support_client.get(reverse("tasks:new", args=[person.pk])).status_code == 404


class TestMyTasks:
    def test_open_first_with_overdue_marked(self, support_client, person, team, coordinator, support):
        TaskFactory(
            person=person, team=team, assigned_to=support, what="Late one", due_on=TODAY - timedelta(days=3)
        )
        TaskFactory(
            person=person, team=team, assigned_to=support, what="Later one", due_on=TODAY + timedelta(days=9)
        )
        TaskFactory(
            person=person,
            team=team,
            assigned_to=support,
            what="Finished one",
            status="done",
            completed_at="2026-01-01T10:00:00Z",
            completion_note="ok",
        )
        page = support_client.get(reverse("tasks:mine")).content.decode()
        assert page.index("Late one") < page.index("Later one") < page.index("Finished one")
        assert "Overdue" in page and "1 overdue" in page.replace("<strong>", "").replace("</strong>", "")
        row = AuditEvent.objects.get(record_type="my_tasks")
        assert row.person is None and row.action == Action.VIEW

    def test_query_count_does_not_grow(
        self, client, team, support, coordinator, django_assert_max_num_queries
    ):
        client.force_login(support)

        def add(n):
            for _ in range(n):
                person = TeamRegistrationFactory(team=team).person
                TaskFactory(person=person, team=team, assigned_to=support, assigned_by=coordinator)
                TaskFactory(
                    person=person,
                    team=team,
                    assigned_to=support,
                    status="cancelled",
                    cancelled_at="2026-01-01T00:00:00Z",
                    cancellation_reason="x",
                )

        add(1)
        with django_assert_max_num_queries(40) as one:
            client.get(reverse("tasks:mine"))
        add(10)
        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get(reverse("tasks:mine"))
        assert response.content.decode().count("Synthetic task") == 22


class TestDelegatedTasks:
    def test_overdue_shown_to_the_coordinator_who_delegated(
        self, coordinator_client, person, team, coordinator, support
    ):
        TaskFactory(
            person=person,
            team=team,
            assigned_by=coordinator,
            assigned_to=support,
            what="Overdue visit",
            due_on=TODAY - timedelta(days=1),
        )
        TaskFactory(person=person, team=team, assigned_to=support, what="Someone else's")
        page = coordinator_client.get(reverse("tasks:delegated")).content.decode()
        assert "Overdue visit" in page and "Someone else&#39;s" not in page and "Someone else's" not in page
        assert "1 overdue" in page.replace("<strong>", "").replace("</strong>", "")

    def test_query_count_does_not_grow(
        self, client, team, coordinator, support, django_assert_max_num_queries
    ):
        client.force_login(coordinator)
        TaskFactory(
            person=TeamRegistrationFactory(team=team).person,
            team=team,
            assigned_by=coordinator,
            assigned_to=support,
        )
        with django_assert_max_num_queries(40) as one:
            client.get(reverse("tasks:delegated"))
        for _ in range(10):
            TaskFactory(
                person=TeamRegistrationFactory(team=team).person,
                team=team,
                assigned_by=coordinator,
                assigned_to=support,
            )
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("tasks:delegated"))


class TestCompleteAndCancel:
    def test_assignee_completes_with_a_note_then_it_is_read_only(self, support_client, task, person):
        url = reverse("tasks:detail", args=[person.pk, task.pk])
        page = support_client.get(url).content.decode()
        assert "Complete this task" in page
        assert AuditEvent.objects.filter(record_type="task", record_id=str(task.pk), action="view").exists()
        response = support_client.post(url, {"note": ""})
        assert "Enter what was done" in response.content.decode()
        response = support_client.post(url, {"note": "Rang the GP (synthetic)"})
        assert response.status_code == 302 and response["Location"] == reverse("tasks:mine")
        task.refresh_from_db()
        assert task.status == "done" and task.completion_note == "Rang the GP (synthetic)"

    def test_completed_task_shows_the_note_and_no_form(self, coordinator_client, task, person, support):
        task.status, task.completed_at, task.completed_by, task.completion_note = (
            "done",
            task.created_at,
            support,
            "All done (synthetic)",
        )
        task.save()
        page = coordinator_client.get(reverse("tasks:detail", args=[person.pk, task.pk])).content.decode()
        assert (
            "All done (synthetic)" in page
            and "Complete this task" not in page
            and "Cancel this task" not in page
        )

    def test_stale_completion_keeps_the_note(self, client, task, person, support, coordinator):
        client.force_login(support)
        # The coordinator cancels while the support worker still has access through another open task.
        TaskFactory(person=person, team=task.team, assigned_to=support)
        task.status, task.cancelled_at, task.cancelled_by, task.cancellation_reason = (
            "cancelled",
            task.created_at,
            coordinator,
            "No longer needed",
        )
        task.save()
        response = client.post(
            reverse("tasks:detail", args=[person.pk, task.pk]), {"note": "My careful note"}
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "was cancelled by Casey Coordinator" in page and "My careful note" in page

    def test_coordinator_cannot_complete_someone_elses_task(self, coordinator_client, task, person):
        response = coordinator_client.post(reverse("tasks:detail", args=[person.pk, task.pk]), {"note": "x"})
        assert response.status_code == 404

    def test_coordinator_cancels_with_a_reason(self, coordinator_client, task, person):
        url = reverse("tasks:cancel", args=[person.pk, task.pk])
        assert (
            "Enter why the task is cancelled" in coordinator_client.post(url, {"reason": ""}).content.decode()
        )
        response = coordinator_client.post(url, {"reason": "GP already rang back (synthetic)"})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.status == "cancelled" and task.cancellation_reason == "GP already rang back (synthetic)"
        page = coordinator_client.get(reverse("tasks:detail", args=[person.pk, task.pk])).content.decode()
        assert "GP already rang back (synthetic)" in page

    def test_support_worker_cannot_cancel(self, support_client, task, person):
        assert support_client.get(reverse("tasks:cancel", args=[person.pk, task.pk])).status_code == 404

    def test_task_of_another_person_is_404(self, coordinator_client, task, team):
        other = TeamRegistrationFactory(team=team).person
        assert coordinator_client.get(reverse("tasks:detail", args=[other.pk, task.pk])).status_code == 404
        assert coordinator_client.get(reverse("tasks:cancel", args=[other.pk, task.pk])).status_code == 404

    def test_person_tasks_lists_open_first_with_a_fixed_query_count(
        self, coordinator_client, person, team, coordinator, support, django_assert_max_num_queries
    ):
        url = reverse("tasks:person_tasks", args=[person.pk])
        TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=support)
        with django_assert_max_num_queries(40) as one:
            coordinator_client.get(url)
        for _ in range(10):
            TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=support)
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = coordinator_client.get(url).content.decode()
        assert page.count("Synthetic task") == 11
        assert (
            AuditEvent.objects.filter(person=person, record_type="task", record_id="", action="view").count()
            == 2
        )

    def test_record_section_query_count_does_not_grow(
        self, coordinator_client, person, team, coordinator, support, django_assert_max_num_queries
    ):
        url = reverse("patients:detail", args=[person.pk])
        TaskFactory(
            person=person,
            team=team,
            assigned_by=coordinator,
            assigned_to=support,
            due_on=TODAY - timedelta(days=1),
        )
        with django_assert_max_num_queries(60) as one:
            coordinator_client.get(url)
        for _ in range(10):
            TaskFactory(
                person=person,
                team=team,
                assigned_by=coordinator,
                assigned_to=support,
                due_on=TODAY - timedelta(days=1),
            )
        with django_assert_max_num_queries(len(one.captured_queries)):
            coordinator_client.get(url)


class TestAssigneeFromOutsideTheTeam:
    """A worker with no relationship but the task: the task basis opens the record while it is open."""

    def test_task_gives_access_audited_with_the_task_basis(self, client, person, team, coordinator, outsider):
        task = TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=outsider)
        client.force_login(outsider)
        url = reverse("tasks:detail", args=[person.pk, task.pk])
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.filter(person=person, record_type="task", basis="task").exists()
        assert client.get(reverse("patients:detail", args=[person.pk])).status_code == 200
        response = client.post(url, {"note": "Done (synthetic)"})
        assert response.status_code == 302
        assert client.get(reverse("patients:detail", args=[person.pk])).status_code == 404

    def test_closed_while_writing_gives_the_note_back_and_nothing_else(
        self, client, person, team, coordinator, outsider
    ):
        task = TaskFactory(
            person=person, team=team, assigned_by=coordinator, assigned_to=outsider, what="Secret what"
        )
        client.force_login(outsider)
        url = reverse("tasks:detail", args=[person.pk, task.pk])
        client.get(url)
        task.status, task.cancelled_at, task.cancelled_by, task.cancellation_reason = (
            "cancelled",
            task.created_at,
            coordinator,
            "Not needed",
        )
        task.save()
        response = client.post(url, {"note": "My careful note"})
        page = response.content.decode()
        assert response.status_code == 409
        assert "My careful note" in page and "was cancelled by Casey Coordinator" in page
        assert "Secret what" not in page and person.family_name.upper() not in page
        assert client.get(url).status_code == 404
