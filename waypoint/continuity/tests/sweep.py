"""Ids the continuity URLs take, for the no-relationship sweep: `team_id` is the person's team
(the outsider belongs to another one, so a download must answer 404)."""


def record_factories(person, coordinator, team):
    return {"team_id": lambda: team.pk}
