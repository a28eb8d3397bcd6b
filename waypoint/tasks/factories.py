import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory

from .models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    team = factory.SubFactory(TeamFactory)
    assigned_to = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)
    what = factory.Sequence(lambda n: f"Synthetic task {n}")
    why = "Part of the care plan (synthetic)"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
