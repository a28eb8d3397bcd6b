"""Ids for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from waypoint.measures.factories import MeasureFactory


def record_factories(person, coordinator, team):
    return {
        "measure_id": lambda: MeasureFactory(person=person, recorded_by=coordinator).pk,
        "code": lambda: "phq9",
    }
