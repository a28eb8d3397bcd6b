import random
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from waypoint.accounts.models import Membership, Role, RoleCode, Team, TeamType, User
from waypoint.demo import synthetic
from waypoint.demo.management.commands.build_demo_trust import STAFF
from waypoint.patients.models import Alert, Carer, GPPractice, Person, TeamRegistration
from waypoint.patients.nhs_number import is_valid_nhs_number
from waypoint.referrals.models import Referral

DEMO_USERNAMES = [
    "coordinator",
    "socialworker",
    "outreach",
    "support",
    "student",
    "psychiatrist",
    "psychologist",
    "manager",
    "records",
    "amhp",
    "bia",
    "privacy",
    "sysadmin",
    "southcc",
    "workforceadmin",
    "servicemanager",
    "analyst",
]


def build(**options):
    out = StringIO()
    call_command("build_demo_trust", stdout=out, **options)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Person,
            Carer,
            Alert,
            TeamRegistration,
            GPPractice,
            Referral,
            User,
            Team,
            Membership,
            Role,
        )
    }


@pytest.fixture
def trust(db):
    build(size=40, verbosity=0)


@pytest.mark.django_db
class TestSyntheticTrust:
    def test_size_parameter_and_test_range_nhs_numbers(self, trust):
        numbers = list(Person.objects.values_list("nhs_number", flat=True))
        assert len(numbers) == 40 == len(set(numbers))
        assert all(number.startswith("999") and is_valid_nhs_number(number) for number in numbers)
        local_ids = list(Person.objects.values_list("local_id", flat=True))
        assert len(set(local_ids)) == 40
        assert all(re.fullmatch(r"WP\d{7}", local_id) for local_id in local_ids)

    def test_every_role_has_a_demo_user_and_required_team_types_exist(self, trust):
        held = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("roles__code", flat=True))
        # A system client is a service account for the FHIR API, registered by the system
        # administrator (`register_fhir_client`), not a demo sign-in.
        assert set(RoleCode.values) - {RoleCode.SYSTEM_CLIENT} <= held
        types = set(Team.objects.values_list("team_type", flat=True))
        assert {TeamType.CMHT, TeamType.ASSERTIVE_OUTREACH, TeamType.COMPLEX_REHABILITATION} <= types

    def test_demo_accounts_have_their_roles_and_teams(self, trust):
        assert set(DEMO_USERNAMES) <= set(User.objects.values_list("username", flat=True))
        for username, _first, _last, roles, profession, team in STAFF:
            user = User.objects.get(username=username)
            assert user.role_codes() == set(roles), username
            assert user.profession == profession, username
            assert [t.name for t in user.teams.all()] == ([team] if team else []), username
        assert Membership.objects.filter(is_primary=False).count() == 0
        sysadmin = User.objects.get(username="sysadmin")
        assert sysadmin.is_staff and sysadmin.is_superuser
        assert not User.objects.filter(is_superuser=True).exclude(username="sysadmin").exists()

    def test_demo_users_sign_in_with_the_demo_password(self, trust, settings):
        for username, *_rest in STAFF:
            assert User.objects.get(username=username).check_password(settings.WAYPOINT_DEMO_PASSWORD)

    def test_people_are_split_across_teams(self, trust):
        north, south = Team.objects.get(name="North CMHT"), Team.objects.get(name="South CMHT")
        assert TeamRegistration.objects.filter(team=north).count() > 40 // 2
        assert TeamRegistration.objects.filter(team=south).exists()
        assert not Person.objects.filter(team_registrations=None).exists()

    def test_if_empty_on_a_filled_database_creates_nothing(self, trust):
        before = counts()
        out = build(size=40, if_empty=True)
        assert counts() == before
        assert "left as it is" in out

    def test_running_again_adds_people_but_not_staff_or_teams(self, trust):
        before = counts()
        build(size=5, verbosity=0)
        after = counts()
        assert after["Person"] == 45
        for model in ("User", "Team", "Membership", "Role", "GPPractice"):
            assert after[model] == before[model], model
        assert User.objects.filter(username="coordinator").count() == 1
        numbers = list(Person.objects.values_list("nhs_number", flat=True))
        assert len(set(numbers)) == 45 and all(is_valid_nhs_number(n) for n in numbers)
        assert Person.objects.values("local_id").distinct().count() == 45
        details = list(
            Person.objects.order_by("local_id").values_list("given_name", "family_name", "date_of_birth")
        )
        assert details[40:] != details[:5]  # new people, not copies of the first five

    def test_pathway_has_people_at_each_stage(self, db):
        out = build(size=200)
        statuses = set(Referral.objects.values_list("status", flat=True))
        assert {"awaiting_triage", "waiting", "in_assessment"} <= statuses
        assert Person.objects.count() == 200
        assert TeamRegistration.objects.count() > 200  # a few people are on two teams
        assert Alert.objects.exists() and Carer.objects.exists()
        assert "Synthetic Trust built in" in out


