"""Legal status: the coordinator sees the CTO in the banner and rights due, records rights and asks
for an MHA assessment; the AMHP on the rota picks the request up, records the assessment (offered
the nearest relative recorded on the Legal tab) and prints the report; a CTO is revoked."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.legal.factories import (
    AssessmentRequestFactory,
    MhaPeriodFactory,
    RelativeEventFactory,
    RightsExplanationFactory,
)
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
    RelativeEventFactory(person=person, recorded_by=coordinator, on=today - datetime.timedelta(days=20))

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
    # The nearest relative recorded on the Legal tab is offered, and says where it came from
    assert page.get_by_label("Nearest relative (name)").input_value() == "Sam Example (synthetic), Mother"
    assert page.get_by_text(
        "From the Legal tab: Sam Example (synthetic), Mother, nearest relative"
    ).is_visible()
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


def test_coordinator_records_relative_capacity_best_interests_and_sees_dols_due(page, coordinator, person):
    """The nearest relative from the carers, a capacity assessment (the two-stage test), a best
    interests decision refused without who was consulted (what was typed kept), then recorded; a
    DoLS authorisation near its end is on the person's worklist and in the banner."""
    from waypoint.legal.factories import LibertyAuthorisationFactory
    from waypoint.patients.factories import CarerFactory

    today = timezone.localdate()
    CarerFactory(person=person, name="Pat Example (synthetic)", relationship="Father")
    LibertyAuthorisationFactory(
        person=person,
        created_by=coordinator,
        starts_on=today - datetime.timedelta(days=330),
        expires_on=today + datetime.timedelta(days=10),
    )
    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/")
    page.get_by_text(
        "DoLS standard authorisation expires: a new authorisation is needed before then"
    ).first.wait_for()
    check(page, "overview-with-dols-due")
    page.goto(page.base_url + f"/people/{person.pk}/legal/")
    page.get_by_role("link", name="Record about the nearest relative").click()
    check(page, "relative-form")
    page.get_by_label("Identified as nearest relative (section 26)").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("From the person's carers and relatives").select_option(
        label="Pat Example (synthetic) (Father)"
    )
    page.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded on the nearest relative").wait_for()

    page.get_by_role("link", name="Record a capacity assessment").click()
    page.get_by_label("The specific decision").fill("Whether to move to supported accommodation (synthetic)")
    page.get_by_label("Practicable steps taken to help the person decide").fill(
        "Pictures, at home (synthetic)"
    )
    page.get_by_label("Stage 1: there is an impairment").check()
    page.get_by_label("The impairment or disturbance", exact=True).fill("Dementia (synthetic)")
    page.get_by_label("Can communicate the decision, by any means").check()
    page.get_by_label("Any inability above is because of the impairment or disturbance").check()
    page.get_by_label("Evidence and reasons").fill("Could not recall the options (synthetic)")
    check(page, "capacity-form")
    page.get_by_role("button", name="Record the assessment").click()
    page.get_by_text("Capacity assessment recorded").wait_for()
    assert page.get_by_text("lacks capacity for this decision").is_visible()

    page.get_by_role("link", name="Record a best interests decision").click()
    page.get_by_label("Capacity assessment for this decision").select_option(index=1)
    page.get_by_label("The decision to be made").fill(
        "Whether to move to supported accommodation (synthetic)"
    )
    page.get_by_label("Decision maker").fill("Care coordinator (synthetic)")
    page.get_by_label("The person's past and present wishes, feelings, beliefs and values").fill(
        "Wants to keep the cat (synthetic)"
    )
    page.get_by_label("Less restrictive options considered").fill("More home care (synthetic)")
    page.get_by_label("The decision", exact=True).fill("Move, with the cat (synthetic)")
    page.get_by_label("Reasons", exact=True).fill("Safest option keeping what matters (synthetic)")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label(
        "The person's past and present wishes, feelings, beliefs and values"
    ).input_value() == ("Wants to keep the cat (synthetic)")
    check(page, "best-interests-errors")
    page.get_by_label("Who was consulted, and their views").fill("Father, Pat (agrees) (synthetic)")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Best interests decision recorded").wait_for()
    assert page.get_by_text("Pat Example (synthetic)").first.is_visible()
    check(page, "legal-tab-with-mca")
    sign_out(page)


