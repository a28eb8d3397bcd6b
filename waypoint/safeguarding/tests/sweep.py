"""Ids the no-relationship sweep needs to build safeguarding URLs."""

from waypoint.safeguarding.factories import ConcernFactory


def record_factories(person, coordinator, team):
    return {"concern_id": lambda: ConcernFactory(person=person, team=team, raised_by=coordinator).pk}