@pytest.mark.django_db
def test_size_must_be_positive():
    with pytest.raises(CommandError):
        build(size=0)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_duty_rota_calls_and_handover(trust):
    from waypoint.duty.models import DutyEnquiry, DutyShift, Handover

    assert DutyShift.objects.filter(date=timezone.localdate()).exists() or timezone.localdate().weekday() >= 5
    assert DutyEnquiry.objects.open().count() == 3
    assert Handover.objects.exists()
    build(size=1, verbosity=0)
    assert DutyEnquiry.objects.open().count() == 3
    assert Handover.objects.count() == 1


def test_show_demo_sign_ins_lists_every_account(db, settings):
    out = StringIO()
    call_command("show_demo_sign_ins", stdout=out)
    text = out.getvalue()
    assert settings.WAYPOINT_DEMO_PASSWORD in text
    assert "WAYPOINT_DEMO_PASSWORD" in text and "http://127.0.0.1:8000" in text
    for username in DEMO_USERNAMES:
        assert re.search(rf"^{username}\s", text, re.MULTILINE), username


def test_show_demo_sign_ins_gives_the_address_actually_used(db):
    """Issue 18, item 14: `make demo PORT=8001` prints http://127.0.0.1:8001."""
    out = StringIO()
    call_command("show_demo_sign_ins", "--url", "http://127.0.0.1:8001", stdout=out)
    assert "sign in at http://127.0.0.1:8001" in out.getvalue() and ":8000" not in out.getvalue()


class TestGenerator:
    """The generator alone, without the database."""

    today = date(2026, 3, 1)

    def people(self, seed=2026, count=300):
        rng = random.Random(seed)
        numbers = synthetic.nhs_numbers(count)
        return [
            synthetic.person(rng, nhs_number=n, local_id=synthetic.local_id(i + 1), today=self.today)
            for i, n in enumerate(numbers)
        ]

    def test_same_seed_same_people(self):
        assert [p.fields for p in self.people()] == [p.fields for p in self.people()]
        assert [p.fields for p in self.people()] != [p.fields for p in self.people(seed=1)]

    def test_people_are_plainly_fake_adults(self):
        people = self.people()
        for one in people:
            fields = one.fields
            assert fields["family_name"] in synthetic.FAMILY_NAMES
            assert 18 <= synthetic.age_on(fields["date_of_birth"], self.today) <= 90
            assert re.fullmatch(r"ZZ99 \d[A-Z]{2}", fields["postcode"])
            assert fields["phone"] == "" or re.fullmatch(r"07700 900\d{3}", fields["phone"])
            assert fields["email"] == "" or fields["email"].endswith("@example.com")
            assert sum(carer["is_nearest_relative"] for carer in one.carers) <= 1
            assert len(one.carers) <= 2
        assert {p.fields["sex"] for p in people} >= {"1", "2"}
        assert len({p.fields["ethnicity"] for p in people}) > 8
        assert any(p.fields["preferred_name"] for p in people)
        assert any(p.fields["interpreter_needed"] for p in people)
        assert any(p.fields["communication_needs"] for p in people)
        assert 0 < sum(bool(p.alerts) for p in people) < len(people) // 10

    def test_nhs_numbers_skip_existing_and_run_out_cleanly(self):
        first = synthetic.nhs_numbers(10)
        more = synthetic.nhs_numbers(10, exclude=set(first))
        assert not set(first) & set(more)
        with pytest.raises(ValueError):
            synthetic.nhs_numbers(20, start=999_990)

    def test_years_before_handles_29_february(self):
        assert synthetic.years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


def test_demo_depots_are_in_their_nurses_diary_and_some_clocks_stop_at_an_intervention(trust):
    from waypoint.contacts.models import CodedIntervention
    from waypoint.medicines.models import DepotPrescription

    assert DepotPrescription.objects.exists()
    assert not DepotPrescription.objects.filter(nurse__isnull=True).exists()
    assert CodedIntervention.objects.exists()
