"""What risk formulation plugs in: the Risk tab, the current formulation in short on the overview
and the tab, and its worklist items. Registered from RiskConfig.ready()."""

TAB = "risk"


def _formulation(record):
    return {"formulation": record.risk_formulation, "today": record.today}


def register():
    from waypoint.patients.record_sections import (
        OVERVIEW,
        RecordSection,
        RecordTab,
        register_fact,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from . import worklist
    from .selectors import current_formulations_of

    register_tab(RecordTab(TAB, "Risk", 20, url_name="risk:current", namespaces=("risk",)))
    register_fact(
        "risk_formulation",
        lambda record: current_formulations_of([record.person.pk]).get(record.person.pk),  # shared read
    )
    register_section(
        RecordSection("risk_formulation", 3, "risk/_person_section.jinja", _formulation, tabs=(OVERVIEW,))
    )
    register_provider("risk_formulation_missing", worklist.no_risk_formulation)
    register_provider("risk_formulation_review", worklist.risk_formulation_review)
