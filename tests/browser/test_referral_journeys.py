"""Referral to allocation: record a referral, triage it, print the letter; waiting list; allocate."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.duty.factories import DutyShiftFactory
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Referral, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_worker_records_and_triages_a_referral(page, coordinator, team):
    person = PersonFactory(given_name="Bea", family_name="Referredperson")  # not known to North yet
    DutyShiftFactory(team=team, worker=coordinator)  # on the duty rota today
    sign_in(page, "cc.north")
    page.get_by_role("link", name="Duty", exact=True).first.click()
    page.get_by_role("button", name="Record a referral").click()
    check(page, "find-by-nhs-number")
    page.get_by_label("NHS number from the referral").fill(person.nhs_number)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Bea Referredperson").wait_for()
    page.get_by_role("button", name="Record referral").click()
    page.get_by_text("There is a problem").wait_for()
    page.locator(".nhsuk-error-summary").get_by_text("Enter why you are recording this referral").wait_for()
    check(page, "referral-errors")
    page.get_by_label("GP").check()
    page.get_by_label("Referrer's name").fill("Dr Synthetic Testdoctor")
    page.get_by_label("Reason for referral").fill("Low mood, not sleeping (synthetic)")
    page.get_by_label("Urgent", exact=True).check()
    page.get_by_label("Why are you recording this referral for a person your teams do not work with?").fill(
        "GP referral letter received by post today"
    )
    page.get_by_role("button", name="Record referral").click()
    page.get_by_text("Referral recorded").wait_for()
    check(page, "referral")
    page.get_by_role("button", name="Triage this referral").click()
    check(page, "triage")
    page.get_by_label("Reject", exact=True).check()
    page.get_by_role("button", name="Save triage").click()
    page.get_by_text("Choose the reason for rejecting the referral").first.wait_for()
    check(page, "triage-errors")
    page.get_by_label("Accept for assessment").check()
    page.get_by_role("button", name="Save triage").click()
    page.get_by_text("Triage recorded").wait_for()
    check(page, "triaged")
    page.get_by_role("link", name="Letter to the referrer (print)").click()
    page.get_by_text("We have accepted the referral").wait_for()
    check(page, "letter")
    assert Referral.objects.get().status == Status.WAITING


def test_manager_sees_the_waiting_list_and_allocates(page, team, coordinator):
    make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )
    for days, name in ((40, "Longwaiter"), (2, "Recentwaiter")):
        ReferralFactory(
            team=team,
            person=PersonFactory(family_name=name),
            status=Status.WAITING,
            decision="accept",
            urgency="routine",
            received_at=timezone.now() - datetime.timedelta(days=days),
        )
    sign_in(page, "manager.north")
    page.get_by_role("link", name="Waiting list").first.click()
    page.get_by_text("LONGWAITER").wait_for()
    check(page, "waiting-list")
    page.get_by_label("Target").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    assert page.get_by_text("RECENTWAITER").count() == 0
    check(page, "waiting-list-breached")
    page.get_by_role("link", name="LONGWAITER").first.click()
    page.get_by_role("link", name="Allocate a worker").click()
    check(page, "allocate")
    page.get_by_label("Care coordinator", exact=True).check()
    page.get_by_label("Casey Coordinator").check()
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text("Casey Coordinator allocated").wait_for()
    check(page, "allocated")
    page.get_by_role("link", name="Team worklist").first.click()
    page.get_by_role("link", name="Casey Coordinator").wait_for()  # the name links to the caseload
    check(page, "caseloads")
