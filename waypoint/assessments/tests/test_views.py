"""Assessment pages: start, save, complete, stale saves, read-only, corrections, list, record section."""

import html

import pytest
from django.urls import reverse

from waypoint.assessments.factories import AssessmentFactory, CarerAssessmentFactory
from waypoint.assessments.models import Assessment, Kind
from waypoint.audit.models import Action, AuditEvent
from waypoint.patients.factories import CarerFactory

pytestmark = pytest.mark.django_db
DATE = {"assessed_on_day": "3", "assessed_on_month": "11", "assessed_on_year": "2026"}


def new_url(person, kind):
    return reverse(f"assessments:new_{kind}", args=[person.pk])


@pytest.mark.parametrize("kind", [k for k, _ in Kind.choices])
def test_every_new_assessment_page_renders(coordinator_client, person, kind):
    CarerFactory(person=person)
    response = coordinator_client.get(new_url(person, kind))
    assert response.status_code == 200
    title = f"New {Kind(kind).label.lower()} – {person.full_name} – Waypoint".replace("'", "&#39;")
    assert title in response.content.decode()


def test_save_a_draft_then_complete_it(coordinator_client, coordinator, person):
    response = coordinator_client.post(
        new_url(person, "holistic"), {**DATE, "mental_health_says": "Low mood (synthetic)", "action": "draft"}
    )
    assessment = Assessment.objects.get(person=person)
    assert response.url == reverse("assessments:detail", args=[person.pk, assessment.pk])
    assert assessment.is_draft and assessment.answers["mental_health_says"] == "Low mood (synthetic)"
    page = coordinator_client.get(response.url).content.decode()
    assert "Low mood (synthetic)" in page and "Continue this draft" in page

    data = {**DATE, "version": "1", "action": "complete"}
    data.update(
        {
            f"{key}_need": "no"
            for key in (
                "mental_health",
                "physical_health",
                "medication",
                "substance_use",
                "accommodation",
                "finances",
                "employment",
                "relationships",
                "daily_living",
                "identity",
                "dependants",
                "carers",
            )
        }
    )
    data["mental_health_need"] = "yes"
    data["mental_health_says"] = "Low mood (synthetic)"
    response = coordinator_client.post(reverse("assessments:edit", args=[person.pk, assessment.pk]), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.completed_by == coordinator
    page = coordinator_client.get(response.url).content.decode()
    assert "Correct this assessment" in page and "Completed and signed off" in page


def test_validation_error_keeps_the_text(coordinator_client, person):
    response = coordinator_client.post(
        new_url(person, "holistic"), {"mental_health_says": "Kept words (synthetic)", "action": "draft"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Enter the date of assessment" in page and "Kept words (synthetic)" in page
    assert not Assessment.objects.exists()


def test_a_stale_save_is_refused_and_the_text_kept(coordinator_client, coordinator, person):
    assessment = AssessmentFactory(person=person, created_by=coordinator, version=2)
    url = reverse("assessments:edit", args=[person.pk, assessment.pk])
    response = coordinator_client.post(
        url, {**DATE, "version": "1", "mental_health_says": "Mine (synthetic)", "action": "draft"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this assessment" in page and "Mine (synthetic)" in page
    assert 'name="version" value="2"' in page
    assessment.refresh_from_db()
    assert assessment.version == 2


def test_a_completed_assessment_cannot_be_edited(coordinator_client, coordinator, person):
    assessment = AssessmentFactory(person=person, created_by=coordinator, completed=True)
    url = reverse("assessments:edit", args=[person.pk, assessment.pk])
    response = coordinator_client.post(url, {**DATE, "version": "1", "action": "draft"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_correcting_a_completed_assessment(coordinator_client, coordinator, person):
    earlier = AssessmentFactory(person=person, created_by=coordinator, completed=True)
    url = new_url(person, "holistic") + f"?replaces={earlier.pk}"
    page = coordinator_client.get(url).content.decode()
    assert "This corrects the holistic needs assessment" in page
    assert earlier.answers["mental_health_says"] in page  # copied in to correct
    response = coordinator_client.post(
        url, {**DATE, "mental_health_says": "Corrected (synthetic)", "action": "draft"}
    )
    correction = Assessment.objects.get(replaces=earlier)
    assert response.url == reverse("assessments:detail", args=[person.pk, correction.pk])
    page = coordinator_client.get(
        reverse("assessments:detail", args=[person.pk, earlier.pk])
    ).content.decode()
    assert "A correction is being written" in page


def test_record_belongs_to_the_person_in_the_url(coordinator_client, coordinator, person, team):
    from waypoint.patients.factories import TeamRegistrationFactory

    other = TeamRegistrationFactory(team=team).person
    assessment = AssessmentFactory(person=other, created_by=coordinator)
    assert (
        coordinator_client.get(reverse("assessments:detail", args=[person.pk, assessment.pk])).status_code
        == 404
    )
    revision = assessment.revisions.get()
    url = reverse("assessments:revision", args=[person.pk, assessment.pk, revision.pk])
    assert coordinator_client.get(url).status_code == 404


def test_outsider_gets_404(outsider_client, coordinator, person):
    assessment = AssessmentFactory(person=person, created_by=coordinator)
    for url in (
        reverse("assessments:list", args=[person.pk]),
        reverse("assessments:detail", args=[person.pk, assessment.pk]),
        new_url(person, "carer"),
    ):
        assert outsider_client.get(url).status_code == 404


def test_viewing_is_audited(coordinator_client, coordinator, person):
    assessment = AssessmentFactory(person=person, created_by=coordinator)
    coordinator_client.get(reverse("assessments:detail", args=[person.pk, assessment.pk]))
    event = AuditEvent.objects.filter(action=Action.VIEW, record_type="assessment").get()
    assert event.person == person and event.record_id == str(assessment.pk) and event.basis == "team"
    revision = assessment.revisions.get()
    page = coordinator_client.get(
        reverse("assessments:revision", args=[person.pk, assessment.pk, revision.pk])
    )
    assert page.status_code == 200


def test_carers_assessment_offer_then_complete(coordinator_client, coordinator, person):
    carer = CarerFactory(person=person, name="Synthetic Sister")
    url = new_url(person, "carer") + f"?carer={carer.pk}"
    page = coordinator_client.get(url).content.decode()
    assert f'value="{carer.pk}" selected' in page
    response = coordinator_client.post(
        url,
        {
            "carer": carer.pk,
            "offered_on_day": "1",
            "offered_on_month": "11",
            "offered_on_year": "2026",
            "response": "accepted",
            "action": "draft",
        },
    )
    assessment = Assessment.objects.get(kind=Kind.CARER)
    assert response.status_code == 302 and assessment.carer == carer
    carer.refresh_from_db()
    assert carer.carer_assessment == "offered"


def test_capacity_outcome_is_shown(coordinator_client, coordinator, person):
    answers = {"decision": "Whether to move house (synthetic)", "impairment": "no"}
    assessment = AssessmentFactory(person=person, created_by=coordinator, kind=Kind.CAPACITY, answers=answers)
    page = coordinator_client.get(
        reverse("assessments:detail", args=[person.pk, assessment.pk])
    ).content.decode()
    assert "Has capacity to make this decision" in page


def test_list_is_newest_first_with_a_fixed_number_of_queries(
    coordinator_client, coordinator, person, django_assert_max_num_queries
):
    url = reverse("assessments:list", args=[person.pk])
    AssessmentFactory(person=person, created_by=coordinator)
    with django_assert_max_num_queries(30) as baseline:
        coordinator_client.get(url)
    for _ in range(4):
        AssessmentFactory(person=person, created_by=coordinator, completed=True)
        CarerAssessmentFactory(person=person, created_by=coordinator)
    earlier = AssessmentFactory(person=person, created_by=coordinator, completed=True)
    AssessmentFactory(person=person, created_by=coordinator, replaces=earlier)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = coordinator_client.get(url).content.decode()
    assert page.count("Replaced") == 0  # the correction is still a draft
    assert page.count('class="nhsuk-table__row"') == 12  # 11 assessments and the header


def test_record_page_section_with_a_fixed_number_of_queries(
    coordinator_client, coordinator, person, django_assert_max_num_queries
):
    url = reverse("patients:record_assessments", args=[person.pk])
    carer = CarerFactory(person=person, name="Synthetic Sister")
    with django_assert_max_num_queries(60) as baseline:
        page = html.unescape(coordinator_client.get(url).content.decode())
    baseline_count = len(baseline.captured_queries)  # before the next request resets the log
    assert "Offer a carer's assessment" in page
    overview = html.unescape(
        coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    )
    assert "Carer's assessment not offered to Synthetic Sister" in overview  # the worklist provider
    CarerAssessmentFactory(person=person, carer=carer, created_by=coordinator)
    for _ in range(3):
        AssessmentFactory(person=person, created_by=coordinator, completed=True)
        CarerAssessmentFactory(person=person, created_by=coordinator)
        AssessmentFactory(person=person, created_by=coordinator, kind=Kind.CAPACITY, answers={})
    with django_assert_max_num_queries(baseline_count):
        page = html.unescape(coordinator_client.get(url).content.decode())
    assert "All assessments (10)" in page
    overview = html.unescape(
        coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
    )
    assert "Carer's assessment not offered to Synthetic Sister" not in overview


def test_referral_choices_are_described(coordinator_client, coordinator, person, team):
    from waypoint.referrals.factories import ReferralFactory

    referral = ReferralFactory(person=person, team=team, recorded_by=coordinator)
    page = coordinator_client.get(new_url(person, "initial") + f"?referral={referral.pk}").content.decode()
    assert f'value="{referral.pk}" selected' in page
    assert f"by {team.name} (waiting for triage)" in page


def test_the_carer_of_a_draft_cannot_be_swapped(coordinator_client, coordinator, person):
    assessment = CarerAssessmentFactory(person=person, created_by=coordinator)
    other = CarerFactory(person=person)
    url = reverse("assessments:edit", args=[person.pk, assessment.pk])
    response = coordinator_client.post(
        url,
        {
            "version": "1",
            "carer": other.pk,
            "offered_on_day": "1",
            "offered_on_month": "11",
            "offered_on_year": "2026",
            "response": "accepted",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.carer != other and assessment.version == 2


@pytest.mark.django_db
def test_odd_digits_in_the_query_string_are_ignored_not_a_server_error(coordinator_client, person):
    url = reverse("assessments:new_holistic", args=[person.pk])
    for value in ("²", "9" * 30):
        assert coordinator_client.get(url, {"replaces": value, "referral": value}).status_code == 200
