"""What notes plug in: the latest signed notes on the "Contacts and notes" tab, unsigned drafts on
the worklist, and the SQLite triggers after every migrate. Registered from NotesConfig.ready()."""


def register(app_config):
    from django.db.models.signals import post_migrate

    from waypoint.patients.record_sections import RecordSection, register_section
    from waypoint.worklist.registry import register_provider

    from .apps import ensure_sqlite_triggers
    from .selectors import latest_signed_notes
    from .worklist import KIND, unsigned_draft_notes

    register_section(
        RecordSection(
            "notes",
            12,
            "notes/_person_section.jinja",
            lambda record: {"notes": latest_signed_notes(record.person), "person": record.person},
            tabs=("contacts",),
        )
    )
    register_provider(KIND, unsigned_draft_notes)
    post_migrate.connect(ensure_sqlite_triggers, sender=app_config, dispatch_uid="notes_sqlite_triggers")
