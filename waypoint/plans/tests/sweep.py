"""Records for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind


def record_factories(person, coordinator, team):
    return {
        "kind": lambda: (
            PlanKind.SAFETY
        ),  # plans:start/<kind>: not an id, but a URL parameter the sweep must fill
        "plan_id": lambda: (
            PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.CARE).pk
        ),
        "plan_revision_id": lambda: (
            PlanRevisionFactory(
                plan=PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.SAFETY)
            ).pk
        ),
    }
