"""A care coordinator's visit day on a phone with no signal (issue 17, item 3).

Load My visits today with a signal; lose the signal; reload and navigate and still see the visits,
the alerts, the crisis and safety plans and the next depot; record what happened and a note;
get the signal back; everything goes in once (and once only when sent again); a visit a colleague
recorded meanwhile is shown as a conflict with the worker's entry kept; after signing out the
phone holds nothing readable.
"""

import re
from datetime import time

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.audit.models import AuditEvent, RecordType
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.models import Contact
from waypoint.medicines.factories import DepotFactory
from waypoint.notes.models import Note, NoteStatus
from waypoint.offline.models import SyncReceipt
from waypoint.patients.factories import AlertFactory, PersonFactory, TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, request):
    """A phone-sized Chromium context, with the content security policy enforced (not bypassed),
    so the service worker and the manifest have to pass it."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="allow")
    page = context.new_page()
    page.set_default_timeout(30_000)  # the first page of a run can be slow on a busy machine
    page.base_url = live_server.url
    page.test_name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    yield page
    context.close()


def _visit_day(team, coordinator):
    today = timezone.localdate()
    person = TeamRegistrationFactory(
        team=team, person=PersonFactory(given_name="Robin", family_name="Homevisit", nhs_number="9990001234")
    ).person
    AlertFactory(person=person, created_by=coordinator, summary="Dog in the house (synthetic)")
    crisis = PlanFactory(person=person, team=team, kind=PlanKind.CRISIS, created_by=coordinator)
    PlanRevisionFactory(
        plan=crisis, agreed=True, content={"crisis_actions": "Ring the crisis team first (synthetic)"}
    )
    safety = PlanFactory(person=person, team=team, kind=PlanKind.SAFETY, created_by=coordinator)
    PlanRevisionFactory(
        plan=safety, agreed=True, content={"warning_signs": "Stops answering the door (synthetic)"}
    )
    DepotFactory(person=person, team=team, recorded_by=coordinator)
    first = AppointmentFactory(
        person=person, team=team, booked_by=coordinator, date=today, start_time=time(10, 0)
    )
    other = TeamRegistrationFactory(
        team=team, person=PersonFactory(given_name="Sam", family_name="Secondvisit")
    ).person
    second = AppointmentFactory(
        person=other, team=team, booked_by=coordinator, date=today, start_time=time(14, 0)
    )
    return person, first, other, second


def _wait_for_service_worker(page):
    """Until the service worker has installed (kept the empty page and its files) and controls the
    page. (`evaluate`, not `wait_for_function`: the page's policy forbids eval, rightly.)"""
    page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
                await new Promise((resolve) =>
                    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
            }
        }"""
    )


def load_then_lose_signal(page, username="cc.north"):
    """Sign in, load My visits today with a signal, then lose the signal and open it again."""
    sign_in(page, username)
    page.goto(page.base_url + "/visits/")
    page.get_by_text("Saved on this phone, encrypted").wait_for()
    _wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()


def record_first_visit(page, minutes, note):
    """With its form open: the 10:00 visit attended for `minutes`, care coordination; and a note."""
    card = page.locator("section.waypoint-visit", has_text="10:00 Robin Homevisit")
    card.get_by_label("Attended", exact=True).check()
    card.get_by_label("Length (minutes)").fill(str(minutes))
    card.get_by_label("Care coordination").check()
    card.get_by_role("button", name="Save what happened").click()
    page.get_by_text("What happened at 10:00 is saved on this phone.").wait_for()
    card.get_by_text("Write a note about Robin Homevisit").click()
    card.get_by_label("Note").fill(note)
    card.get_by_role("button", name="Save note draft").click()
    page.get_by_text("The note about Robin Homevisit is saved on this phone.").wait_for()


def test_visit_day_with_no_signal(phone, coordinator, team, other_team):
    page = phone
    person, first, other, second = _visit_day(team, coordinator)
    stranger = TeamRegistrationFactory(team=other_team, person=PersonFactory(family_name="Notmine")).person
    AppointmentFactory(person=stranger, team=other_team, booked_by=coordinator, date=timezone.localdate())

    sign_in(page, "cc.north")
    page.goto(page.base_url + "/diary/")
    page.get_by_role("link", name=re.compile("My visits today")).click()
    page.get_by_role("heading", name="My visits today").wait_for()
    page.get_by_text("Saved on this phone, encrypted").wait_for()
    _wait_for_service_worker(page)
    assert "Notmine" not in page.content()
    check(page, "online")

    # No signal: reload, and navigate, and the visits are still there (from the encrypted copy).
    page.context.set_offline(True)
    for where in ("reload", "/visits/offline/", "/visits/"):
        if where == "reload":
            page.reload()
        else:
            page.goto(page.base_url + where)
        page.get_by_text("Offline: no signal.").wait_for()
        assert page.locator("#offline-visits").get_attribute("data-mode") == "shell"  # not from Waypoint
        for seen in (
            "10:00 Robin Homevisit",
            "Dog in the house (synthetic)",
            "Ring the crisis team first (synthetic)",
            "Stops answering the door (synthetic)",
            "Paliperidone palmitate 100 mg",
            "14:00 Sam Secondvisit",
        ):
            assert page.get_by_text(seen, exact=False).first.is_visible(), seen
    check(page, "offline")

    # Record what happened at 10:00, and a note; and what happened at 14:00.
    page.get_by_text("Record what happened at 10:00").click()
    page.get_by_role("button", name="Save what happened").first.click()
    page.get_by_text("Choose what happened").first.wait_for()
    check(page, "offline-form-errors")
    record_first_visit(page, 45, "Seen at home with the dog shut away. Settled (synthetic).")
    later = page.locator("section.waypoint-visit", has_text="14:00 Sam Secondvisit")
    later.get_by_text("Record what happened at 14:00").click()
    later.get_by_label("Did not attend").check()
    later.get_by_role("button", name="Save what happened").click()
    page.get_by_text("3 items waiting to send.").wait_for()
    page.reload()  # still offline: nothing typed is lost
    page.get_by_text("3 items waiting to send.").wait_for()
    check(page, "offline-queued")
    assert Contact.objects.count() == 0 and Note.objects.count() == 0

    # Meanwhile a colleague records the 14:00 visit from the office.
    colleague = make_staff(team=team, username="cc.office", first_name="Olu", last_name="Office")
    ContactFactory(person=other, team=team, appointment=second, date=second.date, recorded_by=colleague)

    sent = []
    page.on(
        "request",
        lambda r: sent.append(r.post_data) if r.method == "POST" and "/visits/sync/" in r.url else None,
    )
    page.context.set_offline(False)
    page.get_by_text("Sent 2 items to Waypoint.").wait_for()
    page.get_by_text("Olu Office recorded this visit first").wait_for()
    page.get_by_text("What you entered: What happened: Did not attend").wait_for()
    page.locator("section.waypoint-visit", has_text="10:00 Robin Homevisit").get_by_text(
        "Recorded: Attended"
    ).wait_for()
    check(page, "synced-with-conflict")

    assert Contact.objects.filter(appointment=first).count() == 1
    assert Contact.objects.filter(appointment=second).count() == 1  # the colleague's only
    assert Contact.objects.get(appointment=first).duration_minutes == 45
    note = Note.objects.get()
    assert note.status == NoteStatus.DRAFT and "dog shut away" in note.text
    shown = AuditEvent.objects.filter(record_type=RecordType.OFFLINE_VIEW, person=person)
    assert shown.count() >= 3  # shown three times with no signal, each at the time it was shown
    first_receipt = SyncReceipt.objects.filter(kind="contact").order_by("received_at").first()
    assert all(row.occurred_at <= first_receipt.received_at for row in shown)

    # Send again: nothing more goes in (the same items, replayed exactly as the phone sent them).
    page.get_by_role("button", name="Send now").click()
    replayed = page.evaluate(
        """async (body) => {
            const ticket = await (await fetch("/visits/sync/")).json();
            const response = await fetch("/visits/sync/", {method: "POST", body,
              headers: {"Content-Type": "application/json", "X-CSRFToken": ticket.csrf_token}});
            return (await response.json()).results.map((r) => r.status);
        }""",
        sent[0],
    )
    assert "saved" in replayed and "conflict" in replayed
    assert Contact.objects.filter(appointment=first).count() == 1
    assert Contact.objects.filter(appointment=second).count() == 1
    assert Note.objects.count() == 1

    # The worker copies their entry, removes it, and signs out: the phone keeps nothing readable.
    page.get_by_role("button", name="I have copied this: remove it from this phone").click()
    page.get_by_text("Removed from this phone.").wait_for()
    sign_out(page)
    check(page, "signed-out")
    left = page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map((d) => d.name),
            caches: await caches.keys(),
            workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert left == {"databases": [], "caches": [], "workers": 0}, left
    page.context.set_offline(True)
    try:
        page.goto(page.base_url + "/visits/")
    except Exception:  # no service worker any more: the browser's own "no internet" page
        pass
    for _attempt in range(20):  # the browser may still be putting up its error page
        try:
            body = page.content()
            break
        except Exception:
            page.wait_for_timeout(250)
    assert "Robin Homevisit" not in body


def test_signed_out_while_offline_what_was_recorded_is_sent_after_signing_in_again(phone, coordinator, team):
    """The server's idle timeout ends the session while the phone has no signal: the page asks the
    worker to sign in again, keeps what they recorded, and sends it under the new session's key."""
    from django.contrib.sessions.models import Session

    page = phone
    person, first, _other, _second = _visit_day(team, coordinator)
    load_then_lose_signal(page)
    card = page.locator("section.waypoint-visit", has_text="10:00 Robin Homevisit")
    card.get_by_text("Record what happened at 10:00").click()
    card.get_by_label("Did not attend").check()
    card.get_by_role("button", name="Save what happened").click()
    page.get_by_text("1 item waiting to send.").wait_for()

    Session.objects.all().delete()  # signed out on the server (the idle timeout) meanwhile
    page.context.set_offline(False)
    page.get_by_text("Sign in again to send what you recorded").wait_for()
    check(page, "asked-to-sign-in-again")
    assert page.get_by_role("link", name="Sign in again").get_attribute("href") == "/sign-in/?next=/visits/"
    assert Contact.objects.count() == 0

    sign_in(page, "cc.north")
    page.goto(page.base_url + "/visits/")  # a new session, so a new key: the queue moves over to it
    page.get_by_text("Sent 1 item to Waypoint.").wait_for()
    assert Contact.objects.get(appointment=first).attendance == "3"
    assert SyncReceipt.objects.filter(kind="contact").count() == 1
    check(page, "sent-after-signing-in-again")
