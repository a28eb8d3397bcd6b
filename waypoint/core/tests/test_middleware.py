"""NUL characters never reach a view: PostgreSQL cannot store or compare text holding one."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from waypoint.core.middleware import StripNulMiddleware


def _seen(request):
    return HttpResponse(repr((dict(request.GET.lists()), dict(request.POST.lists()))))


def test_nul_is_removed_from_query_strings_and_forms():
    middleware = StripNulMiddleware(_seen)
    body = middleware(RequestFactory().post("/x/?q=a%00b&q=c", {"name\x00": "Al\x00ex", "n": ["1", "2"]}))
    assert body.content.decode() == repr(({"q": ["ab", "c"]}, {"name": ["Alex"], "n": ["1", "2"]}))


@pytest.mark.django_db
def test_searches_with_a_nul_byte_are_not_a_server_error(client, coordinator, privacy_officer):
    client.force_login(coordinator)
    assert client.get(reverse("patients:search"), {"q": "a\x00"}).status_code == 200
    client.force_login(privacy_officer)
    assert client.get(reverse("audit:find_person"), {"q": "a\x00"}).status_code == 200
