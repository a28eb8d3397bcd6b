import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.core.forms import combine_local
from waypoint.patients.factories import PersonFactory

from .models import (
    Appointment,
    Attendance,
    CodedIntervention,
    Contact,
    ContactFrequency,
    DisengagementStepTaken,
    IndirectActivity,
    LocationType,
    Mechanism,
)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = datetime.time(10, 0)
    expected_minutes = 60
    location_type = LocationType.HOME
    mechanism = Mechanism.FACE_TO_FACE
    purpose = "Care coordination visit (synthetic)"
    booked_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create:
            self.staff.set(extracted if extracted is not None else [self.booked_by])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    occurred_at = factory.LazyAttribute(lambda o: combine_local(o.date, datetime.time(10, 0)))
    attendance = Attendance.ATTENDED
    mechanism = Mechanism.FACE_TO_FACE
    location_type = LocationType.HOME
    duration_minutes = factory.LazyAttribute(lambda o: 45 if o.attendance == Attendance.ATTENDED else None)
    activities = factory.LazyAttribute(
        lambda o: ["care_coordination"] if o.attendance == Attendance.ATTENDED else []
    )
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create:
            self.staff.set(extracted if extracted is not None else [self.recorded_by])


class IndirectActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndirectActivity

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    contact_with = "Sam Housingofficer"
    organisation = "Testville Housing (synthetic)"
    method = "telephone"
    duration_minutes = 15
    summary = "Discussed rent arrears (synthetic)"
    recorded_by = factory.SubFactory(UserFactory)


class ContactFrequencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactFrequency

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    every_days = 7
    set_by = factory.SubFactory(UserFactory)


class DisengagementStepTakenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisengagementStepTaken

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    step_number = 1
    step_title = "Phone the person"
    taken_on = factory.LazyFunction(timezone.localdate)
    outcome = "No answer (synthetic)"
    recorded_by = factory.SubFactory(UserFactory)


class CodedInterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodedIntervention

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(timezone.localdate)
    code = "304891004"
    term = "Cognitive behavioural therapy"
    recorded_by = factory.SubFactory(UserFactory)
