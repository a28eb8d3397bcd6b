"""What incidents plug in: the incidents naming the person, on the record's "Safeguarding and
incidents" tab (for staff who can see the record), and reviews overdue on the worklist.
Registered from IncidentsConfig.ready()."""


def register(app_config=None):
    from django.db.models.signals import post_migrate

    from waypoint.accounts.permissions import (
        R,
        register_action,
    )

    register_action(
        "report_incident", "Report an incident, or add to one's report", frozenset(R), module="incidents"
    )
    register_action(
        "review_incident",
        "Review and close an incident (findings, actions, duty of candour)",
        {R.TEAM_MANAGER},
        module="incidents",
    )
    from waypoint.patients.record_sections import RecordSection, register_section
    from waypoint.worklist.registry import register_provider

    from .selectors import incidents_of_person
    from .worklist import review_overdue

    register_section(
        RecordSection(
            "incidents",
            2,
            "incidents/_person_section.jinja",
            lambda record: {"incidents": incidents_of_person(record.person)},
            tabs=("safety",),
        )
    )
    register_provider("incident_review", review_overdue)
    if app_config is not None:
        from .apps import ensure_sqlite_triggers

        post_migrate.connect(
            ensure_sqlite_triggers, sender=app_config, dispatch_uid="incidents_sqlite_triggers"
        )
