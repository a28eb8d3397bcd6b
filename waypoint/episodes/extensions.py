"""What episodes of care plug in: the allocation, episode and transfer relationships, who
coordinates the person (a fact other sections share), the "Referrals and episodes" tab, the care
team on the overview, and transfers awaiting a decision on the worklist. Registered from
EpisodesConfig.ready()."""

from waypoint.audit.models import Basis

TAB = "episodes"


def _care_team(record):
    return record.episode_summary


def register():
    from waypoint.access.policy import register_relationship
    from waypoint.patients.record_sections import (
        RecordSection,
        RecordTab,
        register_fact,
        register_section,
        register_tab,
    )
    from waypoint.worklist.registry import register_provider

    from . import relationships, selectors
    from .worklist import transfers_awaiting_decision

    register_relationship(Basis.ALLOCATION, relationships.allocation_relationship)
    register_relationship(Basis.EPISODE, relationships.episode_relationship)
    register_relationship(Basis.TRANSFER, relationships.transfer_relationship)

    register_tab(RecordTab(TAB, "Referrals and episodes", 60, namespaces=("episodes", "referrals", "duty")))
    register_fact("episodes", lambda record: selectors.episodes_of(record.person))
    # now=None ("now"), the same key as the worklist providers' reads, so they share one query.
    register_fact("allocations", lambda record: selectors.allocations_now(record.person))
    register_fact("pending_transfers", lambda record: selectors.pending_transfers_of(record.person))
    register_fact(
        "episode_summary",
        lambda record: selectors.record_summary(
            record.person,
            episodes=record.episodes,
            allocations=record.allocations,
            transfers=record.pending_transfers,
        ),
    )
    # The overview's "Care team": open episodes with their coordinator; the tab has the history.
    register_section(RecordSection("care_team", 1, "episodes/_care_team_section.jinja", _care_team))
    register_section(
        RecordSection("allocations", 5, "episodes/_person_section.jinja", _care_team, tabs=(TAB,))
    )
    register_provider("transfer_decision", transfers_awaiting_decision)