def test_a_statutory_care_and_treatment_plan_once_the_trust_commences_it(page, coordinator, person):
    """MHA 2025: the Trust has set the commencement date; the coordinator records a plan for a
    CTO, first missing the treatment (message beside the field, typing kept), then sees it."""
    from waypoint.legal.factories import ensure_rules
    from waypoint.legal.models import RuleSet

    today = timezone.localdate()
    ensure_rules()
    RuleSet.objects.filter(code="mha-2025-care-and-treatment-plans").update(
        commences_on=today - datetime.timedelta(days=60)
    )
    MhaPeriodFactory(
        person=person, section="17A", starts_on=today - datetime.timedelta(days=30), created_by=coordinator
    )
    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/legal/")
    page.get_by_role("heading", name="Statutory care and treatment plans").wait_for()
    page.get_by_role("link", name="Record a statutory care and treatment plan").click()
    page.get_by_role("heading", name="Record a statutory care and treatment plan").wait_for()
    page.get_by_label("For which section").select_option(index=1)
    page.get_by_label("Prepared by (responsible clinician)").fill("Dr Rowan Example (synthetic)")
    page.get_by_label("The person's views and wishes").fill("Wants fortnightly visits at home (synthetic)")
    page.get_by_role("button", name="Record the plan").click()
    page.get_by_text("There is a problem").wait_for()
    page.locator(".nhsuk-error-message", has_text="Enter the medical treatment and what it is for").wait_for()
    assert page.get_by_label("The person's views and wishes").input_value().startswith("Wants fortnightly")
    check(page, "care-treatment-plan-errors")
    page.get_by_label("The medical treatment and what it is for").fill("Depot antipsychotic (synthetic)")
    page.get_by_role("button", name="Record the plan").click()
    page.get_by_text("Care and treatment plan recorded").wait_for()
    page.get_by_text("Wants fortnightly visits at home (synthetic)").wait_for()
    check(page, "legal-with-care-treatment-plan")


def test_dols_lead_allocates_a_waiting_request_and_the_review_is_recorded(page, coordinator, person, team):
    """The DoLS lead (a BIA on the person's team) sees the requests waiting for a BIA, urgent
    first, and allocates one; the coordinator records the review of a standard authorisation,
    first "conditions varied" with no conditions (message beside the field, typing kept)."""
    from waypoint.legal.factories import LibertyAuthorisationFactory
    from waypoint.legal.models import LibertyKind

    today = timezone.localdate()
    make_staff(team=team, roles=[RoleCode.BIA], username="bia.lead", first_name="Lee", last_name="Lead")
    make_staff(team=team, roles=[RoleCode.BIA], username="bia.two", first_name="Bea", last_name="Assessor")
    LibertyAuthorisationFactory(
        person=person,
        created_by=coordinator,
        kind=LibertyKind.URGENT,
        managing_authority="Ward 3, City Hospital (synthetic)",
        requested_on=today - datetime.timedelta(days=1),
        starts_on=today - datetime.timedelta(days=1),
        expires_on=today + datetime.timedelta(days=5),
    )
    standard = LibertyAuthorisationFactory(
        person=person,
        created_by=coordinator,
        managing_authority="Elm House Care Home (synthetic)",
        requested_on=today - datetime.timedelta(days=120),
        starts_on=today - datetime.timedelta(days=100),
        expires_on=today + datetime.timedelta(days=200),
        conditions="Visits from family daily (synthetic)",
    )

    sign_in(page, "bia.lead")
    page.goto(page.base_url + "/bia/")
    page.get_by_role("heading", name="Requests waiting for a BIA").wait_for()
    check(page, "bia-queue")
    page.get_by_role("link", name="Allocate the request from Ward 3, City Hospital (synthetic)").click()
    page.get_by_role("heading", name="Allocate to a BIA").wait_for()
    page.get_by_label("Best Interests Assessor").select_option(label="Bea Assessor")
    check(page, "bia-allocate")
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text("Allocated to Bea Assessor").wait_for()
    check(page, "bia-queue-after-allocation")
    sign_out(page)

    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/legal/liberty/{standard.pk}/")
    page.get_by_role("link", name="Record the review").click()
    page.get_by_role("heading", name="Record the review").wait_for()
    page.get_by_label("Reviewed by").fill("Bea Assessor, BIA (synthetic)")
    page.get_by_label("The conditions", exact=True).check()
    page.get_by_label("Conditions varied").check()
    page.get_by_label("Notes").fill("Settled; wants to walk in the garden (synthetic)")
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("There is a problem").wait_for()
    page.locator(".nhsuk-error-message", has_text="Enter the new conditions").wait_for()
    assert page.get_by_label("Notes").input_value() == "Settled; wants to walk in the garden (synthetic)"
    check(page, "liberty-review-errors")
    page.get_by_label("The new conditions").fill("Walks in the garden with staff (synthetic)")
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("Review recorded").wait_for()
    page.get_by_text("New conditions: Walks in the garden with staff (synthetic)").wait_for()
    check(page, "liberty-with-review")


