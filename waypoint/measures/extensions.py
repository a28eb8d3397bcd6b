"""What measures plug in: the Measures tab (a page of its own), the worklist items and the "first baseline outcome measure" part of the 4-week
clock-stop. Registered from MeasuresConfig.ready()."""

TAB = "measures"
RECORD_MEASURE = "record_measure"
RECORD_DIALOG_PLUS = "record_dialog_plus"


def register():
    from waypoint.accounts.models import RoleCode
    from waypoint.accounts.permissions import (
        EVERYONE_CLINICAL,
        register_action,
    )

    from .team_settings import SET_TEAM_MEASURE_SETTINGS

    register_action(RECORD_MEASURE, "Record an outcome measure", EVERYONE_CLINICAL, module="measures")
    register_action(
        RECORD_DIALOG_PLUS,
        "Record a DIALOG+ session",
        EVERYONE_CLINICAL,
        module="measures",
        note="Adding its actions to the care plan also needs write_plan",
    )
    register_action(
        SET_TEAM_MEASURE_SETTINGS,
        "Set the team's care approach and outcome measure windows",
        {RoleCode.TEAM_MANAGER},
        module="measures",
    )
    from waypoint.patients.record_sections import RecordTab, register_tab
    from waypoint.worklist.registry import register_provider

    from . import worklist

    # A tab with a page of its own (not an overview section): the overview's query budget is unchanged.
    register_tab(RecordTab(TAB, "Measures", 35, url_name="measures:list", namespaces=("measures",)))
    register_provider(worklist.NO_BASELINE, worklist.baseline_not_done)
    register_provider(worklist.AT_REVIEW, worklist.due_at_review)
    register_provider(worklist.AT_DISCHARGE, worklist.due_at_discharge)
