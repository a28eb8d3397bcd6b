"""Browser tests: real Chromium (Debian's) driven by Playwright, axe on every page, screenshots.

Every page a journey visits goes through `check(page, name)`: axe must report no WCAG 2.2 AA
violation, and a full-page screenshot is saved to var/screenshots/ (git-ignored) to look at.

Under pytest-xdist (`make test` runs `-n auto`) each worker has its own Chromium, its own live
server on a port the system picks, and its own database, so the trigger juggling below only ever
touches that worker's database; screenshot names come from the test, so workers never collide.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright
from pytest_django.plugin import blocking_manager_key

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "test-password-123"
IDLE_CONNECTION_SECONDS = 10

_triggers = importlib.import_module("waypoint.audit.migrations.0002_append_only_triggers")


class _OneRequestAtATimeServer(WSGIServer):
    """The live server answers one request at a time.

    On SQLite the test database is in memory, so Django hands the live server the test's own
    connection; its default threaded server then runs two requests (a page and the autosave
    behind it, say) on that one connection at once, and one request's transaction leaks into the
    other (the audit then refuses, rightly, to write outside it). Browsers wait their turn here;
    Django's server closes each connection when it is not threaded.

    One request at a time also means one idle connection (a socket Chromium opened ahead of need
    and has not used yet) would hold every other request up, so each connection gives up after
    ten seconds without a byte: the waiting requests are then answered."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = type(
            "_IdleLimitedHandler", (self.RequestHandlerClass,), {"timeout": IDLE_CONNECTION_SECONDS}
        )


LiveServerThread.server_class = _OneRequestAtATimeServer


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


_dropped_triggers: list[tuple[str, str]] = []


def _all_sqlite_triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return list(cursor.fetchall())


def _restore_dropped_triggers():
    """Re-create every trigger dropped for the flush that is not already back (an app's own
    post_migrate handler may have restored some of them during the flush)."""
    present = {name for name, _ in _all_sqlite_triggers()}
    with connection.cursor() as cursor:
        for name, sql in _dropped_triggers:
            if name not in present:
                cursor.execute(sql)
    _dropped_triggers.clear()


def pytest_collection_modifyitems(items):
    """Every browser test gets the database as migrated, data migrations' rows included: the flush
    after a live-server test empties them (legal rule sets, supervision policies, measures), so
    Django serialises the migrated database once and reloads it before each browser test."""
    for item in items:
        if item.get_closest_marker("browser"):
            marker = item.get_closest_marker("django_db")
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def triggers_around_flush(live_server, transactional_db):
    """On SQLite, Django empties tables after a live-server test with DELETE, which the audit
    table's append-only triggers refuse (and so do the triggers that keep signed notes and agreed
    plans read-only). Drop EVERY trigger just for that flush and put them back straight after it
    (the hook below), so every other test sees the database as migrated, whatever app added them.

    Order: this fixture is set up after `transactional_db`, so its teardown runs before the flush.
    The set-up makes sure the audit triggers are there (CREATE TRIGGER IF NOT EXISTS), so a browser
    test always runs against an append-only audit table, whatever ran before it. PostgreSQL flushes
    with TRUNCATE, which row triggers do not see: nothing to do there."""
    if connection.vendor == "sqlite":
        _run(_triggers.SQLITE_FORWARD)
    yield
    if connection.vendor == "sqlite":
        found = _all_sqlite_triggers()
        _dropped_triggers.extend(found)
        _run([f'DROP TRIGGER IF EXISTS "{name}"' for name, _ in found])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Re-create the triggers once the flush is done, for the tests that run after this one."""
    yield  # the test's fixtures, and Django's flush, are torn down here
    if nextitem is None:
        return  # the last test of this process: its test database has just been destroyed
    if item.get_closest_marker("browser") and connection.vendor == "sqlite":
        blocker = item.config.stash[blocking_manager_key]
        with blocker.unblock():
            _restore_dropped_triggers()
            _run(_triggers.SQLITE_FORWARD)


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)  # a loaded 2-core machine is slow to serve the first page
    page.base_url = live_server.url
    page.test_name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    yield page
    context.close()


def check(page, name):
    """Run axe (WCAG 2.2 AA) on the page and save a screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{page.test_name}--{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe found problems on {name} ({page.url}):\n{details}"


def sign_in(page, username):
    page.goto(page.base_url + "/sign-in/")
    check(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Until the sign-in has been answered and the next page has loaded: a test that goes straight
    # on to another page would otherwise race the sign-in's own navigation (seen once in CI as a
    # 30-second hang of the next page.goto).
    page.wait_for_url(lambda url: urlsplit(url).path != "/sign-in/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out").wait_for()
