"""Multi-factor sign-in: the steps after the password, enrolment, codes, recovery codes, lockout."""

import time
from base64 import b32encode

import pyotp
import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from waypoint.accounts.factories import UserFactory
from waypoint.accounts.middleware import SESSION_MFA_VERIFIED
from waypoint.accounts.services import confirm_totp_enrolment, start_totp_enrolment
from waypoint.audit.models import AuditEvent

PASSWORD = "test-password-123"
SIGN_IN = reverse("accounts:sign_in")
CODE = reverse("accounts:sign_in_code")
SET_UP = reverse("accounts:sign_in_set_up")


def code_for(device, at=None):
    """The code an authenticator app would show, worked out independently with pyotp."""
    return pyotp.TOTP(b32encode(device.bin_key).decode()).at(at if at is not None else time.time())


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def sign_in(client, username="sam.staff", password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


@pytest.fixture
def mfa_required(settings):
    settings.WAYPOINT_MFA_REQUIRED = True


@pytest.fixture
def staff(team):
    return UserFactory(username="sam.staff", team=team)


@pytest.fixture
def enrolled(staff):
    """sam.staff with a confirmed authenticator app (set up a minute ago) and recovery codes."""
    with time_machine.travel(time.time() - 60, tick=False):
        device = start_totp_enrolment(staff)
        codes = confirm_totp_enrolment(staff, device, code_for(device))
    device.refresh_from_db()
    return device, codes


@pytest.mark.django_db
class TestEnrolmentAtFirstSignIn:
    def test_the_password_alone_does_not_sign_in(self, client, staff, mfa_required):
        response = sign_in(client)
        assert response.status_code == 302
        assert response["Location"] == SET_UP
        assert signed_in_user_id(client) is None
        # Nothing behind sign-in is reachable while the sign-in is pending.
        assert client.get(reverse("patients:search")).status_code == 302

    def test_the_password_step_gives_a_new_session_key(self, client, staff, mfa_required):
        client.get(SIGN_IN)
        session = client.session
        session["chosen_before"] = "fixed"
        session.save()
        before = client.session.session_key
        sign_in(client)
        assert client.session.session_key != before

    def test_set_up_page_shows_a_qr_code_and_the_key_typed_out(self, client, staff, mfa_required):
        sign_in(client)
        response = client.get(SET_UP)
        body = response.content.decode()
        assert response.status_code == 200
        assert 'src="data:image/svg+xml;base64,' in body
        assert 'alt="QR code to add Waypoint to your authenticator app"' in body
        device = TOTPDevice.objects.get(user=staff)
        assert not device.confirmed
        secret = b32encode(device.bin_key).decode().rstrip("=")
        assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in body
        # Reloading shows the same key, not a new one.
        client.get(SET_UP)
        assert list(TOTPDevice.objects.filter(user=staff)) == [device]

    def test_a_wrong_code_is_refused(self, client, staff, mfa_required):
        sign_in(client)
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=staff)
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = client.post(SET_UP, {"code": wrong})
        assert response.status_code == 200
        assert "The code is not right" in response.content.decode()
        assert signed_in_user_id(client) is None
        device.refresh_from_db()
        assert not device.confirmed

    def test_a_second_try_straight_after_a_wrong_code_is_asked_to_wait(self, client, staff, mfa_required):
        with time_machine.travel(time.time(), tick=False):
            sign_in(client)
            client.get(SET_UP)
            device = TOTPDevice.objects.get(user=staff)
            wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
            client.post(SET_UP, {"code": wrong})
            response = client.post(SET_UP, {"code": code_for(device)})
        assert "Wait 1 second" in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed

    def test_an_empty_code_says_so(self, client, staff, mfa_required):
        sign_in(client)
        response = client.post(SET_UP, {"code": ""})
        assert "Enter the code" in response.content.decode()

    def test_the_right_code_signs_in_and_shows_recovery_codes_once(self, client, staff, mfa_required):
        sign_in(client, next="/referrals/")
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=staff)
        response = client.post(SET_UP, {"code": code_for(device)})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Save your recovery codes" in body
        tokens = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
        assert len(tokens) == 10
        assert all(token in body for token in tokens)
        assert 'href="/referrals/"' in body
        assert signed_in_user_id(client) == str(staff.pk)
        assert client.session[SESSION_MFA_VERIFIED] is True
        device.refresh_from_db()
        assert device.confirmed
        assert AuditEvent.objects.filter(user=staff, record_type="mfa_device", action="create").count() == 1
        assert client.get(reverse("patients:search")).status_code == 200
        # The codes are never shown again: the set-up page is gone once signed in.
        again = client.get(SET_UP)
        assert again.status_code == 302
        assert tokens[0] not in client.get(reverse("patients:search")).content.decode()


