"""The synthetic Trust at two sizes: caseloads stay realistic, and each daily page makes the same
number of queries whatever the size of the Trust (issue 19). benchmarks/run_all.py times them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import Team, User
from waypoint.demo.synthetic_staff import CASELOAD, coordinators_needed
from waypoint.episodes.models import Allocation, AllocationKind

SMALL, LARGE = 80, 400


def caseload_of(username):
    return (
        Allocation.objects.current(timezone.now())
        .filter(worker__username=username, kind=AllocationKind.CARE_COORDINATOR)
        .count()
    )


def coordinator_person():
    """A person on the demo coordinator's caseload (the same person at both sizes)."""
    allocation = (
        Allocation.objects.current(timezone.now())
        .filter(worker__username="coordinator", kind=AllocationKind.CARE_COORDINATOR)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return allocation.person


def page_queries(client, person):
    pages = {
        "search by NHS number": reverse("patients:search") + f"?q={person.nhs_number}",
        "search by name": reverse("patients:search") + f"?q={person.family_name}",
        "search by date of birth": reverse("patients:search") + f"?q={person.date_of_birth:%d/%m/%Y}",
        "record overview": reverse("patients:detail", args=[person.pk]),
        "my caseload": reverse("worklist:my_caseload"),
    }
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries.captured_queries)
    return counts


def test_coordinators_needed_keeps_about_30_each():
    assert coordinators_needed(1) == 1
    assert coordinators_needed(250_000 * 70 // 100) == 3209
    assert 250_000 * 0.7 * 0.55 / coordinators_needed(250_000 * 70 // 100) <= CASELOAD


@pytest.mark.django_db
def test_daily_pages_make_the_same_queries_at_two_sizes(client):
    call_command("build_demo_trust", size=SMALL, verbosity=0)
    client.force_login(User.objects.get(username="coordinator"))
    person = coordinator_person()
    client.get(reverse("patients:search"))  # the first request saves the session's sign-in times
    small = page_queries(client, person)

    call_command("build_demo_trust", size=LARGE - SMALL, verbosity=0)
    assert coordinator_person() == person
    large = page_queries(client, person)
    # A worklist provider skips its read when the caseload has nothing of its kind, so a count may
    # fall as the Trust grows; it never grows.
    assert all(large[name] <= small[name] for name in small), (small, large)


def manager_page_queries(client):
    """The team manager's pages (issue 19: they grew with the team)."""
    counts = {}
    for name, url in {
        "team worklist": reverse("worklist:team"),
        "team worklist, page 2": reverse("worklist:team") + "?page=2",
        "waiting list": reverse("referrals:waiting_list"),
        "waiting list, page 2": reverse("referrals:waiting_list") + "?page=2",
    }.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries.captured_queries)
    return counts


@pytest.mark.django_db
def test_the_team_worklist_and_waiting_list_make_the_same_queries_at_two_sizes(client, monkeypatch):
    """Both page their rows, so a bigger team costs no more queries (small pages here, so that
    both sizes have a second page)."""
    from waypoint.referrals import views as referral_views
    from waypoint.worklist import views as worklist_views

    monkeypatch.setattr(worklist_views, "TEAM_PAGE_SIZE", 2)
    monkeypatch.setattr(referral_views, "WAITING_LIST_PAGE_SIZE", 3)
    call_command("build_demo_trust", size=SMALL, verbosity=0)
    client.force_login(User.objects.get(username="manager"))
    client.get(reverse("worklist:team"))  # the first request saves the session's sign-in times
    small = manager_page_queries(client)

    call_command("build_demo_trust", size=LARGE - SMALL, verbosity=0)
    large = manager_page_queries(client)
    # Not always equal: a worklist provider skips its read when the page's people have nothing of
    # its kind, so a page's count depends on who is on it. It never grows with the team.
    assert all(large[name] <= small[name] for name in small), (small, large)
    page = client.get(reverse("worklist:team")).content.decode()
    assert "Showing 1 to 2 of" in page and "caseloads (page 1 of" in page


@pytest.mark.django_db
def test_the_demo_coordinator_keeps_a_realistic_caseload_as_the_trust_grows():
    call_command("build_demo_trust", size=LARGE, verbosity=0)
    north = Team.objects.get(name="North CMHT")
    coordinators = User.objects.filter(memberships__team=north, roles__code="care_coordinator").distinct()
    assert coordinators.count() >= coordinators_needed(north.registrations.count())
    assert 10 <= caseload_of("coordinator") <= 45
