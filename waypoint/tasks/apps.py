from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "waypoint.tasks"
    label = "tasks"
    verbose_name = "Delegated tasks"

    def ready(self):
        from django.utils import timezone

        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.worklist.registry import register_provider

        from . import relationships  # noqa: F401  an open task gives its assignee a relationship
        from .selectors import open_tasks_of, overdue_task_items

        register_section(
            RecordSection(
                "tasks",
                13,
                "tasks/_person_section.jinja",
                lambda person: {"tasks": open_tasks_of(person), "today": timezone.localdate()},
            )
        )
        register_provider("delegated_task_overdue", overdue_task_items)
