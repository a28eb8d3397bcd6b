import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory

from .models import (
    Allergy,
    AllergyKind,
    DepotAdministration,
    DepotPrescription,
    HealthFlag,
    Measurement,
    Medicine,
    MedicineReference,
    Outcome,
    PhysicalHealthCheck,
    Source,
)


class MedicineReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicineReference
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9990000{n:05d}")
    name = factory.Sequence(lambda n: f"Synthetic medicine {n}")
    form = "Tablet"
    strength = "10 mg"
    synthetic = True


class MedicineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medicine

    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    name = "Aripiprazole"
    form = "Tablet"
    strength = "10 mg"
    dose = Decimal("10")
    dose_unit = "mg"
    route = "By mouth"
    frequency = "Once a day"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    prescriber = "Dr Synthetic"
    prescribed_by = "trust"
    recorded_by = factory.SubFactory(UserFactory)


class AllergyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allergy

    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    kind = AllergyKind.ALLERGY
    substance = "Penicillin"
    reaction = "Rash"
    severity = "moderate"
    recorded_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class DepotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepotPrescription

    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    team = factory.SubFactory(TeamFactory)
    drug = "Paliperidone palmitate"
    dose = Decimal("100")
    dose_unit = "mg"
    interval_days = 28
    tolerance_days = 3
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    prescriber = "Dr Synthetic"
    recorded_by = factory.SubFactory(UserFactory)


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepotAdministration

    prescription = factory.SubFactory(DepotFactory)
    person = factory.LazyAttribute(lambda o: o.prescription.person)
    outcome = Outcome.GIVEN
    at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    dose = Decimal("100")
    dose_unit = "mg"
    site = "deltoid"
    side = "left"
    batch_number = "SYN123"
    batch_expiry = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=200))
    consent = True
    side_effects = "None reported (synthetic)"
    given_by = factory.SubFactory(UserFactory)


class CheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhysicalHealthCheck

    person = factory.SubFactory("waypoint.patients.factories.PersonFactory")
    checked_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    check_record = factory.SubFactory(CheckFactory)
    person = factory.LazyAttribute(lambda o: o.check_record.person)
    element = "bmi"
    value = Decimal("27.1")
    measured_on = factory.LazyAttribute(lambda o: o.check_record.checked_on)
    source = Source.HERE


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthFlag

    check_record = factory.SubFactory(CheckFactory)
    person = factory.LazyAttribute(lambda o: o.check_record.person)
    element = "bmi"
    reason = "BMI 27.1 is 25 or more"
