"""Ids the no-relationship sweep needs for the tasks pages."""

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.tasks.factories import TaskFactory


def record_factories(person, coordinator, team):
    def task():
        support = make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="sweep.support")
        return TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=support).pk

    return {"task_id": task}
