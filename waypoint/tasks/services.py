"""Writes to delegated tasks. Each operation is atomic, takes the acting user, and audits.

Audit rows carry field names only: never the task's wording, the completion note or the reason.
"""

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import Task, TaskStatus


class TaskAlreadyClosed(Exception):
    """Someone completed or cancelled the task after this page was opened."""

    def __init__(self, task: Task):
        super().__init__(f"Task {task.pk} is already {task.status}")
        self.task = task


class NotAllowed(Exception):
    """The user may not do this to this task (the view answers 404)."""


class NotAssignable(Exception):
    """The chosen worker is not a current member of the team with a role tasks may go to."""


def may_delegate(user) -> bool:
    """Care coordinators and team managers delegate tasks (the plans pages use this too)."""
    return permissions.may(user, Do.DELEGATE_TASK)


def _check_assignable(worker, team):
    if team.pk not in worker.current_team_ids() or not permissions.may(worker, Do.HOLD_TASK):
        raise NotAssignable(f"{worker} cannot be given tasks in {team}")


@transaction.atomic
def delegate_task(*, by: Actor, person, team, assigned_to, data: dict, plan=None) -> Task:
    """Give `assigned_to` a task about `person`. `data`: what, why, due_on, source_description.

    `plan`: the care plan (plans app) the task comes from; it must be the same person's."""
    permissions.require(by, Do.DELEGATE_TASK)
    user = by.user
    if plan is not None and plan.person_id != person.pk:
        raise NotAllowed("A task can only come from the same person's care plan")
    _check_assignable(assigned_to, team)
    source = (data.get("source_description") or "").strip() or None
    task = Task.objects.create(
        person=person,
        team=team,
        assigned_to=assigned_to,
        assigned_by=user,
        what=data["what"],
        why=data["why"],
        due_on=data["due_on"],
        source_description=source,
        plan=plan,
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.TASK,
        record_id=task.pk,
        fields_changed=["assigned_to", "due_on", "what", "why"]
        + (["source_description"] if source else [])
        + (["plan"] if plan is not None else []),
    )
    return task


def _lock_open(task: Task) -> Task:
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.status != TaskStatus.OPEN:
        raise TaskAlreadyClosed(current)
    return current


def can_cancel(user, task: Task) -> bool:
    """The member of staff who delegated it, or a team manager of the task's team."""
    if not task.is_open:
        return False
    if task.assigned_by_id == user.pk:
        return True
    return user.has_role("team_manager") and task.team_id in user.current_team_ids()


@transaction.atomic
def complete_task(*, by: Actor, task: Task, note: str) -> Task:
    """The assignee records what was done. The task is then read-only."""
    user = by.user
    if task.assigned_to_id != user.pk:
        raise NotAllowed("Only the person the task was given to can complete it")
    current = _lock_open(task)
    current.status = TaskStatus.DONE
    current.completed_at = timezone.now()
    current.completed_by = user
    current.completion_note = note
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.COMPLETE,
        record_type=RecordType.TASK,
        record_id=current.pk,
        fields_changed=["status", "completion_note"],
    )
    return current


@transaction.atomic
def cancel_task(*, by: Actor, task: Task, reason: str) -> Task:
    """The delegating worker (or a team manager) cancels, with a reason that is kept."""
    user = by.user
    if not can_cancel(user, task) and task.is_open:
        raise NotAllowed("Only the person who delegated the task, or a team manager, can cancel it")
    current = _lock_open(task)
    current.status = TaskStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.cancelled_by = user
    current.cancellation_reason = reason
    current.version += 1
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.TASK,
        record_id=current.pk,
        fields_changed=["status", "cancellation_reason"],
    )
    return current
