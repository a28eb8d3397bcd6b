"""Ids the no-relationship sweep needs to build safeguarding URLs."""

from waypoint.safeguarding.factories import ConcernFactory, HouseholdMemberFactory


def record_factories(person, coordinator, team):
    return {
        "concern_id": lambda: ConcernFactory(person=person, team=team, raised_by=coordinator).pk,
        "member_id": lambda: HouseholdMemberFactory(person=person, added_by=coordinator).pk,
    }
