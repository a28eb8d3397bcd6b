import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.patients.factories import PersonFactory

from .models import About, Category, Concern, ConcernAddendum, HouseholdMember


class ConcernFactory(factory.django.DjangoModelFactory):
    """An open concern about the person themselves."""

    class Meta:
        model = Concern

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    about = About.PERSON
    category = Category.ADULT_FINANCIAL
    account = '"My nephew takes my bank card every week" (synthetic)'
    immediate_actions = "Bank's fraud team called with her (synthetic)"
    raised_by = factory.SubFactory(UserFactory)
    raised_at = factory.LazyFunction(timezone.now)


class ChildConcernFactory(ConcernFactory):
    about = About.CHILD
    subject_name = "Synthetic Child"
    subject_details = "Aged 7, her son, lives with her"
    category = Category.CHILD_NEGLECT


class ConcernAddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernAddendum

    concern = factory.SubFactory(ConcernFactory)
    text = "Her daughter also told us the same (synthetic)"
    written_by = factory.SubFactory(UserFactory)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Synthetic Child {n}")
    age = "7"
    relationship = "Son"
    parental_responsibility = True
    lives_with_person = True
    agencies = "Hillside Primary School (synthetic)"
    added_by = factory.SubFactory(UserFactory)
