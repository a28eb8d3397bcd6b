import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory

from .models import Meeting, MeetingKind


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    kind = MeetingKind.MDT
    held_on = factory.LazyFunction(timezone.localdate)
    chair = factory.SubFactory(UserFactory)
    planned_by = factory.SelfAttribute("chair")