def test_the_responsible_clinician_revokes_a_cto_and_the_section_3_returns(page, coordinator, person):
    """A CTO made from a section 3 is revoked: a date before the CTO began is refused beside the
    field with what was typed kept; then the CTO ends "CTO revoked", the person is detained again
    under section 3 from today (its expiry from the rules), the banner shows the s3 and rights are
    due to be explained again."""
    from waypoint.legal.models import EndReason, MhaPeriod

    today = timezone.localdate()
    s3 = MhaPeriodFactory(
        person=person, section="3", starts_on=today - datetime.timedelta(days=200), created_by=coordinator
    )
    cto_start = today - datetime.timedelta(days=60)
    MhaPeriod.objects.filter(pk=s3.pk).update(ended_on=cto_start, end_reason=EndReason.CTO_MADE)
    cto = MhaPeriodFactory(person=person, section="17A", starts_on=cto_start, created_by=coordinator)
    RightsExplanationFactory(period=cto, given_by=coordinator)

    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/legal/periods/{cto.pk}/")
    page.get_by_role("link", name="Revoke the CTO").click()
    page.get_by_role("heading", name="Revoke the CTO").wait_for()
    assert page.get_by_label("Section 3 (admission for treatment)").is_checked()
    check(page, "revoke-form")
    before = cto_start - datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(before.day))
    page.get_by_label("Month").fill(str(before.month))
    page.get_by_label("Year").fill(str(before.year))
    page.get_by_label("Time of revocation").fill("00:05")
    page.get_by_label("Hospital", exact=True).fill("Example Ward (synthetic)")
    page.get_by_label("AMHP who agreed in writing").fill("Alex Amhp (synthetic)")
    page.get_by_role("button", name="Revoke the CTO").click()
    page.get_by_text("There is a problem").wait_for()
    page.locator(".nhsuk-error-message", has_text="The date of revocation must be on or after").wait_for()
    assert page.get_by_label("AMHP who agreed in writing").input_value() == "Alex Amhp (synthetic)"
    check(page, "revoke-errors")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Revoke the CTO").click()
    page.get_by_text("CTO revoked: detained under s3").wait_for()
    detention = MhaPeriod.objects.open().get(person=person)
    page.get_by_text(f"s3 until {detention.expires_on:%-d %B %Y}").first.wait_for()
    check(page, "section-3-after-revocation")
    page.goto(page.base_url + f"/people/{person.pk}/")
    page.get_by_text("Rights (s132) not yet recorded as explained").first.wait_for()
    check(page, "overview-after-revocation")
    sign_out(page)
