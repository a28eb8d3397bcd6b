"""Synthetic delegated tasks: the demo care coordinator has given tasks to the support worker and
the student about people on their caseload, some overdue, some done, one cancelled."""

from datetime import timedelta

from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.tasks.models import Task, TaskStatus

# what, why, due in days from today (negative: overdue), status, from the care plan
TASKS = [
    (
        "Go with them to the benefits appointment",
        "Anxious about the assessment; wants support (synthetic).",
        -4,
        "open",
        "Finances: support with PIP claim",
    ),
    (
        "Help with the weekly food shop",
        "Building confidence going out after a long period at home (synthetic).",
        -1,
        "open",
        "Daily living: confidence outside",
    ),
    (
        "Check they have collected their prescription",
        "Missed the last collection (synthetic).",
        0,
        "open",
        None,
    ),
    (
        "Phone to remind about the GP physical health check",
        "Annual check is due (synthetic).",
        3,
        "open",
        "Physical health: annual check",
    ),
    (
        "Visit with leaflets about the local walking group",
        "Wants to get out more (synthetic).",
        9,
        "open",
        "Wellbeing: activity",
    ),
    (
        "Help complete the housing application",
        "Tenancy ends next month (synthetic).",
        -10,
        "done",
        "Accommodation: housing application",
    ),
    ("Take to the dentist", "Tooth pain for weeks (synthetic).", -6, "done", None),
    ("Arrange a carer's assessment visit", "Carer asked for support (synthetic).", -2, "cancelled", None),
]


def build_tasks(*, team, coordinator, assignees, now=None):
    """Give `assignees` tasks from `coordinator` about people the coordinator coordinates in `team`.
    Running the command again adds no more."""
    if not assignees or Task.objects.filter(assigned_by=coordinator).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate()
    people = list(
        Allocation.objects.current(now)
        .filter(worker=coordinator, team=team, kind=AllocationKind.CARE_COORDINATOR)
        .values_list("person_id", flat=True)
        .order_by("person_id")[: len(TASKS)]
    )
    tasks = []
    for index, (person_id, (what, why, days, status, source)) in enumerate(zip(people, TASKS, strict=False)):
        worker = assignees[index % len(assignees)]
        due = today + timedelta(days=days)
        created = now - timedelta(days=max(7, 14 - days))
        task = Task(
            person_id=person_id,
            team=team,
            assigned_to=worker,
            assigned_by=coordinator,
            what=what,
            why=why,
            due_on=due,
            source_description=source,
            created_at=created,
        )
        if status == TaskStatus.DONE:
            task.status = TaskStatus.DONE
            task.completed_at = now - timedelta(days=1)
            task.completed_by = worker
            task.completion_note = "Done as asked; they were pleased to have the help (synthetic)."
            task.version = 2
        elif status == TaskStatus.CANCELLED:
            task.status = TaskStatus.CANCELLED
            task.cancelled_at = now - timedelta(days=1)
            task.cancelled_by = coordinator
            task.cancellation_reason = "The carer arranged it directly with the council (synthetic)."
            task.version = 2
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    return len(tasks)
