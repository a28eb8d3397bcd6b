"""The demo Trust's delegated tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from waypoint.demo.tasks_data import TASKS, build_tasks
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_tasks_from_the_coordinator_to_support_and_student(team, coordinator, support, student):
    for _ in range(len(TASKS)):
        Allocation.objects.create(
            person=TeamRegistrationFactory(team=team).person,
            team=team,
            worker=coordinator,
            kind="care_coordinator",
            started_at=timezone.now() - timedelta(days=10),
            allocated_by=coordinator,
        )
    assert build_tasks(team=team, coordinator=coordinator, assignees=[support, student]) == len(TASKS)
    assert build_tasks(team=team, coordinator=coordinator, assignees=[support, student]) == 0  # not twice
    tasks = Task.objects.all()
    assert {task.assigned_to for task in tasks} == {support, student}
    assert tasks.filter(status="open", due_on__lt=timezone.localdate()).exists()
    assert tasks.filter(status="done").exists() and tasks.filter(status="cancelled").exists()
    assert all("(synthetic)" in task.why for task in tasks)
