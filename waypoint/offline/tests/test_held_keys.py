"""Held keys: a worker's earlier offline keys, handed back to that worker alone, so that what they
recorded on a phone and had not sent survives the browser closing (device.py, docs/offline.md).

A "new browser session" here is a new test client signed in as the worker: the old session is
left on the server, as it is when a phone's browser is closed (nobody signs it out)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.services import end_sessions
from waypoint.offline import device
from waypoint.offline.models import HeldKey

pytestmark = pytest.mark.django_db

DAY = reverse("offline:visit_day")


def _device(response) -> dict:
    html = response.content.decode()
    marker = '<script type="application/json" id="visit-day-data">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])["device"]


def _browser(user) -> Client:
    """A browser session of its own, signed in as `user`."""
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session["waypoint_session_generation"] = user.session_generation  # as signing in records it
    session.save()
    return browser


def test_the_same_worker_gets_their_earlier_key_back_in_a_new_browser_session(coordinator, visit):
    first = _device(_browser(coordinator).get(DAY))
    assert first["held"] == []  # nothing earlier
    second = _device(_browser(coordinator).get(DAY))
    assert second["key_id"] != first["key_id"]
    assert second["held"] == [
        {"key_id": first["key_id"], "key": first["key"], "expires_at": first["expires_at"]}
    ]
    # the current key is never in its own list, and a reload holds nothing twice
    again = _browser(coordinator)
    third = _device(again.get(DAY))
    assert {k["key_id"] for k in third["held"]} == {first["key_id"], second["key_id"]}
    assert _device(again.get(DAY))["held"] == third["held"]
    assert HeldKey.objects.filter(user=coordinator).count() == 3


def test_another_user_never_gets_the_workers_keys(coordinator, team, visit):
    colleague = make_staff(team=team, username="cc.colleague")
    first = _device(_browser(coordinator).get(DAY))
    response = _browser(colleague).get(DAY)
    assert _device(response)["held"] == []
    assert first["key"] not in response.content.decode()
    assert first["key_id"] not in response.content.decode()
    # and the colleague's own key is not handed to the worker either
    colleagues = _device(response)
    mine = _device(_browser(coordinator).get(DAY))
    assert [k["key_id"] for k in mine["held"]] == [first["key_id"]]
    assert colleagues["key"] not in json.dumps(mine)


def test_signing_out_drops_every_key_held_for_the_worker(coordinator, team, visit):
    colleague = make_staff(team=team, username="cc.colleague")
    _device(_browser(colleague).get(DAY))
    _device(_browser(coordinator).get(DAY))  # a phone whose browser was closed
    browser = _browser(coordinator)
    _device(browser.get(DAY))
    assert HeldKey.objects.filter(user=coordinator).count() == 2

    signed_out = browser.post(reverse("accounts:sign_out"))
    assert signed_out.status_code == 200 and signed_out["Clear-Site-Data"] == '"storage"'
    assert not HeldKey.objects.filter(user=coordinator).exists()
    assert HeldKey.objects.filter(user=colleague).count() == 1  # nobody else's
    assert _device(_browser(coordinator).get(DAY))["held"] == []


def test_the_idle_timeout_does_not_drop_them(coordinator, visit, settings):
    """Signed out by Waypoint (30 minutes idle) while the phone had no signal: the worker signs in
    again and must get the key back, so what they recorded can still be sent."""
    browser = _browser(coordinator)
    first = _device(browser.get(DAY))
    session = browser.session
    session["waypoint_last_seen_at"] -= settings.WAYPOINT_IDLE_TIMEOUT_MINUTES * 60 + 5
    session.save()
    timed_out = browser.get(DAY)
    assert timed_out.status_code == 302 and timed_out["Location"].startswith(reverse("accounts:sign_in"))
    assert [k["key_id"] for k in _device(_browser(coordinator).get(DAY))["held"]] == [first["key_id"]]


def test_an_expired_key_is_not_handed_back_and_is_deleted(coordinator, visit, fixed_moment, settings):
    first = _device(_browser(coordinator).get(DAY))
    fixed_moment.shift(timedelta(hours=settings.WAYPOINT_SESSION_MAX_HOURS, seconds=1))
    later = _device(_browser(coordinator).get(DAY))
    assert later["held"] == []
    assert not HeldKey.objects.filter(key_id=first["key_id"]).exists()  # tidied when the next was held


def test_a_key_just_before_its_expiry_is_still_handed_back(coordinator, visit, fixed_moment, settings):
    first = _device(_browser(coordinator).get(DAY))
    fixed_moment.shift(timedelta(hours=settings.WAYPOINT_SESSION_MAX_HOURS) - timedelta(minutes=5))
    assert [k["key_id"] for k in _device(_browser(coordinator).get(DAY))["held"]] == [first["key_id"]]


def test_ended_sessions_stop_the_keys_being_handed_back(coordinator, privacy_officer, visit):
    """A manager ends the worker's sessions (a lost phone): the held keys are not handed out again,
    even to the worker."""
    _device(_browser(coordinator).get(DAY))
    end_sessions(coordinator, by=privacy_officer)
    coordinator.refresh_from_db()
    assert _device(_browser(coordinator).get(DAY))["held"] == []


def test_held_keys_directly(coordinator, outsider):
    key = {"id": "a1b2c3d4e5f60708", "key": "k" * 43, "expires_at": 4_102_444_800_000}  # 2100
    device.hold(coordinator, key)
    device.hold(coordinator, key)  # once only
    assert HeldKey.objects.count() == 1
    assert device.held_keys(coordinator, "another") == [
        {"key_id": key["id"], "key": key["key"], "expires_at": key["expires_at"]}
    ]
    assert device.held_keys(coordinator, key["id"]) == []  # not the current one
    assert device.held_keys(outsider, "another") == []
    assert device.drop_held_keys(outsider) == 0
    assert device.drop_held_keys(coordinator) == 1


def test_signing_in_ends_the_last_sessions_marker_cookie(client, coordinator):
    """Whoever signs in next on this browser cannot use the key of the session before: the phone
    then needs Waypoint to hand the key back, which it does only for the same worker."""
    client.cookies[device.MARKER_COOKIE] = "a1b2c3d4e5f60708"
    response = client.post(
        reverse("accounts:sign_in") + "?next=/visits/",
        {"username": coordinator.username, "password": "test-password-123"},
    )
    assert response.status_code == 302 and response["Location"] == "/visits/"
    cookie = response.cookies[device.MARKER_COOKIE]
    assert cookie.value == "" and cookie["path"] == device.MARKER_PATH
