"""Reports: the team manager reads a report; the records officer fixes a data quality problem from
its link; the information analyst produces the MHSDS submission and downloads a file."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.contacts.factories import ContactFactory
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.models import EthnicCategory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Decision, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_admin_fixes_analyst_extracts(page, team):
    make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager.north")
    make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records.north")
    make_staff(roles=[RoleCode.INFORMATION_ANALYST], username="analyst")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=10)
    person = PersonFactory(family_name="Nopostcode", postcode="", ethnicity=EthnicCategory.WHITE_BRITISH)
    TeamRegistrationFactory(team=team, person=person, started_on=datetime.date(2025, 1, 1))
    referral = ReferralFactory(
        person=person,
        team=team,
        received_at=timezone.now() - datetime.timedelta(days=40),
        decision=Decision.ACCEPT,
        status=Status.IN_ASSESSMENT,
        triaged_at=timezone.now() - datetime.timedelta(days=39),
        first_contact_attended_at=timezone.now() - datetime.timedelta(days=35),
    )
    ContactFactory(person=person, team=team, date=last_month)

    # The team manager reads the waiting times report.
    sign_in(page, "manager.north")
    page.get_by_role("link", name="Reports").first.click()
    check(page, "reports-index")
    page.get_by_role("link", name="Referral to first and second attended contact").click()
    page.get_by_role("heading", name="Referral to first and second attended contact").wait_for()
    check(page, "report-contact-waits")
    assert page.get_by_role("link", name="Download this table (CSV)").count() == 1
    # ... and, from the care plans report, the people behind its figure (through the access policy).
    page.get_by_role("link", name="All reports").click()
    page.get_by_role("link", name="Care plans agreed and reviewed within 12 months").click()
    page.get_by_role("link", name="People with no care plan agreed or reviewed in the last 12 months").click()
    page.get_by_role(
        "heading", name="People with no care plan agreed or reviewed in the last 12 months"
    ).wait_for()
    check(page, "report-people")
    assert page.get_by_role("link", name="Nopostcode").count() >= 1
    sign_out(page)

    # The records officer fixes the missing postcode from its link.
    sign_in(page, "records.north")
    page.goto(page.base_url + "/reports/data-quality/")
    check(page, "data-quality")
    page.get_by_role("link", name="Add the person's postcode for").first.click()
    check(page, "fix-postcode")
    page.get_by_role("textbox", name="Postcode").fill("ZZ99 3VZ")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    page.goto(page.base_url + "/reports/data-quality/")
    assert "Nopostcode" not in page.content()
    sign_out(page)

    # The analyst produces last month's submission.
    sign_in(page, "analyst")
    page.goto(page.base_url + "/reports/mhsds/")
    check(page, "mhsds")
    page.get_by_role("button", name="Produce the submission").click()
    page.get_by_role("heading", name="Files").wait_for()
    check(page, "mhsds-run")
    with page.expect_download() as download:
        page.get_by_role("link", name="MHS101Referral.csv").click()
    assert download.value.suggested_filename.startswith("MHS101Referral")
    assert referral.pk
