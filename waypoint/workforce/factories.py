import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory

from .models import (
    Appraisal,
    Approval,
    ApprovalKind,
    Course,
    DbsCheck,
    DbsLevel,
    LineManagement,
    Placement,
    ProfessionalRegistration,
    RegistrationBody,
    StudentProfession,
    Supervision,
    SupervisionKind,
    TrainingCompletion,
    TrainingMethod,
)


def _today():
    return timezone.localdate()


class LineManagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineManagement

    staff = factory.SubFactory(UserFactory)
    manager = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=100))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalRegistration

    staff = factory.SubFactory(UserFactory)
    body = RegistrationBody.NMC
    number = factory.Sequence(lambda n: f"99A{n:05d}E")
    registered_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=700))
    expires_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=300))
    recorded_by = factory.SelfAttribute("staff")


class DbsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DbsCheck

    staff = factory.SubFactory(UserFactory)
    checked_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=400))
    level = DbsLevel.ENHANCED_BARRED
    recorded_by = factory.SelfAttribute("staff")


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    staff = factory.SubFactory(UserFactory)
    kind = ApprovalKind.AMHP
    approving_authority = "Testshire County Council"
    approved_from = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=1000))
    approved_until = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=30))
    recorded_by = factory.SelfAttribute("staff")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Course {n}")
    valid_for_months = 12


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    staff = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    completed_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=30))
    method = TrainingMethod.E_LEARNING
    recorded_by = factory.SelfAttribute("staff")


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision
        skip_postgeneration_save = True

    kind = SupervisionKind.CLINICAL
    held_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=7))
    supervisor = factory.SubFactory(UserFactory)
    themes = "Synthetic themes"
    wellbeing = "Synthetic wellbeing"
    actions = "Synthetic actions"
    recorded_by = factory.SelfAttribute("supervisor")

    @factory.post_generation
    def supervisees(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervisees.set(extracted)


class AppraisalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appraisal

    staff = factory.SubFactory(UserFactory)
    appraiser = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=200))
    objectives = "Synthetic objectives"
    next_due_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=165))
    recorded_by = factory.SelfAttribute("appraiser")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    student = factory.SubFactory(UserFactory)
    team = factory.SubFactory("waypoint.accounts.factories.TeamFactory")
    profession = StudentProfession.NURSING
    university = "University of Testville"
    year_of_study = 2
    starts_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=20))
    ends_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=60))
    practice_supervisor = factory.SubFactory(UserFactory)
    practice_assessor = factory.SubFactory(UserFactory)
    recorded_by = factory.SelfAttribute("practice_supervisor")
