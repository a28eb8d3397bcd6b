"""Delegating, completing and cancelling tasks: rules, audit rows, nothing lost."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent
from waypoint.tasks import services
from waypoint.tasks.factories import TaskFactory
from waypoint.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db

DATA = {
    "what": "Go with them to the benefits appointment",
    "why": "Anxious about the appointment (synthetic)",
    "due_on": timezone.localdate() + timedelta(days=3),
    "source_description": "Care plan: finances – support with benefits",
}


def delegate(coordinator, person, team, worker, **overrides):
    return services.delegate_task(
        by=Actor(coordinator, basis="team", path="/x/"),
        person=person,
        team=team,
        assigned_to=worker,
        data={**DATA, **overrides},
    )


def test_delegate_creates_an_open_task_and_audits_field_names_only(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    assert task.status == TaskStatus.OPEN
    assert task.assigned_by == coordinator and task.source_description.startswith("Care plan")
    row = AuditEvent.objects.get(record_type="task", action=Action.CREATE)
    assert row.person == person and row.record_id == str(task.pk) and row.basis == "team"
    assert row.fields_changed == ["assigned_to", "due_on", "source_description", "what", "why"]
    flat = str(row.__dict__)
    assert "benefits" not in flat and "Anxious" not in flat


def test_source_description_blank_is_stored_as_null(coordinator, person, team, student):
    task = delegate(coordinator, person, team, student, source_description="  ")
    assert task.source_description is None


def test_only_team_members_with_an_assignable_role(coordinator, person, team, outsider):
    psychiatrist = make_staff(team=team, roles=[RoleCode.PSYCHIATRIST], username="psy")
    for worker in (outsider, psychiatrist):
        with pytest.raises(services.NotAssignable):
            delegate(coordinator, person, team, worker)
    assert not Task.objects.exists()


def test_complete_keeps_the_note_and_is_then_read_only(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    done = services.complete_task(
        by=Actor(support, basis="task"),
        task=task,
        note="Went together (synthetic)",
    )
    assert (done.status, done.completed_by, done.completion_note) == (
        "done",
        support,
        "Went together (synthetic)",
    )
    assert done.version == 2
    row = AuditEvent.objects.get(record_type="task", action=Action.COMPLETE)
    assert row.fields_changed == ["completion_note", "status"] and "Went" not in str(row.__dict__)
    with pytest.raises(services.TaskAlreadyClosed):
        services.complete_task(
            by=Actor(support, basis="task"),
            task=task,
            note="Again",
        )
    with pytest.raises(services.TaskAlreadyClosed):
        services.cancel_task(
            by=Actor(coordinator, basis="team"),
            task=task,
            reason="Too late",
        )
    task.refresh_from_db()
    assert task.completion_note == "Went together (synthetic)"


def test_only_the_assignee_completes(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    with pytest.raises(services.NotAllowed):
        services.complete_task(
            by=Actor(coordinator, basis="team"),
            task=task,
            note="Done",
        )


def test_cancel_keeps_the_reason(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    cancelled = services.cancel_task(
        by=Actor(coordinator, basis="team"),
        task=task,
        reason="Person moved away (synthetic)",
    )
    assert (
        cancelled.status == "cancelled" and cancelled.cancellation_reason == "Person moved away (synthetic)"
    )
    assert AuditEvent.objects.filter(record_type="task", action=Action.UPDATE).get().fields_changed == [
        "cancellation_reason",
        "status",
    ]
    assert Task.objects.filter(pk=task.pk).exists()  # never deleted


def test_who_may_cancel(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="mgr")
    other_cc = make_staff(team=team, username="cc2")
    assert services.can_cancel(coordinator, task) and services.can_cancel(manager, task)
    assert not services.can_cancel(support, task) and not services.can_cancel(other_cc, task)
    with pytest.raises(services.NotAllowed):
        services.cancel_task(
            by=Actor(support, basis="task"),
            task=task,
            reason="No",
        )


def test_database_refuses_done_without_a_note(person, team):
    task = TaskFactory(person=person, team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status="done")


def test_stale_completion_after_a_cancel_is_refused(coordinator, person, team, support):
    task = delegate(coordinator, person, team, support)
    stale_copy = Task.objects.get(pk=task.pk)
    services.cancel_task(
        by=Actor(coordinator, basis="team"),
        task=task,
        reason="Not needed",
    )
    with pytest.raises(services.TaskAlreadyClosed) as caught:
        services.complete_task(
            by=Actor(support, basis="task"),
            task=stale_copy,
            note="I did it",
        )
    assert caught.value.task.status == "cancelled"
