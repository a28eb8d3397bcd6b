"""Multi-factor sign-in where it is required: set up an authenticator app, then sign in with a code.

The codes are worked out in the test with pyotp from the key the page types out, as an
authenticator app would."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, check, sign_in, sign_out
from waypoint.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mfa_required(settings):
    settings.WAYPOINT_MFA_REQUIRED = True
    # No wait after a wrong code (django-otp's throttling), so the test never depends on how fast
    # the browser types; the wait itself is tested in waypoint/accounts/tests/test_mfa.py.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_set_up_an_authenticator_app_then_sign_in_with_a_code(page, coordinator, mfa_required):
    sign_in(page, "cc.north")
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    expect(page.get_by_text("Multi-factor sign-in is off")).to_have_count(0)
    expect(page.get_by_role("img", name="QR code to add Waypoint to your authenticator app")).to_be_visible()
    check(page, "set-up")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code from your authenticator app").fill(
        "000000" if totp.now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    check(page, "set-up-wrong-code")

    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    check(page, "recovery-codes")
    page.get_by_role("button", name="I have saved my recovery codes – continue").click()
    page.get_by_role("heading", name="My caseload").wait_for()
    expect(page.get_by_role("banner")).to_contain_text("Casey Coordinator – North CMHT")
    sign_out(page)

    sign_in(page, "cc.north")
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    check(page, "code")
    # The code of the next 30-second step: the one used to set up may not be used again.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="My caseload").wait_for()
    check(page, "signed-in-with-code")
    assert User.objects.get(username="cc.north").totpdevice_set.filter(confirmed=True).count() == 1


def test_an_initial_password_is_changed_at_first_sign_in(page, coordinator):
    coordinator.must_change_password = True
    coordinator.save()
    sign_in(page, "cc.north")
    page.get_by_role("heading", name="Choose a new password").wait_for()
    expect(page.get_by_text("Multi-factor sign-in is off in this demo")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("alert")).to_contain_text("too short")
    check(page, "new-password-error")
    page.get_by_label("New password", exact=True).fill("a fresh pass phrase")
    page.get_by_label("Type the new password again").fill("a fresh pass phrase")
    page.get_by_role("button", name="Save new password").click()
    page.get_by_role("heading", name="My caseload").wait_for()
    page.get_by_role("link", name="Change password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    check(page, "change-password")
    page.get_by_label("Current password").fill("a fresh pass phrase")
    page.get_by_label("New password", exact=True).fill(PASSWORD + "-again")
    page.get_by_label("Type the new password again").fill(PASSWORD + "-again")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
