"""The import_staff management command: staff, roles and team memberships from CSV."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.accounts.models import Membership, Profession, RoleCode, User

HEADER = "name,email,roles,team,profession\n"


@pytest.fixture
def north(db):
    return TeamFactory(name="North CMHT")


@pytest.fixture
def south(db):
    return TeamFactory(name="South CMHT")


@pytest.fixture
def write_csv(tmp_path):
    def write(body, header=HEADER, name="staff.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_text(header + body, encoding=encoding)
        return str(path)

    return write


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_staff", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_staff", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(excinfo.value)


def role_codes(user):
    return set(user.roles.values_list("code", flat=True))


@pytest.mark.django_db
class TestGoodRows:
    def test_creates_users_with_roles_team_and_profession(self, write_csv, north, south):
        path = write_csv(
            "Alex Smith,Alex.Smith@example.nhs.uk,care_coordinator;amhp,North CMHT,social_worker\n"
            "Jo Bloggs,jo.bloggs@example.nhs.uk,Psychiatrist,south cmht,Doctor\n"
        )
        out, err = run(path)
        assert "Created 2, updated 0, errors 0." in out
        assert err == ""

        alex = User.objects.get(username="alex.smith")
        assert alex.email == "alex.smith@example.nhs.uk"
        assert (alex.first_name, alex.last_name) == ("Alex", "Smith")
        assert alex.profession == Profession.SOCIAL_WORKER
        assert role_codes(alex) == {RoleCode.CARE_COORDINATOR, RoleCode.AMHP}
        assert alex.has_role(RoleCode.AMHP)
        assert alex.primary_team() == north
        membership = Membership.objects.get(user=alex)
        assert membership.is_primary
        assert membership.ended_on is None

        jo = User.objects.get(username="jo.bloggs")
        assert role_codes(jo) == {RoleCode.PSYCHIATRIST}
        assert jo.profession == Profession.DOCTOR
        assert jo.primary_team() == south

    def test_role_labels_and_aliases(self, write_csv, north):
        path = write_csv(
            "Sam Admin,sam@example.nhs.uk,admin; Team manager ;BIA;,North CMHT,\n"
            "Pat Amhp,pat@example.nhs.uk,Approved Mental Health Professional (AMHP),North CMHT,\n"
        )
        run(path)
        assert role_codes(User.objects.get(username="sam")) == {
            RoleCode.RECORDS_OFFICER,
            RoleCode.TEAM_MANAGER,
            RoleCode.BIA,
        }
        assert role_codes(User.objects.get(username="pat")) == {RoleCode.AMHP}

    def test_names_with_several_parts(self, write_csv, north):
        run(write_csv("Mary Ann van der Berg,mvdb@example.nhs.uk,student,North CMHT,\n"))
        user = User.objects.get(username="mvdb")
        assert (user.first_name, user.last_name) == ("Mary", "Ann van der Berg")

    def test_no_team_and_no_roles_is_allowed(self, write_csv):
        out, _ = run(write_csv("Lee Locum,lee@example.nhs.uk,,,\n"))
        assert "Created 1" in out
        user = User.objects.get(username="lee")
        assert role_codes(user) == set()
        assert user.primary_team() is None

    def test_profession_column_is_optional(self, write_csv, north):
        path = write_csv(
            "Kim Nurse,kim@example.nhs.uk,care_coordinator,North CMHT\n", header="name,email,roles,team\n"
        )
        out, _ = run(path)
        assert "Created 1" in out
        assert User.objects.get(username="kim").profession == ""

    def test_headers_are_matched_loosely_and_a_bom_is_ignored(self, write_csv, north):
        path = write_csv(
            "Kim Nurse,kim@example.nhs.uk,care_coordinator,North CMHT,Nurse\n",
            header="\ufeff Name , EMAIL,Roles,Team,Profession\n",
        )
        out, _ = run(path)
        assert "Created 1" in out
        assert User.objects.get(username="kim").profession == Profession.NURSE

    def test_quoted_fields(self, write_csv, north):
        run(write_csv('"Chris O\'Neil","chris@example.nhs.uk","amhp; bia","North CMHT","Social worker"\n'))
        user = User.objects.get(username="chris")
        assert user.last_name == "O'Neil"
        assert role_codes(user) == {RoleCode.AMHP, RoleCode.BIA}


@pytest.mark.django_db
class TestBadRows:
    def test_unknown_role_and_team_are_reported_but_good_rows_imported(self, write_csv, north):
        path = write_csv(
            "Good Person,good@example.nhs.uk,care_coordinator,North CMHT,nurse\n"
            "Bad Role,badrole@example.nhs.uk,wizard,North CMHT,nurse\n"
            "Bad Team,badteam@example.nhs.uk,care_coordinator,Atlantis CMHT,nurse\n"
        )
        out, err, message = run_failing(path)
        assert "Some rows were not imported" in message
        assert "Created 1, updated 0, errors 2." in out
        assert "Line 3:" in err and "role 'wizard' is not a Waypoint role" in err
        assert "Line 4:" in err and "team 'Atlantis CMHT' does not exist" in err
        assert list(User.objects.values_list("username", flat=True)) == ["good"]
        assert User.objects.get(username="good").primary_team() == north

    def test_a_row_with_a_bad_role_is_not_partly_imported(self, write_csv, north):
        path = write_csv("Half Good,half@example.nhs.uk,amhp;wizard,North CMHT,\n")
        run_failing(path)
        assert not User.objects.filter(username="half").exists()

    def test_every_problem_in_a_row_is_reported(self, write_csv):
        path = write_csv(",not-an-email,wizard,Nowhere,astronaut\n")
        _, err, _ = run_failing(path)
        assert "Line 2:" in err
        for problem in [
            "name is empty",
            "email 'not-an-email' is not an email address",
            "role 'wizard' is not a Waypoint role",
            "team 'Nowhere' does not exist",
            "profession 'astronaut' is not recognised",
        ]:
            assert problem in err
        assert User.objects.count() == 0

    def test_missing_column_is_reported(self, write_csv):
        path = write_csv("Alex Smith,alex@example.nhs.uk\n", header="name,email\n")
        out, err, message = run_failing(path)
        assert "missing the column(s): roles, team" in err
        assert "errors 1" in out
        assert "Some rows were not imported" in message
        assert User.objects.count() == 0

    def test_empty_file_is_reported(self, write_csv):
        _, err, _ = run_failing(write_csv("", header=""))
        assert "missing the column(s): email, name, roles, team" in err

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="No file at"):
            call_command("import_staff", str(tmp_path / "nope.csv"), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
class TestRerun:
    def test_rerunning_updates_instead_of_duplicating(self, write_csv, north):
        first = write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,North CMHT,nurse\n")
        run(first, "--password", "first-password-123")
        second = write_csv(
            "Alexandra Smith-Jones,ALEX@example.nhs.uk,care_coordinator;amhp,North CMHT,social worker\n",
            name="again.csv",
        )
        out, _ = run(second, "--password", "second-password-456")
        assert "Created 0, updated 1, errors 0." in out
        assert User.objects.count() == 1
        user = User.objects.get(username="alex")
        assert (user.first_name, user.last_name) == ("Alexandra", "Smith-Jones")
        assert user.email == "alex@example.nhs.uk"
        assert user.profession == Profession.SOCIAL_WORKER
        assert role_codes(user) == {RoleCode.CARE_COORDINATOR, RoleCode.AMHP}
        assert Membership.objects.filter(user=user).count() == 1
        # an existing account's password is never replaced by the import
        assert user.check_password("first-password-123")
        assert not user.check_password("second-password-456")

    def test_same_file_twice(self, write_csv, north):
        path = write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,North CMHT,nurse\n")
        run(path)
        run(path)
        assert User.objects.count() == 1
        assert Membership.objects.count() == 1
        assert User.objects.get().roles.count() == 1

    def test_new_team_is_added_as_a_second_membership(self, write_csv, north, south):
        run(write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,North CMHT,\n"))
        run(write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,South CMHT,\n", name="b.csv"))
        user = User.objects.get(username="alex")
        memberships = {m.team.name: m.is_primary for m in Membership.objects.filter(user=user)}
        assert memberships == {"North CMHT": True, "South CMHT": False}
        assert user.primary_team() == north

    def test_existing_account_made_elsewhere_is_updated(self, write_csv, north):
        UserFactory(username="alex", email="old@example.nhs.uk")
        out, _ = run(write_csv("Alex Smith,alex@example.nhs.uk,amhp,North CMHT,\n"))
        assert "updated 1" in out
        user = User.objects.get(username="alex")
        assert user.email == "alex@example.nhs.uk"
        assert user.check_password("test-password-123")

    def test_different_people_with_the_same_email_local_part_are_not_merged(self, write_csv, north):
        run(
            write_csv("Alex Smith,alex@north.nhs.uk,care_coordinator,North CMHT,\n"),
            "--password",
            "pw-123456789",
        )
        try:
            run(write_csv("Alex Jones,alex@south.nhs.uk,team_manager,North CMHT,\n", name="b.csv"))
        except CommandError:
            pass  # reporting the clash as an error is a fine fix too
        first = User.objects.get(email="alex@north.nhs.uk")
        assert (first.first_name, first.last_name) == ("Alex", "Smith")
        assert not first.has_role(RoleCode.TEAM_MANAGER)


@pytest.mark.django_db
class TestPasswords:
    def test_password_option_sets_a_usable_password(self, write_csv, north, client):
        run(
            write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,North CMHT,\n"),
            "--password",
            "Start-Here-2026",
        )
        user = User.objects.get(username="alex")
        assert user.has_usable_password()
        assert user.check_password("Start-Here-2026")

    def test_without_it_the_password_is_unusable(self, write_csv, north):
        run(write_csv("Alex Smith,alex@example.nhs.uk,care_coordinator,North CMHT,\n"))
        user = User.objects.get(username="alex")
        assert not user.has_usable_password()
        assert not user.check_password("")
