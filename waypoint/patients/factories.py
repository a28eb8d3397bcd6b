import datetime

import factory
from django.utils import timezone

from .models import Alert, Carer, GPPractice, Person, TeamRegistration
from .nhs_number import check_digit


def valid_test_nhs_number(n: int) -> str:
    """The n-th Modulus 11 valid NHS number in the 999 test range."""
    candidate = n
    while True:
        nine = f"999{candidate % 1_000_000:06d}"
        digit = check_digit(nine)
        if digit is not None:
            return nine + str(digit)
        candidate += 1


class GPPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GPPractice
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"Y{n:05d}")
    name = factory.Sequence(lambda n: f"Testville Surgery {n}")
    postcode = "TE1 1ST"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    nhs_number = factory.Sequence(lambda n: valid_test_nhs_number(n * 7 + 1))
    local_id = factory.Sequence(lambda n: f"TEST{n:07d}")
    given_name = factory.Sequence(lambda n: f"Testy{n}")
    family_name = "Testperson"
    date_of_birth = datetime.date(1980, 5, 17)
    postcode = "TE1 2AB"
    gp_practice = factory.SubFactory(GPPracticeFactory)


class TeamRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamRegistration

    person = factory.SubFactory(PersonFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Carer{n} Testperson")
    relationship = "Sister"


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    person = factory.SubFactory(PersonFactory)
    category = Alert.Category.STAFF_SAFETY
    summary = "Do not visit alone"
    created_by = factory.SubFactory("waypoint.accounts.factories.UserFactory")
