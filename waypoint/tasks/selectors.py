"""Reads of delegated tasks for pages and the worklist, each with a fixed number of queries."""

from datetime import date

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.urls import reverse

from waypoint.access.policy import open_record, visible_person_ids
from waypoint.accounts import permissions
from waypoint.accounts.models import Membership
from waypoint.accounts.permissions import Do
from waypoint.audit.models import RecordType
from waypoint.patients.models import Person
from waypoint.worklist.registry import DueItem, Severity

from .models import Task, TaskStatus

RECENTLY_CLOSED = 15


def _with_visibility(queryset, user):
    """Annotate `can_see`: whether the user may open the person's record now (one subquery)."""
    visible = Person.objects.filter(pk=OuterRef("person_id"), pk__in=visible_person_ids(user))
    return queryset.annotate(can_see=Exists(visible))


def _open_first(queryset):
    return queryset.annotate(
        open_rank=Case(
            When(status=TaskStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )


def assignable_members(user):
    """(worker, team) pairs the user may delegate to: current members of the user's teams holding
    a support worker, student or care coordinator role, not the user themselves. One worker appears
    once (their membership of the user's primary team first)."""
    team_ids = user.current_team_ids()
    memberships = (
        Membership.objects.current()
        .filter(
            team_id__in=team_ids,
            user__is_active=True,
            user__roles__code__in=permissions.roles_for(Do.HOLD_TASK),
        )
        .exclude(user=user)
        .select_related("user", "team")
        .prefetch_related("user__roles")
        .distinct()
        .order_by("user__last_name", "user__first_name", "-is_primary", "team__name")
    )
    seen, pairs = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            pairs.append((membership.user, membership.team))
    return pairs


def my_open_tasks(user):
    """Open tasks given to the user: soonest due first (overdue at the top)."""
    return list(Task.objects.open().filter(assigned_to=user).with_people().order_by("due_on", "pk"))


def my_closed_tasks(user, limit=RECENTLY_CLOSED):
    queryset = Task.objects.closed().filter(assigned_to=user).with_people()
    return list(_with_visibility(queryset, user).order_by("-completed_at", "-cancelled_at", "-pk")[:limit])


def delegated_open_tasks(user):
    """Open tasks the user delegated: soonest due first, so the overdue ones are at the top."""
    queryset = Task.objects.open().filter(assigned_by=user).with_people()
    return list(_with_visibility(queryset, user).order_by("due_on", "pk"))


def delegated_closed_tasks(user, limit=RECENTLY_CLOSED):
    queryset = Task.objects.closed().filter(assigned_by=user).with_people().select_related("completed_by")
    return list(_with_visibility(queryset, user).order_by("-completed_at", "-cancelled_at", "-pk")[:limit])


def tasks_of(person):
    """Every task about the person: open ones first (soonest due), then closed ones, newest first."""
    return list(
        _open_first(
            Task.objects.filter(person=person).with_people().select_related("completed_by", "cancelled_by")
        ).order_by("open_rank", "due_on", "-pk")
    )


def open_tasks_of(person):
    return list(Task.objects.open().filter(person=person).with_people().order_by("due_on", "pk"))


def task_by_id(task_id):
    """Unscoped: callers must pass the task's person through the access policy before showing it."""
    return (
        Task.objects.filter(pk=task_id)
        .with_people()
        .select_related("completed_by", "cancelled_by", "plan")
        .first()
    )


def overdue_task_items(person_ids: list[int], today: date):
    """Worklist provider: one item per open task past its due date (one query for everyone)."""
    tasks = (
        Task.objects.overdue(today)
        .filter(person_id__in=person_ids)
        .select_related("assigned_to")
        .order_by("due_on", "pk")
    )
    return [
        DueItem(
            person_id=task.person_id,
            kind="delegated_task_overdue",
            what=f"Delegated task overdue: {task.what} ({task.assigned_to.display_name})",
            due=task.due_on,
            severity=Severity.OVERDUE,
            url=reverse("tasks:detail", args=[task.person_id, task.pk]),
        )
        for task in tasks
    ]


def task_for_page(request, person_id, task_id, check=None):
    """Open the task through the access policy, then read it with its people and plan.

    `open_record` answers 404 unless the task is this person's and passes `check`, and the user has
    a basis for them, before anything is audited; then it writes the one audit row.
    Returns (Task, RecordAccess).
    """
    opened = open_record(
        request, person_id, model=Task, record_id=task_id, check=check, record_type=RecordType.TASK
    )
    return task_by_id(task_id), opened
