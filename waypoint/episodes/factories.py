import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.patients.factories import PersonFactory

from .models import (
    Allocation,
    AllocationKind,
    CareApproach,
    Discharge,
    DischargeKind,
    Episode,
    EpisodeStatus,
    Transfer,
    TransferDirection,
)


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    care_approach = CareApproach.CPA
    status = EpisodeStatus.OPEN
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    opened_by = factory.SubFactory(UserFactory)


class CoordinatorAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    episode = factory.SubFactory(EpisodeFactory)
    person = factory.SelfAttribute("episode.person")
    team = factory.SelfAttribute("episode.team")
    worker = factory.SubFactory(UserFactory)
    kind = AllocationKind.CARE_COORDINATOR
    allocated_by = factory.SelfAttribute("worker")


class TransferFactory(factory.django.DjangoModelFactory):
    """A pending transfer. Sets the sending episode to 'transfer pending' as the service would."""

    class Meta:
        model = Transfer

    from_episode = factory.SubFactory(EpisodeFactory, status=EpisodeStatus.TRANSFER_PENDING)
    person = factory.SelfAttribute("from_episode.person")
    to_team = factory.SubFactory(TeamFactory, name="Assertive Outreach Team", team_type="assertive_outreach")
    direction = TransferDirection.STEP_UP
    reason = "Hard to engage; needs assertive outreach (synthetic)"
    handover_summary = "Handover summary (synthetic)"
    care_approach = CareApproach.CPA
    requested_by = factory.SelfAttribute("from_episode.opened_by")


class DischargeFactory(factory.django.DjangoModelFactory):
    """A discharge of a closed episode (the episode is closed to match)."""

    class Meta:
        model = Discharge

    episode = factory.SubFactory(
        EpisodeFactory,
        status=EpisodeStatus.CLOSED,
        ended_on=factory.LazyFunction(timezone.localdate),
        end_reason="discharged",
    )
    person = factory.SelfAttribute("episode.person")
    kind = DischargeKind.PLANNED
    discharged_on = factory.SelfAttribute("episode.ended_on")
    what_happened = "Worked together on sleep and routine (synthetic)"
    getting_back_in_touch = "Ask your GP to refer you back (synthetic)"
    crisis_numbers = "NHS 111, option 2"
    recorded_by = factory.SelfAttribute("episode.opened_by")
