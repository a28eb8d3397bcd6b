"""Refused access shows Waypoint's own page in the demo (DEBUG on) as in production (issue 18, item 4)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_record_without_a_relationship_shows_waypoints_own_page(outsider_client, person, settings, debug):
    settings.DEBUG = debug
    for url in (reverse("patients:detail", args=[person.pk]), "/no-such-page/"):
        response = outsider_client.get(url, HTTP_REFERER="http://testserver/people/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "Page not found" in page and "Waypoint" in page
        assert "URLconf" not in page and "Using the URLconf" not in page  # not Django's debug page
        assert reverse("patients:trace") in page  # the way to emergency access
        assert "Go back" in page
