from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "waypoint.episodes"
    label = "episodes"
    verbose_name = "Episodes of care, allocation, transfers and discharge"

    def ready(self):
        from waypoint.patients.record_sections import RecordSection, register_section
        from waypoint.worklist.registry import register_provider

        from . import relationships  # noqa: F401  allocation, episode and transfer relationships
        from .selectors import record_summary
        from .worklist import transfers_awaiting_decision

        # Replaces the earlier "Allocated workers" section: episodes with their coordinators, and
        # any allocation outside an open episode (for example an assessing worker).
        register_section(RecordSection("allocations", 5, "episodes/_person_section.jinja", record_summary))
        register_provider("transfer_decision", transfers_awaiting_decision)
