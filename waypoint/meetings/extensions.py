"""Meetings plug in nothing yet: an MDT discussion lands in the person's record as a signed MDT
note (notes app) and its actions as delegated tasks (tasks app), whose overdue items the tasks
app already puts on the worklist ("MDT actions overdue"). Registered from MeetingsConfig.ready()."""


def register():
    return None
