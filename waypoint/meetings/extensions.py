"""Meetings plug in nothing yet: an MDT discussion lands in the person's record as a signed MDT
note (notes app) and its actions as delegated tasks (tasks app), whose overdue items the tasks
app already puts on the worklist ("MDT actions overdue"). Registered from MeetingsConfig.ready()."""


def register():
    from waypoint.accounts.permissions import (
        TEAM_STAFF,
        register_action,
    )

    register_action(
        "run_mdt_meeting",
        "Plan an MDT meeting, add people and record discussions",
        TEAM_STAFF,
        module="meetings",
    )
    return None