@pytest.mark.django_db
class TestCodeAtSignIn:
    def test_asks_for_a_code_and_accepts_the_right_one(self, client, enrolled, mfa_required):
        device, _ = enrolled
        response = sign_in(client, next="/duty/")
        assert response["Location"] == CODE
        assert signed_in_user_id(client) is None
        assert "Enter the code from your authenticator app" in client.get(CODE).content.decode()
        response = client.post(CODE, {"code": code_for(device)})
        assert response.status_code == 302
        assert response["Location"] == "/duty/"
        assert signed_in_user_id(client) == str(device.user_id)
        assert client.session[SESSION_MFA_VERIFIED] is True

    def test_a_code_typed_with_spaces_is_accepted(self, client, enrolled, mfa_required):
        device, _ = enrolled
        sign_in(client)
        code = code_for(device)
        response = client.post(CODE, {"code": f" {code[:3]} {code[3:]} "})
        assert response.status_code == 302
        assert signed_in_user_id(client) == str(device.user_id)

    def test_a_code_cannot_be_used_twice(self, client, enrolled, mfa_required):
        device, _ = enrolled
        sign_in(client)
        code = code_for(device)
        client.post(CODE, {"code": code})
        client.post(reverse("accounts:sign_out"))
        sign_in(client)
        response = client.post(CODE, {"code": code})
        assert response.status_code == 200
        assert signed_in_user_id(client) is None

    def test_a_wrong_code_is_refused(self, client, enrolled, mfa_required):
        sign_in(client)
        response = client.post(CODE, {"code": "000000x"})
        assert response.status_code == 200
        assert "The code is not right" in response.content.decode()
        assert signed_in_user_id(client) is None

    def test_asked_even_where_mfa_is_not_required_once_set_up(self, client, enrolled, settings):
        settings.WAYPOINT_MFA_REQUIRED = False
        assert sign_in(client)["Location"] == CODE
        assert signed_in_user_id(client) is None

    def test_a_recovery_code_works_once(self, client, enrolled, mfa_required):
        device, codes = enrolled
        sign_in(client)
        response = client.post(CODE, {"code": codes[0].upper()}, follow=True)
        assert signed_in_user_id(client) == str(device.user_id)
        assert "You used a recovery code. You have 9 left." in response.content.decode()
        assert AuditEvent.objects.filter(record_type="mfa_recovery_code").count() == 1
        client.post(reverse("accounts:sign_out"))
        sign_in(client)
        response = client.post(CODE, {"code": codes[0]})
        assert response.status_code == 200
        assert signed_in_user_id(client) is None

    def test_wrong_codes_count_towards_the_lockout(self, client, enrolled, mfa_required, settings):
        device, _ = enrolled
        start = time.time()
        sign_in(client)
        # Half a minute between tries, so django-otp's wait after a wrong code has passed.
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            with time_machine.travel(start + 30 * attempt, tick=False):
                assert client.post(CODE, {"code": "111111"}).status_code == 200
        with time_machine.travel(start + 30 * settings.AXES_FAILURE_LIMIT, tick=False):
            locked = client.post(CODE, {"code": "111111"})
            assert locked.status_code == 429
            assert "locked" in locked.content.decode()
            # Locked: neither the code page nor the password lets them in now.
            assert client.post(CODE, {"code": code_for(device)}).status_code == 302
            assert signed_in_user_id(client) is None
            assert sign_in(client).status_code == 429

    def test_a_right_password_does_not_reset_the_failure_count(
        self, client, enrolled, mfa_required, settings
    ):
        """Only a completed sign-in resets the count, so knowing the password does not help
        someone guessing codes."""
        start = time.time()
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            with time_machine.travel(start + 30 * attempt, tick=False):
                sign_in(client)
                response = client.post(CODE, {"code": "111111"})
        assert response.status_code == 429

    def test_a_second_try_straight_after_a_wrong_code_is_asked_to_wait(self, client, enrolled, mfa_required):
        device, _ = enrolled
        with time_machine.travel(time.time(), tick=False):
            sign_in(client)
            client.post(CODE, {"code": "111111"})
            response = client.post(CODE, {"code": code_for(device)})
        assert response.status_code == 200
        assert "Wait 1 second, then enter the code the app shows" in response.content.decode()
        assert signed_in_user_id(client) is None


