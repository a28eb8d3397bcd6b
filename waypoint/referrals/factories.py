import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from .models import Referral, Source, Urgency


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    received_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    source = Source.GP
    referrer_name = "Dr Synthetic Testdoctor"
    referrer_organisation = "Testville Surgery"
    reason = "Low mood and not sleeping (synthetic)"
    urgency_requested = Urgency.ROUTINE
    recorded_by = factory.SubFactory(UserFactory)
