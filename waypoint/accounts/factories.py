import factory
from django.utils import timezone

from .models import Membership, Role, RoleCode, Team, TeamType, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Team {n}")
    team_type = TeamType.CMHT
    base = "Testville Resource Centre"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Testworker"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nhs.uk")
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(user=self, team=extracted, started_on=timezone.localdate())

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                self.roles.add(Role.objects.get_or_create(code=code)[0])


def make_staff(team=None, roles=(RoleCode.CARE_COORDINATOR,), **kwargs):
    return UserFactory(team=team, roles=list(roles), **kwargs)
