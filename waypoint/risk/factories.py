import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from .models import RiskFormulation


class RiskFormulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskFormulation

    person = factory.SubFactory(PersonFactory)
    revision = factory.LazyAttribute(
        lambda o: (
            (
                RiskFormulation.objects.filter(person=o.person)
                .order_by("-revision")
                .values_list("revision", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )
    history = "Two overdoses in 2019 after a relationship ended (synthetic)"
    concerns_to_self = "Thoughts of self-harm when alone at night (synthetic)"
    concerns_to_others = "None identified"
    concerns_from_others = "None identified"
    concerns_self_neglect = "Stops eating when low (synthetic)"
    triggers = "Anniversaries, arguments with family (synthetic)"
    protective_factors = "Close to her sister; her dog (synthetic)"
    what_helps = "Walking the dog, talking to her sister (synthetic)"
    management_plan = "Weekly contact with care coordinator; safety plan reviewed (synthetic)"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    written_by = factory.SubFactory(UserFactory)
