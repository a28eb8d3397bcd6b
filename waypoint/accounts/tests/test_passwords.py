"""Password rules, initial passwords changed at first sign-in, and changing your own password."""

from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.accounts.models import User
from waypoint.accounts.services import set_initial_password
from waypoint.audit.models import AuditEvent

PASSWORD = "test-password-123"
NEW = "a-new-long-pass-phrase"
SIGN_IN = reverse("accounts:sign_in")
NEW_PASSWORD = reverse("accounts:sign_in_new_password")
CHANGE = reverse("accounts:change_password")


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def refused(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


class TestPasswordRules:
    @pytest.mark.parametrize(
        "password", ["a", "elevenchars", "password1234", "qwertyuiop123", "123456789012345"]
    )
    def test_short_common_and_numeric_passwords_are_refused(self, password):
        assert refused(password)

    def test_twelve_characters_is_enough(self):
        assert refused("twelve chars") == []

    def test_long_pass_phrases_are_allowed(self):
        assert refused("correct horse battery staple " * 4 + "x" * 12) == []  # 128
        assert refused("x7" * 32) == []  # 64

    def test_more_than_128_characters_is_refused(self):
        assert refused("y" * 129) == ["Your password must be 128 characters or fewer."]

    def test_no_rotation_setting_exists(self, settings):
        # No forced password expiry: nothing in the settings ages passwords.
        assert not [name for name in dir(settings) if "PASSWORD" in name and "AGE" in name]


@pytest.fixture
def write_csv(tmp_path):
    def write(body):
        path = tmp_path / "staff.csv"
        path.write_text("name,email,roles,team\n" + body, encoding="utf-8")
        return str(path)

    return write


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_staff", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
class TestImportedPasswords:
    def test_a_password_that_fails_the_rules_is_refused_and_nothing_imported(self, write_csv):
        TeamFactory(name="North CMHT")
        path = write_csv("Alex Smith,alex.smith@example.nhs.uk,care_coordinator,North CMHT\n")
        err = StringIO()
        with pytest.raises(CommandError):
            call_command("import_staff", path, "--password", "a", stdout=StringIO(), stderr=err)
        assert "The initial password was refused" in err.getvalue()
        assert "too short" in err.getvalue()
        assert not User.objects.filter(username="alex.smith").exists()

    def test_an_imported_password_must_be_changed_at_first_sign_in(self, write_csv, client):
        TeamFactory(name="North CMHT")
        path = write_csv("Alex Smith,alex.smith@example.nhs.uk,care_coordinator,North CMHT\n")
        run_import(path, "--password", "Start-Here-2026")
        user = User.objects.get(username="alex.smith")
        assert user.must_change_password
        response = client.post(SIGN_IN, {"username": "alex.smith", "password": "Start-Here-2026"})
        assert response["Location"] == NEW_PASSWORD
        assert signed_in_user_id(client) is None
        assert client.get(reverse("patients:search")).status_code == 302
        response = client.post(NEW_PASSWORD, {"new_password1": NEW, "new_password2": NEW})
        assert response["Location"] == "/"
        assert signed_in_user_id(client) == str(user.pk)
        user.refresh_from_db()
        assert not user.must_change_password
        assert user.check_password(NEW)
        assert AuditEvent.objects.filter(user=user, record_type="password", action="update").count() == 1

    def test_generated_passwords_are_printed_once_and_must_be_changed(self, write_csv, client):
        TeamFactory(name="North CMHT")
        path = write_csv(
            "Alex Smith,alex.smith@example.nhs.uk,care_coordinator,North CMHT\n"
            "Jo Bloggs,jo.bloggs@example.nhs.uk,care_coordinator,North CMHT\n"
        )
        out, _ = run_import(path, "--generate-passwords")
        lines = dict(line.split(": ", 1) for line in out.splitlines() if line.startswith(("alex.", "jo.")))
        assert set(lines) == {"alex.smith", "jo.bloggs"}
        assert lines["alex.smith"] != lines["jo.bloggs"]
        alex = User.objects.get(username="alex.smith")
        assert alex.check_password(lines["alex.smith"])
        assert alex.must_change_password
        assert refused(lines["alex.smith"], alex) == []
        response = client.post(SIGN_IN, {"username": "alex.smith", "password": lines["alex.smith"]})
        assert response["Location"] == NEW_PASSWORD

    def test_without_a_password_the_account_cannot_sign_in(self, write_csv):
        TeamFactory(name="North CMHT")
        run_import(write_csv("Alex Smith,alex.smith@example.nhs.uk,care_coordinator,North CMHT\n"))
        assert not User.objects.get(username="alex.smith").has_usable_password()


@pytest.fixture
def initial(team):
    user = UserFactory(username="new.starter", team=team)
    user.must_change_password = True
    user.save()
    return user


def at_new_password_step(client):
    client.post(SIGN_IN, {"username": "new.starter", "password": PASSWORD})


@pytest.mark.django_db
class TestNewPasswordStep:
    def test_the_page_asks_for_a_new_password(self, client, initial):
        at_new_password_step(client)
        body = client.get(NEW_PASSWORD).content.decode()
        assert "Choose a new password" in body
        assert 'autocomplete="new-password"' in body

    @pytest.mark.parametrize(
        ("first", "second", "message"),
        [
            ("a", "a", "too short"),
            ("password1234", "password1234", "too common"),
            (NEW, NEW + "x", "The two passwords do not match"),
            (PASSWORD, PASSWORD, "different from your current one"),
            ("", "", "Enter a new password"),
        ],
    )
    def test_bad_new_passwords_are_refused(self, client, initial, first, second, message):
        at_new_password_step(client)
        response = client.post(NEW_PASSWORD, {"new_password1": first, "new_password2": second})
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body
        assert "There is a problem" in body
        assert signed_in_user_id(client) is None
        initial.refresh_from_db()
        assert initial.must_change_password

    def test_skipping_the_step_is_not_possible(self, client, initial):
        at_new_password_step(client)
        assert client.get("/").status_code == 302
        assert signed_in_user_id(client) is None
        # Signing in again with the old password still lands on the new-password step.
        client.post(SIGN_IN, {"username": "new.starter", "password": PASSWORD})
        assert client.get(NEW_PASSWORD).status_code == 200

    def test_next_is_kept_through_the_step(self, client, initial):
        client.post(SIGN_IN, {"username": "new.starter", "password": PASSWORD, "next": "/duty/"})
        response = client.post(NEW_PASSWORD, {"new_password1": NEW, "new_password2": NEW})
        assert response["Location"] == "/duty/"

    def test_set_initial_password_for_administrators(self, initial, coordinator):
        with pytest.raises(ValidationError):
            set_initial_password(initial, "a", by=coordinator)
        initial.must_change_password = False
        initial.save()
        set_initial_password(initial, "Given-By-Admin-2026", by=coordinator)
        initial.refresh_from_db()
        assert initial.must_change_password
        assert initial.check_password("Given-By-Admin-2026")
        row = AuditEvent.objects.get(record_type="password")
        assert row.user == coordinator
        assert row.record_id == str(initial.pk)


@pytest.mark.django_db
class TestChangeOwnPassword:
    @pytest.fixture
    def staff(self, team):
        return UserFactory(username="sam.staff", team=team)

    def test_needs_sign_in(self, client):
        assert client.get(CHANGE)["Location"].startswith(SIGN_IN)

    def test_the_header_links_to_it(self, client, staff):
        client.force_login(staff)
        body = client.get(reverse("patients:search")).content.decode()
        assert f'href="{CHANGE}"' in body
        assert "Change password" in body

    def test_changes_the_password_keeps_this_session_and_ends_others(self, client, staff):
        other = Client()
        other.post(SIGN_IN, {"username": "sam.staff", "password": PASSWORD})
        assert other.get(reverse("patients:search")).status_code == 200
        client.post(SIGN_IN, {"username": "sam.staff", "password": PASSWORD})
        response = client.post(
            CHANGE, {"current_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True
        )
        assert "Your password has been changed." in response.content.decode()
        assert client.get(reverse("patients:search")).status_code == 200
        assert other.get(reverse("patients:search")).status_code == 302
        staff.refresh_from_db()
        assert staff.check_password(NEW)
        row = AuditEvent.objects.get(record_type="password")
        assert (row.user, row.action, row.record_id) == (staff, "update", str(staff.pk))

    def test_a_wrong_current_password_is_refused(self, client, staff):
        client.force_login(staff)
        response = client.post(
            CHANGE, {"current_password": "not-my-password", "new_password1": NEW, "new_password2": NEW}
        )
        assert response.status_code == 200
        assert "Your current password is not right" in response.content.decode()
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)
        assert not AuditEvent.objects.filter(record_type="password").exists()

    def test_a_weak_new_password_is_refused(self, client, staff):
        client.force_login(staff)
        response = client.post(
            CHANGE, {"current_password": PASSWORD, "new_password1": "a", "new_password2": "a"}
        )
        assert "too short" in response.content.decode()
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)
