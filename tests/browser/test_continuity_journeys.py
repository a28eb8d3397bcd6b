"""Continuity in the browser (issue 17): while Waypoint is read-only every page says so, records
are readable, and a change is refused with what was typed shown back; the team's downtime pack
is downloaded, opened with the key holder's private key, and read in the browser as a file."""

import pyrage
import pytest
from django.core.management import call_command

from tests.browser.conftest import check, sign_in
from waypoint.continuity import packs
from waypoint.patients.factories import AlertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def continuity(settings, tmp_path):
    identity = pyrage.x25519.Identity.generate()
    settings.WAYPOINT_READ_ONLY_FILE = str(tmp_path / "read-only.json")
    settings.WAYPOINT_AUDIT_SPOOL = str(tmp_path / "audit-spool.jsonl")
    settings.WAYPOINT_DOWNTIME_PACK_DIR = str(tmp_path / "packs")
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = [str(identity.to_public())]
    yield identity
    call_command("read_only", "off")


def test_read_only_mode_and_the_downtime_pack(page, continuity, coordinator, person, team, tmp_path):
    AlertFactory(
        person=person, created_by=coordinator, category="staff_safety", summary="Visit in pairs (synthetic)"
    )
    page.set_default_timeout(30_000)  # a loaded machine; the journey has many steps
    page.set_default_navigation_timeout(30_000)
    call_command("downtime_packs")
    call_command("read_only", "on", "--reason", "Synthetic maintenance")

    sign_in(page, "cc.north")  # signing in still works while read-only
    page.locator("#read-only-banner").wait_for()
    check(page, "home-read-only")

    page.goto(f"{page.base_url}/people/{person.pk}/")
    assert page.locator("#read-only-banner").is_visible()
    assert page.get_by_text("Visit in pairs (synthetic)").first.is_visible(), "the record is readable"
    check(page, "record-read-only")

    page.goto(f"{page.base_url}/people/{person.pk}/alerts/add/")
    page.get_by_label("Staff safety").check()
    page.get_by_label("Summary").fill("Typed during maintenance (synthetic)")
    page.get_by_role("button", name="Add alert").click()
    page.get_by_role("heading", name="Changes are paused", exact=True).wait_for()
    assert page.get_by_text("Typed during maintenance (synthetic)").is_visible(), "nothing typed is lost"
    check(page, "change-refused-read-only")

    page.get_by_role("link", name="Downtime pack").first.click()
    page.get_by_role("heading", name="Downtime packs").wait_for()
    assert page.get_by_text("Up to date").is_visible()
    check(page, "downtime-packs")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the pack").click()
    downloaded = tmp_path / "downloaded.html.age"
    download_info.value.save_as(downloaded)

    # The key holder opens it with no Waypoint: decrypt, then open the file in a browser.
    opened = tmp_path / "pack.html"
    opened.write_text(packs.decrypt(downloaded.read_bytes(), str(continuity)))
    page.goto(opened.as_uri())
    page.get_by_role("heading", name=person.full_name).wait_for()
    assert page.get_by_text("Visit in pairs (synthetic)").is_visible()
    assert page.locator("#generated-at").is_visible()
    check(page, "downtime-pack-opened")

    call_command("read_only", "off")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    assert page.locator("#read-only-banner").count() == 0
