"""Ids the no-relationship sweep needs to build meeting URLs: a meeting of `team` (the outsider
is not a member)."""

from waypoint.meetings.factories import MeetingFactory


def record_factories(person, coordinator, team):
    return {"meeting_id": lambda: MeetingFactory(team=team, chair=coordinator).pk}
