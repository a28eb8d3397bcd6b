"""What measures plug in: the Measures tab, the worklist items and the "first baseline outcome
measure" part of the 4-week clock-stop. Registered from MeasuresConfig.ready()."""

TAB = "measures"


def register():
    pass
