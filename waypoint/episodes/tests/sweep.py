"""Ids the no-relationship sweep needs for the episodes app's URLs (records belong to `person`)."""

from waypoint.accounts.factories import TeamFactory
from waypoint.episodes.factories import DischargeFactory, TransferFactory


def record_factories(person, coordinator, team):
    def episode():
        # A closed, discharged episode, so the letter pages have something to print too.
        return DischargeFactory(
            episode__person=person, episode__team=team, episode__opened_by=coordinator
        ).episode_id

    def transfer():
        # To a third team: the outsider's team must not be the receiving team (that is a relationship).
        return TransferFactory(
            from_episode__person=person,
            from_episode__team=team,
            from_episode__opened_by=coordinator,
            to_team=TeamFactory(name="Sweep Outreach Team"),
        ).pk

    return {"episode_id": episode, "transfer_id": transfer}
