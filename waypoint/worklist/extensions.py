"""What the worklist plugs in: "What is due" on the record overview (a fact other sections may
share). Registered from WorklistConfig.ready()."""


def register():
    from waypoint.patients.record_sections import RecordSection, register_fact, register_section

    from .registry import due_for

    register_fact(
        "due_items", lambda record: due_for([record.person.pk], record.today).get(record.person.pk, [])
    )
    register_section(
        RecordSection("due", 2, "worklist/_person_section.jinja", lambda record: {"items": record.due_items})
    )
