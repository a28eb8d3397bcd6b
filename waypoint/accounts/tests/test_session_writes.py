"""A page view does not write the session (a database row with the default engine) on every request.

The idle clock is moved on at most once a minute (WAYPOINT_SESSION_TOUCH_SECONDS), so the idle
timeout is still measured, to within a minute, and signing out everywhere still works (the session
generation is read on every request; see test_sessions_ended.py).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waypoint.accounts.middleware import SESSION_LAST_SEEN_AT

PASSWORD = "test-password-123"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, coordinator, clock):
    response = client.post(
        reverse("accounts:sign_in"), {"username": coordinator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.mark.django_db
class TestSessionWrites:
    def test_saving_on_every_request_is_off(self):
        assert settings.SESSION_SAVE_EVERY_REQUEST is False

    def test_pages_within_a_minute_write_no_session(self, signed_in, clock):
        url = reverse("patients:search")
        signed_in.get(url)
        for _ in range(3):
            clock.shift(timedelta(seconds=10))
            assert session_writes(signed_in, url) == []

    def test_the_idle_clock_moves_on_after_a_minute(self, signed_in, clock):
        url = reverse("patients:search")
        clock.shift(timedelta(seconds=59))
        assert session_writes(signed_in, url) == []
        assert signed_in.session[SESSION_LAST_SEEN_AT] == START.timestamp()
        clock.shift(timedelta(seconds=2))
        assert len(session_writes(signed_in, url)) == 1
        assert signed_in.session[SESSION_LAST_SEEN_AT] == START.timestamp() + 61
