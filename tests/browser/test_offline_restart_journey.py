"""The phone's browser is closed before what was recorded offline has been sent (issue 17: nothing
typed offline is lost; nothing cached on a device outlives the session).

The browser is really restarted: a Chromium profile on disk (a persistent context) is closed and
opened again, so the session cookie and the offline marker cookie (browser-session cookies) go,
and IndexedDB and the service worker stay, as on a phone. The phone then holds the unsent item
encrypted, without its key. The same worker signing in again gets the key back from Waypoint and
the item is sent once; anyone else signing in cannot open it, and it is deleted.
"""

import re

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, check, sign_in
from tests.browser.test_offline_journey import PHONE, _visit_day, load_then_lose_signal, record_first_visit
from waypoint.accounts.factories import make_staff
from waypoint.contacts.models import Contact
from waypoint.notes.models import Note
from waypoint.offline.models import HeldKey, SyncReceipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE_TEXT = "Talked about the move to the new flat (synthetic)."

STORED = """async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes("waypoint-offline")) return { database: false };
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("waypoint-offline");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const count = (name) => new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
    });
    const [keys, day, queue] = [await count("keys"), await count("day"), await count("queue")];
    db.close();
    return {
        database: true,
        keys: keys.length,
        day: day.length,
        queue: queue.filter((sealed) => !sealed.shown).length,
        clear: queue.map((sealed) => Object.keys(sealed).sort().join(",")),
    };
}"""


class Phone:
    """A phone's browser with a profile on disk, so that it can be closed and opened again."""

    def __init__(self, browser, live_server, tmp_path, name):
        self.browser_type = browser.browser_type
        self.profile = tmp_path / "profile"
        self.base_url = live_server.url
        self.name = name
        self.context = None
        self.starts = 0

    def start(self, offline=False):
        self.context = self.browser_type.launch_persistent_context(
            str(self.profile),
            executable_path="/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            service_workers="allow",
        )
        self.context.set_offline(offline)
        for extra in self.context.pages[1:]:
            extra.close()
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.set_default_timeout(30_000)
        page.base_url = self.base_url
        self.starts += 1
        page.test_name = f"{self.name}-{self.starts}"
        return page

    def restart(self, offline=False):
        """Close the browser (every page, and the browser itself) and open it again."""
        self.close()
        return self.start(offline=offline)

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None


@pytest.fixture
def phone(browser, live_server, tmp_path, request):
    handset = Phone(browser, live_server, tmp_path, re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower()))
    yield handset
    handset.close()


def _record_offline(page):
    """With a signal, load the day; lose the signal; record what happened at 10:00 and a note."""
    load_then_lose_signal(page)
    page.get_by_text("Offline: no signal.").wait_for()
    page.get_by_text("Record what happened at 10:00").click()
    record_first_visit(page, 40, NOTE_TEXT)
    page.get_by_text("2 items waiting to send.").wait_for()
    check(page, "recorded-offline")


def _restarted_and_locked(phone):
    """The browser is closed and opened again with no signal: the session cookies have gone, the
    page opens from the service worker, the key has gone and the two items are kept, locked."""
    page = phone.restart(offline=True)
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert "sessionid" not in names and "waypoint_offline" not in names, names  # a new browser session
    page.goto(page.base_url + "/visits/")
    page.get_by_text("2 items recorded on this phone are kept here, locked.").wait_for()
    assert page.get_by_role("link", name="Sign in again").get_attribute("href") == "/sign-in/?next=/visits/"
    page.get_by_text("Your visits are no longer saved on this phone.").wait_for()
    assert "Robin Homevisit" not in page.content()  # the day went with the key
    stored = page.evaluate(STORED)
    assert stored["keys"] == 0 and stored["day"] == 0 and stored["queue"] == 2, stored
    assert all(fields == "data,expires_at,iv,key_id,shown" for fields in stored["clear"]), stored
    check(page, "locked-after-restart")
    return page


