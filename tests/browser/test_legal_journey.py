"""Legal status: the coordinator sees the CTO in the banner and rights due, records rights and asks
for an MHA assessment; the AMHP on the rota picks the request up, records the assessment and
prints the report."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.legal.factories import AssessmentRequestFactory, MhaPeriodFactory, RightsExplanationFactory
from waypoint.legal.models import AmhpShift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_sees_status_and_rights_then_amhp_assesses(page, coordinator, person, team, other_team):
    today = timezone.localdate()
    period = MhaPeriodFactory(
        person=person,
        section="17A",
        starts_on=today - datetime.timedelta(days=30),
        created_by=coordinator,
        conditions="See the community team every two weeks (synthetic)",
    )
    RightsExplanationFactory(
        period=period,
        given_by=coordinator,
        understood="partly",
        given_on=today - datetime.timedelta(days=8),
        next_on=today - datetime.timedelta(days=1),
    )
    amhp = make_staff(
        team=other_team, roles=[RoleCode.AMHP], username="amhp.one", first_name="Ash", last_name="Amhp"
    )
    AmhpShift.objects.create(day=today, amhp=amhp, local_authority="Example City Council (synthetic)")
    AssessmentRequestFactory(person=person, logged_by=coordinator)

    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/")
    page.get_by_text(f"CTO (s17A) until {period.expires_on:%-d %B %Y}").first.wait_for()
    check(page, "overview-with-legal-status")
    page.get_by_role("link", name="Legal", exact=True).click()
    page.get_by_role("heading", name="Legal status", exact=True).wait_for()
    check(page, "legal-tab")
    page.get_by_role("link", name="Community treatment order (section 17A)").click()
    check(page, "period")
    page.get_by_role("link", name="Record rights explained (section 132A)").click()
    page.get_by_role("button", name="Record rights explained").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "rights-errors")
    page.get_by_label("Spoken and written").check()
    page.get_by_label("Understood", exact=True).check()
    page.get_by_role("button", name="Record rights explained").click()
    page.get_by_text("Rights recorded").wait_for()
    check(page, "period-after-rights")
    sign_out(page)

    sign_in(page, "amhp.one")
    page.get_by_role("link", name="AMHP board").first.click()
    page.get_by_role("heading", name="AMHP board").wait_for()
    check(page, "amhp-board")
    page.get_by_role("link", name=person.listing_name).click()
    check(page, "request")
    page.get_by_role("button", name="Pick up this request").click()
    page.get_by_text("You have picked up this request").wait_for()
    page.get_by_label("Interview in a suitable manner").fill(
        "At home, in private, with an interpreter (synthetic)"
    )
    page.get_by_label("First doctor (name)").fill("Dr One (synthetic)")
    page.get_by_label("First doctor is section 12 approved").check()
    page.get_by_label("Second doctor (name)").fill("Dr Two, GP (synthetic)")
    page.get_by_label("Less restrictive alternatives considered").fill(
        "Home treatment team declined (synthetic)"
    )
    page.get_by_label("Support in the community").check()
    page.get_by_label("Reasons for the outcome").fill("Agreed to daily home treatment visits (synthetic)")
    page.get_by_label("Care of dependants and pets").fill("Cat fed by a neighbour (synthetic)")
    check(page, "assessment-form")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("Assessment saved").wait_for()
    check(page, "request-with-assessment")
    page.get_by_role("link", name="The AMHP report (to print)").click()
    page.get_by_role("heading", name="AMHP report: Mental Health Act assessment").wait_for()
    assert page.get_by_text("Cat fed by a neighbour (synthetic)").is_visible()
    check(page, "amhp-report")
