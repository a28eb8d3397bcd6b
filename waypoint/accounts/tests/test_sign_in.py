"""Signing in and out: the form, session fixation, lockout, redirects and no caching."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from waypoint.accounts.factories import UserFactory
from waypoint.accounts.middleware import SESSION_LAST_SEEN_AT, SESSION_SIGNED_IN_AT

PASSWORD = "test-password-123"
SIGN_IN = reverse("accounts:sign_in")
SIGN_OUT = reverse("accounts:sign_out")


@pytest.fixture
def staff(team):
    return UserFactory(username="sam.staff", team=team)


def sign_in(client, username, password, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def next_param(response):
    return parse_qs(urlsplit(response["Location"]).query).get("next")


@pytest.mark.django_db
class TestSignInPage:
    def test_get_shows_the_form(self, client):
        response = client.get(SIGN_IN)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Sign in" in body
        assert 'name="username"' in body
        assert 'name="password"' in body
        assert 'type="password"' in body

    def test_signed_in_user_is_sent_on(self, client, staff):
        client.force_login(staff)
        response = client.get(SIGN_IN)
        assert response.status_code == 302
        assert response["Location"] == reverse("patients:search")


@pytest.mark.django_db
class TestGoodCredentials:
    def test_redirects_and_signs_in(self, client, staff):
        response = sign_in(client, "sam.staff", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert signed_in_user_id(client) == str(staff.pk)
        page = client.get(reverse("patients:search"))
        assert page.status_code == 200

    def test_sets_the_session_timestamps(self, client, staff):
        sign_in(client, "sam.staff", PASSWORD)
        session = client.session
        assert session[SESSION_SIGNED_IN_AT] == session[SESSION_LAST_SEEN_AT]
        assert isinstance(session[SESSION_SIGNED_IN_AT], float)

    def test_session_key_changes_on_sign_in(self, client, staff):
        session = client.session
        session["chosen_before_sign_in"] = "fixed"
        session.save()
        key_before = client.session.session_key
        assert key_before is not None
        sign_in(client, "sam.staff", PASSWORD)
        key_after = client.session.session_key
        assert key_after != key_before
        assert signed_in_user_id(client) == str(staff.pk)
        # The old key no longer works: the session store has no such session.
        assert not client.session.exists(key_before)

    def test_next_on_the_same_site_is_followed(self, client, staff):
        response = sign_in(client, "sam.staff", PASSWORD, next="/referrals/")
        assert response.status_code == 302
        assert response["Location"] == "/referrals/"

    def test_next_in_the_query_string_is_followed(self, client, staff):
        response = client.post(f"{SIGN_IN}?next=/duty/", {"username": "sam.staff", "password": PASSWORD})
        assert response["Location"] == "/duty/"

    def test_next_is_kept_in_the_form(self, client):
        response = client.get(SIGN_IN, {"next": "/referrals/"})
        assert 'name="next" value="/referrals/"' in response.content.decode()

    @pytest.mark.parametrize(
        "next_url",
        [
            "https://evil.example.com/",
            "http://evil.example.com/people/",
            "//evil.example.com/",
            "///evil.example.com/",
            "https:evil.example.com",
            "javascript:alert(1)",
            "\\\\evil.example.com",
        ],
    )
    def test_next_to_another_host_is_ignored(self, client, staff, next_url):
        response = sign_in(client, "sam.staff", PASSWORD, next=next_url)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert signed_in_user_id(client) == str(staff.pk)

    def test_external_next_is_not_echoed_into_the_form(self, client):
        response = client.get(SIGN_IN, {"next": "https://evil.example.com/"})
        assert "evil.example.com" not in response.content.decode()

    def test_sign_in_without_the_csrf_token_is_refused(self, staff):
        csrf_client = Client(enforce_csrf_checks=True)
        response = sign_in(csrf_client, "sam.staff", PASSWORD)
        assert response.status_code == 403
        assert signed_in_user_id(csrf_client) is None

    def test_inactive_user_cannot_sign_in(self, client, team):
        UserFactory(username="gone", is_active=False, team=team)
        response = sign_in(client, "gone", PASSWORD)
        assert response.status_code == 200
        assert signed_in_user_id(client) is None

    def test_unusable_password_cannot_sign_in(self, client, team):
        user = UserFactory(username="nopass", team=team)
        user.set_unusable_password()
        user.save()
        response = sign_in(client, "nopass", "")
        assert response.status_code == 200
        assert signed_in_user_id(client) is None


@pytest.mark.django_db
class TestBadCredentials:
    def test_wrong_password_shows_error_and_keeps_the_username(self, client, staff):
        response = sign_in(client, "sam.staff", "wrong-password-000")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Enter a correct username and password" in body
        assert 'value="sam.staff"' in body
        assert signed_in_user_id(client) is None

    def test_the_password_typed_is_never_sent_back(self, client, staff):
        response = sign_in(client, "sam.staff", "wrong-password-000")
        assert "wrong-password-000" not in response.content.decode()

    def test_unknown_username_shows_the_same_error(self, client, staff):
        response = sign_in(client, "nobody.here", PASSWORD)
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
        assert signed_in_user_id(client) is None

    def test_username_is_case_sensitive(self, client, staff):
        response = sign_in(client, "SAM.STAFF", PASSWORD)
        assert "Enter a correct username and password" in response.content.decode()
        assert signed_in_user_id(client) is None

    def test_empty_fields_show_both_messages(self, client):
        response = sign_in(client, "", "")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Enter your username" in body
        assert "Enter your password" in body
        assert "There is a problem" in body

    def test_empty_password_only(self, client, staff):
        response = sign_in(client, "sam.staff", "")
        body = response.content.decode()
        assert "Enter your password" in body
        assert "Enter your username" not in body
        assert 'value="sam.staff"' in body

    def test_empty_username_only(self, client, staff):
        response = sign_in(client, "", PASSWORD)
        body = response.content.decode()
        assert "Enter your username" in body
        assert "Enter your password" not in body


@pytest.mark.django_db
class TestLockout:
    def fail(self, client, times, username="sam.staff"):
        return [sign_in(client, username, f"wrong-{n}").status_code for n in range(times)]

    def test_limit_is_five_by_default(self):
        assert settings.AXES_FAILURE_LIMIT == 5

    def test_locked_after_the_failure_limit_even_with_the_right_password(self, client, staff):
        limit = settings.AXES_FAILURE_LIMIT
        statuses = self.fail(client, limit - 1)
        assert statuses == [200] * (limit - 1)
        self.fail(client, 1)  # the limit-th failure
        response = sign_in(client, "sam.staff", PASSWORD)
        assert response.status_code == 429
        body = response.content.decode()
        assert "locked" in body
        assert "15 minutes" in body
        assert signed_in_user_id(client) is None
        assert response["Cache-Control"] == "no-store"

    def test_fewer_failures_than_the_limit_still_lets_you_in(self, client, staff):
        self.fail(client, settings.AXES_FAILURE_LIMIT - 1)
        response = sign_in(client, "sam.staff", PASSWORD)
        assert response.status_code == 302
        assert signed_in_user_id(client) == str(staff.pk)

    def test_success_resets_the_count(self, client, staff):
        limit = settings.AXES_FAILURE_LIMIT
        self.fail(client, limit - 1)
        assert sign_in(client, "sam.staff", PASSWORD).status_code == 302
        client.post(SIGN_OUT)
        self.fail(client, limit - 1)
        assert sign_in(client, "sam.staff", PASSWORD).status_code == 302

    def test_lockout_is_per_username(self, client, staff, team):
        UserFactory(username="other.staff", team=team)
        self.fail(client, settings.AXES_FAILURE_LIMIT)
        assert sign_in(client, "sam.staff", PASSWORD).status_code == 429
        response = sign_in(client, "other.staff", PASSWORD)
        assert response.status_code == 302

    def test_lockout_page_states_the_cool_off(self, client, staff, settings):
        settings.AXES_COOLOFF_TIME = timedelta(minutes=90)
        self.fail(client, settings.AXES_FAILURE_LIMIT)
        assert "Wait 90 minutes" in sign_in(client, "sam.staff", PASSWORD).content.decode()

    def test_lockout_page_with_a_cool_off_of_a_day(self, client, staff, settings):
        settings.AXES_COOLOFF_TIME = timedelta(days=1)
        self.fail(client, settings.AXES_FAILURE_LIMIT)
        body = sign_in(client, "sam.staff", PASSWORD).content.decode()
        assert "Wait 0 minutes" not in body
        assert "1440 minutes" in body or "24 hours" in body or "1 day" in body

    def test_limit_follows_the_setting(self, client, staff, settings):
        settings.AXES_FAILURE_LIMIT = 2
        self.fail(client, 2)
        assert sign_in(client, "sam.staff", PASSWORD).status_code == 429


@pytest.mark.django_db
class TestSignInRequired:
    @pytest.mark.parametrize(
        "name", ["patients:search", "patients:register", "referrals:waiting_list", "duty:board", "home"]
    )
    def test_anonymous_users_are_sent_to_sign_in_with_next(self, client, name):
        path = reverse(name)
        response = client.get(path)
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == SIGN_IN
        assert next_param(response) == [path]

    def test_unknown_pages_also_need_sign_in(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 302
        assert next_param(response) == ["/no-such-page/"]

    def test_post_also_needs_sign_in(self, client):
        response = client.post(reverse("patients:register"), {})
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == SIGN_IN

    def test_public_paths_do_not(self, client):
        assert client.get(SIGN_IN).status_code == 200
        assert client.get(reverse("health")).status_code == 200

    def test_signing_in_returns_to_the_page_asked_for(self, client, staff):
        path = reverse("patients:register")
        redirect = client.get(path)
        response = client.post(
            redirect["Location"], {"username": "sam.staff", "password": PASSWORD, "next": path}
        )
        assert response["Location"] == path

    def test_next_keeps_the_query_string(self, client):
        path = reverse("patients:search")
        response = client.get(path, {"q": "Smith"})
        assert next_param(response) == [f"{path}?q=Smith"]


@pytest.mark.django_db
class TestSignOut:
    def test_get_is_refused(self, client, staff):
        client.force_login(staff)
        response = client.get(SIGN_OUT)
        assert response.status_code == 405
        assert signed_in_user_id(client) == str(staff.pk)

    def test_post_ends_the_session(self, client, staff):
        sign_in(client, "sam.staff", PASSWORD)
        key_before = client.session.session_key
        response = client.post(SIGN_OUT)
        assert response.status_code == 200
        assert "You have signed out" in response.content.decode()
        assert signed_in_user_id(client) is None
        assert not client.session.exists(key_before)
        after = client.get(reverse("patients:search"))
        assert after.status_code == 302
        assert urlsplit(after["Location"]).path == SIGN_IN


@pytest.mark.django_db
class TestNoStore:
    def assert_no_store(self, response):
        assert response["Cache-Control"] == "no-store", response.status_code
        assert response["Pragma"] == "no-cache"

    def test_sign_in_page(self, client):
        self.assert_no_store(client.get(SIGN_IN))

    def test_failed_and_successful_sign_in(self, client, staff):
        self.assert_no_store(sign_in(client, "sam.staff", "wrong"))
        self.assert_no_store(sign_in(client, "sam.staff", PASSWORD))

    def test_signed_in_pages_and_sign_out(self, client, staff):
        client.force_login(staff)
        self.assert_no_store(client.get(reverse("patients:search")))
        self.assert_no_store(client.get(SIGN_IN))  # redirect for someone already signed in
        self.assert_no_store(client.get(SIGN_OUT))  # 405
        self.assert_no_store(client.get("/no-such-page/"))  # 404
        self.assert_no_store(client.post(SIGN_OUT))

    def test_health_check(self, client):
        self.assert_no_store(client.get(reverse("health")))

    def test_redirect_to_sign_in(self, client):
        self.assert_no_store(client.get(reverse("patients:search")))
