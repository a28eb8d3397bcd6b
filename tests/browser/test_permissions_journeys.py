"""What each role may do, in the browser: a student's note waits for their supervisor's
countersignature, and a student who opens the risk formulation form is refused with a plain page
that shows back what they typed."""

import importlib

import pytest
from django.db import connection

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.access.models import Supervision
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_note_triggers = importlib.import_module("waypoint.notes.migrations.0002_signed_notes_read_only_triggers")


@pytest.fixture(autouse=True)
def note_triggers_around_flush(live_server, transactional_db):
    """As in test_notes_journeys.py: the notes triggers refuse SQLite's DELETE flush."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in _note_triggers.SQLITE_FORWARD:
                cursor.execute(statement)
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in _note_triggers.SQLITE_REVERSE:
                cursor.execute(statement)


@pytest.fixture
def student(team, coordinator):
    user = make_staff(
        team=team, roles=[RoleCode.STUDENT], username="student", first_name="Stevie", last_name="Student"
    )
    Supervision.objects.create(supervisee=user, supervisor=coordinator)
    return user


def test_a_students_note_is_countersigned_by_their_supervisor(page, student, coordinator, person):
    sign_in(page, "student")
    page.goto(f"{page.base_url}/people/{person.pk}/notes/new/")
    page.get_by_label("Home visit").check()
    page.get_by_role("button", name="Start the note").click()
    page.get_by_label("Note", exact=True).fill("Presentation:\nSettled at home (synthetic).\n")
    # Let the autosave that typing starts finish first: the live server's SQLite connection is
    # shared by its threads, and a sign posted during the autosave failed once in CI with "cannot
    # start a transaction within a transaction" (a test-server limit, not Waypoint's).
    page.get_by_text("Draft saved at").wait_for()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Sign note").click()
    page.get_by_text("Note signed").wait_for()
    assert page.get_by_text("Awaiting countersignature").first.is_visible()
    check(page, "awaiting-countersignature")

    # The risk formulation is not the student's to write: no link, and a post is refused plainly.
    page.goto(f"{page.base_url}/people/{person.pk}/risk-formulation/history/")
    assert page.get_by_role("link", name="Write a risk formulation").count() == 0
    page.goto(f"{page.base_url}/people/{person.pk}/risk-formulation/write/")
    page.locator("textarea").first.fill("Typed by the student (synthetic).")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_role("heading", name="Your role does not allow this").wait_for()
    assert page.get_by_text("Typed by the student (synthetic).").is_visible()
    check(page, "refused-with-text-kept")
    sign_out(page)

    sign_in(page, "cc.north")
    page.get_by_role("link", name="To countersign").click()
    page.get_by_role("heading", name="Notes to countersign").wait_for()
    check(page, "to-countersign")
    page.get_by_role("link", name=person.full_name).click()
    page.get_by_role("button", name="Countersign this note").click()
    page.get_by_text("Note countersigned").wait_for()
    assert page.get_by_text("Awaiting countersignature").count() == 0
    check(page, "countersigned")
