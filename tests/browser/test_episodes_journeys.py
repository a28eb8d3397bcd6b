"""Episode of care end to end: open from a referral, allocate, transfer to Assertive Outreach,
accept there, discharge with a summary and print the letter to the person."""

import pytest

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import RoleCode, TeamType
from waypoint.episodes.models import Episode
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_transfer_accept_and_discharge(page, team, coordinator):
    make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )
    outreach = TeamFactory(name="Assertive Outreach Team", team_type=TeamType.ASSERTIVE_OUTREACH)
    make_staff(team=outreach, username="ao.worker", first_name="Otis", last_name="Outreach")
    person = PersonFactory(given_name="Roberta", family_name="Episodeperson", preferred_name="Bobbie")
    referral = ReferralFactory(
        team=team, person=person, status=Status.WAITING, decision="accept", urgency="routine"
    )

    sign_in(page, "manager.north")
    page.goto(f"{page.base_url}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Open an episode of care").click()
    page.get_by_role("button", name="Open episode of care").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "open-episode-errors")
    page.get_by_label("Care Programme Approach (CPA)").check()
    page.get_by_role("button", name="Open episode of care").click()
    page.get_by_text("Episode of care with North CMHT opened").wait_for()
    check(page, "episode")
    page.get_by_role("link", name="Allocate a care coordinator").click()
    check(page, "care-coordinator")
    page.get_by_label("Casey Coordinator").check()
    page.get_by_role("button", name="Save care coordinator").click()
    page.get_by_text("Casey Coordinator is now the care coordinator").wait_for()
    page.get_by_role("link", name="Transfer to another team").click()
    check(page, "transfer-request")
    page.get_by_label("Team to transfer to").select_option(
        label="Assertive Outreach Team (Assertive Outreach)"
    )
    page.get_by_label("Step up (more support)").check()
    page.get_by_label("Reason for the transfer").fill(
        "Missed most contacts; needs a persistent approach (synthetic)"
    )
    page.get_by_label("Handover summary").fill("Prefers afternoon visits; sister is the carer (synthetic)")
    page.get_by_role("button", name="Request transfer").click()
    page.get_by_text("The episode stays open until they decide").wait_for()
    check(page, "transfer-pending")
    sign_out(page)

    sign_in(page, "ao.worker")
    page.goto(f"{page.base_url}/allocation/transfers/")
    check(page, "transfers")
    page.get_by_role("link", name="EPISODEPERSON, Roberta").click()
    check(page, "transfer-decision")
    page.get_by_label("Accept the transfer").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Transfer accepted").wait_for()
    check(page, "receiving-episode")
    page.get_by_role("link", name="Change the care approach").click()
    check(page, "care-approach")
    page.get_by_label("Keyworker (Community Mental Health Framework)").check()
    page.get_by_role("button", name="Save care approach").click()
    page.get_by_text("Care approach changed").wait_for()
    page.get_by_role("link", name="Discharge", exact=True).click()
    check(page, "discharge")
    page.get_by_label("Planned and agreed").check()
    page.get_by_label("What happened while we worked together").fill(
        "We met weekly; Bobbie is back at college (synthetic)"
    )
    page.get_by_label("Current medication").fill("Sertraline 100mg each morning (synthetic)")
    page.get_by_label("Signs that things may be getting worse").fill(
        "Staying in bed, not answering the phone"
    )
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("has been discharged from Assertive Outreach Team").wait_for()
    check(page, "discharged")
    page.get_by_role("link", name="Discharge letter to Bobbie (print)").click()
    page.get_by_text("Dear Bobbie,").wait_for()
    check(page, "letter-to-person")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    check(page, "record")
    assert [e.status for e in Episode.objects.order_by("pk")] == ["closed", "closed"]
