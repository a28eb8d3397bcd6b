"""What the person index puts on the record: the Overview and Personal details tabs, and the
facts every page of the record needs (alerts for the banner). Registered from PatientsConfig.ready()."""

from .record_sections import OVERVIEW, RecordSection, RecordTab, register_fact, register_section, register_tab


def _details(record):
    return {"teams": record.teams, "carers": record.carers, "alerts": record.alerts}


def register():
    from . import selectors

    register_tab(RecordTab(OVERVIEW, "Overview", 0))
    register_tab(RecordTab("details", "Personal details", 90, namespaces=("patients",)))
    register_fact("alerts", lambda record: list(selectors.current_alerts(record.person)))
    register_fact("carers", lambda record: list(selectors.carers_of(record.person)))
    register_fact("teams", lambda record: list(selectors.teams_of(record.person)))
    register_section(
        RecordSection("details", 1, "patients/_details_section.jinja", _details, tabs=("details",))
    )