def _a_colleague_signs_in_and_cannot_open_them(page, shot):
    """A colleague signs in on the phone and opens My visits today: the worker's two items are
    deleted unread (the page says so), nothing is sent, and nothing of them is shown."""
    sent = []
    page.on(
        "request", lambda r: sent.append(r.url) if r.method == "POST" and "/visits/sync/" in r.url else None
    )
    sign_in(page, "cc.colleague")
    page.goto(page.base_url + "/visits/")
    page.get_by_text(
        "2 items recorded earlier on this phone could not be opened, so they have been deleted"
    ).wait_for()
    page.get_by_text("Nothing waiting to send.").wait_for()
    check(page, shot)
    assert NOTE_TEXT not in page.content() and "Robin Homevisit" not in page.content()
    stored = page.evaluate(STORED)
    assert stored["queue"] == 0, stored
    assert sent == []  # nothing was sent, as them or anyone
    assert Contact.objects.count() == 0 and Note.objects.count() == 0


def test_the_same_worker_signs_in_again_after_a_browser_restart_and_it_is_sent_once(phone, coordinator, team):
    person, first, _other, _second = _visit_day(team, coordinator)
    page = phone.start()
    _record_offline(page)
    assert Contact.objects.count() == 0

    page = _restarted_and_locked(phone)

    page.context.set_offline(False)
    page.goto(page.base_url + "/visits/")
    page.wait_for_url(re.compile(r"/sign-in/"))  # Waypoint asks them to sign in: a new session
    sign_in(page, "cc.north")
    page.goto(page.base_url + "/visits/")  # the key held for them comes back with the page
    page.get_by_text("Sent 2 items to Waypoint.").wait_for()
    page.get_by_text("Nothing waiting to send.").wait_for()
    page.locator("section.waypoint-visit", has_text="10:00 Robin Homevisit").get_by_text(
        "Recorded: Attended"
    ).wait_for()
    check(page, "sent-after-restart")

    contact = Contact.objects.get(appointment=first)
    assert contact.duration_minutes == 40 and contact.recorded_by == coordinator
    assert NOTE_TEXT in Note.objects.get().text
    assert SyncReceipt.objects.filter(kind="contact").count() == 1

    # Exactly once: open the page again, press Send now, restart once more: nothing more goes in.
    page.reload()
    page.get_by_text("Nothing waiting to send.").wait_for()
    page.get_by_role("button", name="Send now").click()
    page = phone.restart()
    page.goto(page.base_url + "/visits/")
    page.wait_for_url(re.compile(r"/sign-in/"))
    sign_in(page, "cc.north")
    page.goto(page.base_url + "/visits/")
    page.get_by_text("Nothing waiting to send.").wait_for()
    assert Contact.objects.filter(appointment=first).count() == 1
    assert Note.objects.count() == 1
    assert SyncReceipt.objects.filter(kind="contact").count() == 1


def test_someone_else_signing_in_after_a_browser_restart_cannot_open_it(phone, coordinator, team):
    _visit_day(team, coordinator)
    make_staff(team=team, username="cc.colleague", first_name="Cam", last_name="Colleague")
    page = phone.start()
    _record_offline(page)

    page = _restarted_and_locked(phone)

    page.context.set_offline(False)
    _a_colleague_signs_in_and_cannot_open_them(page, "someone-else-signed-in")

    # The worker comes back to the phone later: the items are gone for them too (deleted, not
    # merely hidden), though Waypoint still holds their key until it expires.
    assert HeldKey.objects.filter(user=coordinator).exists()
    page = phone.restart()
    sign_in(page, "cc.north")
    page.goto(page.base_url + "/visits/")
    page.get_by_text("Nothing waiting to send.").wait_for()
    page.get_by_text("10:00 Robin Homevisit").wait_for()
    assert Contact.objects.count() == 0 and Note.objects.count() == 0


def test_someone_else_signing_in_in_the_same_browser_session_cannot_open_it(phone, coordinator, team):
    """No restart: Waypoint signs the worker out (the idle timeout) while the phone has no signal,
    and a colleague then signs in on the same phone. The phone still has the worker's key, but it
    is used only if Waypoint says it is the signed-in worker's own: it does not, so nothing is
    opened, sent or shown, and the items are deleted."""
    from django.contrib.sessions.models import Session

    _visit_day(team, coordinator)
    make_staff(team=team, username="cc.colleague", first_name="Cam", last_name="Colleague")
    page = phone.start()
    _record_offline(page)
    Session.objects.all().delete()  # signed out on the server (the idle timeout) meanwhile
    page.context.set_offline(False)
    page.get_by_text("Sign in again to send what you recorded").wait_for()

    _a_colleague_signs_in_and_cannot_open_them(page, "someone-else-same-session")
