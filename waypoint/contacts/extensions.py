"""What contacts plug in: the "Contacts and notes" tab, next appointment and last contact on the
overview, engagement (a fact the section and the tab share) and its worklist item. Registered from
ContactsConfig.ready()."""

TAB = "contacts"


def register():
    from waypoint.patients.record_sections import (
        RecordSection,
        RecordTab,
        register_fact,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from . import sections
    from .worklist import NOT_WRITTEN_UP, appointments_not_written_up, engagement_items

    register_tab(RecordTab(TAB, "Contacts and notes", 40, namespaces=("contacts", "notes")))
    register_fact("engagement", sections.engagement_of)
    register_fact("upcoming_appointments", sections.upcoming_of)
    register_fact("next_appointment", sections.next_appointment_of)
    register_section(
        RecordSection("contact_summary", 5, "contacts/_overview_section.jinja", sections.overview_section)
    )
    register_section(
        RecordSection(
            "engagement", 11, "contacts/_person_section.jinja", sections.engagement_section, tabs=(TAB,)
        )
    )
    register_provider("engagement", engagement_items)
    register_provider(NOT_WRITTEN_UP, appointments_not_written_up)
