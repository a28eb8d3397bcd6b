"""What tasks plug in: the task relationship, the Tasks tab and overdue tasks on the worklist.
Registered from TasksConfig.ready()."""

from waypoint.audit.models import Basis

TAB = "tasks"


def register():
    from waypoint.access.policy import register_relationship
    from waypoint.patients.record_sections import RecordSection, RecordTab, register_section, register_tab
    from waypoint.worklist.registry import register_provider

    from .relationships import task_relationship
    from .selectors import open_tasks_of, overdue_task_items

    register_relationship(Basis.TASK, task_relationship)
    register_tab(RecordTab(TAB, "Tasks", 50, namespaces=("tasks",)))
    register_section(
        RecordSection(
            "tasks",
            13,
            "tasks/_person_section.jinja",
            lambda record: {"tasks": open_tasks_of(record.person), "today": record.today},
            tabs=(TAB,),
        )
    )
    register_provider("delegated_task_overdue", overdue_task_items)
