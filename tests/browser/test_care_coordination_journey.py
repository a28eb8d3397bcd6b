"""Care coordination, end to end in one go (GitHub issue "Care coordination"): a care coordinator
opens the person's record, completes a holistic needs assessment, writes a risk formulation, builds
a care plan with the person (need, goal in their words, intervention), records agreement, shares it
with the GP, prints "My plan", records a CPA review and asks Assertive Outreach to take over; an
Assertive Outreach worker accepts and later discharges with a summary and prints the letter to the
person. The record overview is checked on the way (risk summary, plans with review dates, care
coordinator, team, care approach, what is due). axe on every page.

Set up with factories only what a real coordinator would already have: the team, its staff, a
person with an accepted referral, an open episode of care and a care coordinator."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import TeamType
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.episodes.models import Episode
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.plans.models import PlanRevision, PlanShare, RevisionStatus
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOMAINS = [
    "Mental health",
    "Physical health",
    "Medication",
    "Substance use",
    "Accommodation",
    "Finances and benefits",
    "Employment and education",
    "Relationships and family",
    "Daily living",
    "Culture, spirituality and identity",
    "Safety of children and dependants",
    "Carers",
]


def fill_date(scope, day: datetime.date):
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def test_care_coordinator_walks_the_whole_pathway(page, team, coordinator):
    today = timezone.localdate()
    next_year = today + datetime.timedelta(days=365)
    outreach = TeamFactory(name="Assertive Outreach Team", team_type=TeamType.ASSERTIVE_OUTREACH)
    make_staff(team=outreach, username="ao.worker", first_name="Otis", last_name="Outreach")
    person = PersonFactory(given_name="Jordan", family_name="Pathway", preferred_name="Jo")
    TeamRegistrationFactory(team=team, person=person)
    referral = ReferralFactory(
        team=team, person=person, status=Status.WAITING, decision="accept", urgency="routine"
    )
    episode = EpisodeFactory(person=person, team=team, referral=referral, opened_by=coordinator)
    CoordinatorAllocationFactory(episode=episode, worker=coordinator, referral=referral)

    # The record overview: who is coordinating, and what is due for a new episode.
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("region", name="Care team").get_by_text("Casey Coordinator").wait_for()
    check(page, "record-before")

    # 1. Holistic needs assessment, from the record's Assessments tab.
    record_tabs = page.get_by_role("navigation", name="Record of Jordan Pathway")
    record_tabs.get_by_role("link", name="Assessments").click()
    check(page, "record-tab-assessments")
    page.get_by_role("link", name="Start a holistic needs assessment").click()
    page.get_by_role("heading", name="New holistic needs assessment").wait_for()
    check(page, "holistic-needs")
    fill_date(page.get_by_role("group", name="Date of assessment", exact=True), today)
    for domain in DOMAINS:
        group = page.get_by_role("group", name=domain, exact=True)
        group.get_by_label(
            "Yes" if domain in ("Mental health", "Relationships and family") else "No", exact=True
        ).check()
    mental_health = page.get_by_role("group", name="Mental health", exact=True)
    mental_health.get_by_label("What the person says").fill("I feel flat and stuck indoors (synthetic)")
    page.get_by_role("button", name="Complete and sign off").click()
    page.get_by_text("Holistic needs assessment completed", exact=True).wait_for()
    check(page, "holistic-needs-completed")

    # 2. Risk formulation.
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("link", name="Write a risk formulation").click()
    page.get_by_role("heading", name="Write a risk formulation").wait_for()
    check(page, "risk-write")
    page.get_by_label("History").fill("Overdose in 2021 after a relationship ended (synthetic)")
    page.get_by_label("Risk to self").fill("Thoughts of self-harm when alone at night (synthetic)")
    page.get_by_label("Risk to others").fill("None identified")
    page.get_by_label("Triggers").fill("Being alone at weekends (synthetic)")
    page.get_by_label("Protective factors").fill("Her cat; her sister's weekly visit (synthetic)")
    page.get_by_label("What helps").fill("Phoning her sister (synthetic)")
    page.get_by_label("Management plan").fill("Weekly visits; safety plan shared (synthetic)")
    fill_date(page, next_year)
    page.get_by_role("button", name="Save risk formulation").click()
    page.get_by_text("Risk formulation saved (revision 1)").wait_for()
    check(page, "risk-current")

    # 3. Care plan: need, goal in the person's words, intervention; agreement; sharing; "My plan".
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("link", name="All plans, and start a plan").click()
    page.get_by_role("button", name="Start a care plan").click()
    check(page, "care-plan-edit")
    page.locator("#id_need_0_need").fill("Stuck indoors and lonely since losing her job (synthetic)")
    page.locator("#id_need_0_goal").fill("I want to get out of the flat twice a week")
    page.locator("#id_need_0_int_0_what").fill("Go to the Thursday allotment group together")
    page.locator("#id_need_0_int_0_who").fill("Care coordinator")
    page.locator("#id_need_0_int_0_how_often").fill("Weekly for 8 weeks")
    fill_date(page, next_year)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    page.get_by_role("link", name="Record agreement").click()
    check(page, "care-plan-agree")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record agreement").click()
    page.get_by_text("Agreement recorded").wait_for()
    page.get_by_role("link", name="Record sharing").click()
    check(page, "care-plan-share")
    page.get_by_label("Their GP").check()
    page.get_by_label("Secure email (for example NHSmail)").check()
    page.get_by_role("button", name="Record sharing").click()
    page.get_by_text("Sharing recorded").wait_for()
    check(page, "care-plan-shared")
    page.get_by_role("link", name='Print "My plan" for Jo').click()
    page.get_by_text("Dear Jo,").wait_for()
    page.get_by_text("I want to get out of the flat twice a week").first.wait_for()
    check(page, "my-plan")

    # 4. CPA review, held today.
    page.goto(f"{page.base_url}/people/{person.pk}/reviews/")
    page.get_by_role("button", name="Record a review that has been held").click()
    page.get_by_role("heading", name="Record a review that has been held").wait_for()
    check(page, "review-record")
    page.get_by_label("CPA review").check()
    fill_date(page.get_by_role("group", name="Date held"), today)
    page.get_by_label("Yes").check()
    page.get_by_label("What has changed since the last review").fill(
        "Goes to the allotment most weeks (synthetic)"
    )
    page.get_by_label("Outcome", exact=True).fill("Step up to Assertive Outreach (synthetic)")
    fill_date(page.get_by_role("group", name="Next review date"), next_year)
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("CPA review recorded").wait_for()
    check(page, "review-recorded")

    # The overview now shows what the coordinator has done, in one place.
    page.goto(f"{page.base_url}/people/{person.pk}/")
    risk = page.get_by_role("region", name="Risk formulation")
    risk.get_by_text("Her cat; her sister's weekly visit (synthetic)").wait_for()
    assert risk.get_by_text(next_year.strftime("%-d %B %Y")).is_visible()
    plans = page.get_by_role("region", name="Plans")
    assert plans.get_by_text(next_year.strftime("%-d %B %Y")).first.is_visible()
    care_team = page.get_by_role("region", name="Care team")
    assert care_team.get_by_text("Casey Coordinator").is_visible()
    assert care_team.get_by_text("Care Programme Approach (CPA)", exact=False).is_visible()
    due = page.get_by_role("region", name="What is due")
    assert due.get_by_role("heading", name="What is due").is_visible()
    assert due.get_by_text("risk formulation", exact=False).count() == 0
    # The overview keeps to the first screen; everything else is on its tab.
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["Care team", "What is due", "Risk formulation", "Plans", "Appointments and contact"]
    check(page, "record-after-review")
    record_tabs = page.get_by_role("navigation", name="Record of Jordan Pathway")
    assert record_tabs.locator('[aria-current="page"]').inner_text().strip() == "Overview"
    tab_headings = {
        "Plans": ["Plans", "Reviews"],
        "Assessments": ["Assessments"],
        "Contacts and notes": ["Contacts and engagement", "Notes"],
        "Tasks": ["Delegated tasks"],
        "Referrals and episodes": ["Episodes of care", "Referrals", "Duty calls"],
        "Personal details": ["Personal details", "GP practice", "Teams", "Carers and relatives", "Alerts"],
    }
    for label, expected in tab_headings.items():
        record_tabs.get_by_role("link", name=label, exact=True).click()
        page.get_by_role("heading", level=1, name=label).wait_for()
        assert record_tabs.locator('[aria-current="page"]').inner_text().strip() == label
        assert page.locator("main h2").all_inner_texts() == expected, label
        check(page, "record-tab-" + label.lower().replace(" ", "-"))
    record_tabs.get_by_role("link", name="Risk", exact=True).click()
    assert record_tabs.locator('[aria-current="page"]').inner_text().strip() == "Risk"
    check(page, "record-tab-risk")
    record_tabs.get_by_role("link", name="Referrals and episodes", exact=True).click()
    episodes = page.get_by_role("region", name="Episodes of care")
    assert episodes.get_by_role("cell", name="Casey Coordinator").is_visible()

    # 5. Transfer to Assertive Outreach.
    episodes.get_by_role("link", name="North CMHT episode of care").click()
    page.get_by_role("link", name="Transfer to another team").click()
    check(page, "transfer-request")
    page.get_by_label("Team to transfer to").select_option(
        label="Assertive Outreach Team (Assertive Outreach)"
    )
    page.get_by_label("Step up (more support)").check()
    page.get_by_label("Reason for the transfer").fill(
        "Agreed at the CPA review: needs assertive outreach (synthetic)"
    )
    page.get_by_label("Handover summary").fill("Prefers afternoon visits; sister is the carer (synthetic)")
    page.get_by_role("button", name="Request transfer").click()
    page.get_by_text("The episode stays open until they decide").wait_for()
    check(page, "transfer-pending")
    sign_out(page)

    # 6. An Assertive Outreach worker accepts, and later discharges with a summary.
    sign_in(page, "ao.worker")
    page.goto(f"{page.base_url}/allocation/transfers/")
    page.get_by_role("link", name="PATHWAY, Jordan").click()
    check(page, "transfer-decision")
    page.get_by_label("Accept the transfer").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Transfer accepted").wait_for()
    check(page, "receiving-episode")
    page.get_by_role("link", name="Discharge", exact=True).click()
    check(page, "discharge")
    page.get_by_label("Planned and agreed").check()
    page.get_by_label("What happened while we worked together").fill(
        "We met weekly; Jo goes to the allotment group (synthetic)"
    )
    page.get_by_label("Current medication").fill("Sertraline 100mg each morning (synthetic)")
    page.get_by_label("Signs that things may be getting worse").fill("Staying in, not answering the phone")
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("has been discharged from Assertive Outreach Team").wait_for()
    check(page, "discharged")
    page.get_by_role("link", name="Discharge letter to Jo (print)").click()
    page.get_by_text("Dear Jo,").wait_for()
    check(page, "letter-to-person")

    page.goto(f"{page.base_url}/people/{person.pk}/record/episodes/")
    page.get_by_role("region", name="Episodes of care").get_by_text("No open episode of care.").wait_for()
    check(page, "record-after-discharge")

    assert [e.status for e in Episode.objects.order_by("pk")] == ["closed", "closed"]
    assert PlanRevision.objects.get().status == RevisionStatus.AGREED
    assert PlanShare.objects.get().recipient == "gp"
