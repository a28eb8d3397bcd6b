import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory

from .models import Category, Harm, Incident, IncidentPerson, InvolvedRole


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    team = factory.SubFactory(TeamFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=3))
    location = "Clinic waiting room (synthetic)"
    category = Category.FALL
    harm = Harm.LOW
    what_happened = "Slipped on a wet floor (synthetic)"
    immediate_actions = "First aid given (synthetic)"
    reported_by = factory.SubFactory(UserFactory)
    reported_at = factory.LazyFunction(timezone.now)


class IncidentPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentPerson

    incident = factory.SubFactory(IncidentFactory)
    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    role = InvolvedRole.AFFECTED