@pytest.mark.django_db
class TestStepsCannotBeSkipped:
    def test_code_page_without_a_password_first(self, client, enrolled):
        response = client.get(CODE, follow=True)
        assert response.redirect_chain[-1][0] == SIGN_IN
        assert "Sign in again" in response.content.decode()

    def test_set_up_page_without_a_password_first(self, client, staff, mfa_required):
        assert client.get(SET_UP)["Location"] == SIGN_IN

    def test_the_wrong_step_sends_you_to_the_right_one(self, client, enrolled, mfa_required):
        sign_in(client)
        assert client.get(SET_UP)["Location"] == CODE
        assert client.get(reverse("accounts:sign_in_new_password"))["Location"] == CODE

    def test_a_pending_sign_in_runs_out(self, client, enrolled, mfa_required, settings):
        device, _ = enrolled
        sign_in(client)
        later = time.time() + settings.WAYPOINT_SIGN_IN_STEP_MINUTES * 60 + 5
        with time_machine.travel(later, tick=False):
            response = client.post(CODE, {"code": code_for(device)})
        assert response["Location"] == SIGN_IN
        assert signed_in_user_id(client) is None

    def test_a_pending_sign_in_ends_when_the_account_is_disabled(self, client, enrolled, mfa_required):
        device, _ = enrolled
        sign_in(client)
        device.user.is_active = False
        device.user.save()
        assert client.post(CODE, {"code": code_for(device)})["Location"] == SIGN_IN
        assert signed_in_user_id(client) is None

    def test_a_session_signed_in_without_a_code_is_ended_where_mfa_is_required(
        self, client, staff, mfa_required
    ):
        client.force_login(staff)  # as if signed in some other way, e.g. the admin's own form
        response = client.get(reverse("patients:search"))
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)
        assert signed_in_user_id(client) is None

    def test_the_admin_sign_in_form_is_not_used(self, client, staff):
        response = client.get("/admin/login/?next=/admin/accounts/team/")
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next=%2Fadmin%2Faccounts%2Fteam%2F"
        # A password posted to it signs nobody in.
        client.post("/admin/login/", {"username": "sam.staff", "password": PASSWORD})
        assert signed_in_user_id(client) is None

    def test_the_admin_needs_waypoint_sign_in(self, client):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next=%2Fadmin%2F"

    def test_code_comes_before_a_new_password(self, client, enrolled, mfa_required):
        device, _ = enrolled
        device.user.must_change_password = True
        device.user.save()
        assert sign_in(client)["Location"] == CODE
        response = client.post(CODE, {"code": code_for(device)})
        assert response["Location"] == reverse("accounts:sign_in_new_password")
        assert signed_in_user_id(client) is None
        new = "a-new-long-pass-phrase"
        response = client.post(
            reverse("accounts:sign_in_new_password"), {"new_password1": new, "new_password2": new}
        )
        assert response["Location"] == "/"
        assert signed_in_user_id(client) == str(device.user_id)
        assert client.session[SESSION_MFA_VERIFIED] is True

    def test_a_new_password_comes_before_setting_up(self, client, staff, mfa_required):
        staff.must_change_password = True
        staff.save()
        assert sign_in(client)["Location"] == reverse("accounts:sign_in_new_password")
        new = "a-new-long-pass-phrase"
        response = client.post(
            reverse("accounts:sign_in_new_password"), {"new_password1": new, "new_password2": new}
        )
        assert response["Location"] == SET_UP
        assert signed_in_user_id(client) is None


@pytest.mark.django_db
class TestBanner:
    def test_every_page_says_when_mfa_is_off(self, client, staff):
        assert "Multi-factor sign-in is off in this demo" in client.get(SIGN_IN).content.decode()
        client.force_login(staff)
        assert (
            "Multi-factor sign-in is off in this demo"
            in client.get(reverse("patients:search")).content.decode()
        )

    def test_no_banner_where_mfa_is_required(self, client, mfa_required):
        assert "Multi-factor sign-in is off" not in client.get(SIGN_IN).content.decode()
