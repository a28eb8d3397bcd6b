import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory

from .models import CallerType, DutyEnquiry, DutyRole, DutyShift, Handover


class DutyShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyShift

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    worker = factory.SubFactory(UserFactory)
    role = DutyRole.DUTY


class DutyEnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyEnquiry

    team = factory.SubFactory(TeamFactory)
    caller_type = CallerType.CARER
    caller_name = "Synthetic Caller"
    what_was_asked = "Worried about their brother (synthetic)"
    logged_by = factory.SubFactory(UserFactory)


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    team = factory.SubFactory(TeamFactory)
    for_date = factory.LazyFunction(timezone.localdate)
    note = "Nothing urgent outstanding (synthetic)"
    written_by = factory.SubFactory(UserFactory)
