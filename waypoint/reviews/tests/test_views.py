"""Review pages: plan, record with attendees, read-only once recorded, addenda, errors, access, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import CarerFactory, TeamRegistrationFactory
from waypoint.reviews.factories import HeldReviewFactory, ReviewAddendumFactory, ReviewFactory
from waypoint.reviews.models import Review


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _record_post(**overrides):
    data = {
        **_date("held_on", timezone.localdate()),
        "person_attended": "yes",
        "other_attendees": "Advocate (synthetic)",
        "what_changed": "Typed what changed",
        "outcome_summary": "Typed outcome",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestPlanAndRecord:
    def test_plan_a_review(self, coordinator_client, person, team):
        url = reverse("reviews:schedule", args=[person.pk])
        assert coordinator_client.get(url).status_code == 200
        day = timezone.localdate() + datetime.timedelta(days=14)
        response = coordinator_client.post(
            url, {"review_type": "cpa", "team": team.pk, **_date("scheduled_for", day)}
        )
        review = Review.objects.get()
        assert response["Location"] == reverse("reviews:detail", args=[person.pk, review.pk])
        assert (review.team, review.scheduled_for, review.review_type) == (team, day, "cpa")

    def test_plan_errors_are_shown_beside_the_fields(self, coordinator_client, person):
        past = timezone.localdate() - datetime.timedelta(days=3)
        page = coordinator_client.post(
            reverse("reviews:schedule", args=[person.pk]), _date("scheduled_for", past)
        ).content.decode()
        assert "<title>Error: " in page and "Choose the type of review" in page
        assert "Date planned must be today or in the future" in page

    def test_record_a_planned_review_with_attendees(self, coordinator_client, coordinator, person, team):
        colleague = make_staff(team=team, username="doc", first_name="Dana", last_name="Doctor")
        carer = CarerFactory(person=person, name="Synthetic Sister")
        review = ReviewFactory(person=person, team=team, scheduled_for=timezone.localdate())
        url = reverse("reviews:record", args=[person.pk, review.pk])
        page = coordinator_client.get(url).content.decode()
        assert "Synthetic Sister" in page and "Dana Doctor" in page
        response = coordinator_client.post(
            url, _record_post(carers=[carer.pk], staff=[coordinator.pk, colleague.pk])
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.is_held and review.person_attended is True
        assert set(review.staff.all()) == {coordinator, colleague} and list(review.carers.all()) == [carer]
        assert review.next_review_due.year == timezone.localdate().year + 1
        page = coordinator_client.get(reverse("reviews:detail", args=[person.pk, review.pk])).content.decode()
        assert "Typed outcome" in page and "Synthetic Sister" in page and "Add addendum" in page
        assert "Record this review" not in page

    def test_errors_keep_what_was_typed_and_the_boxes_ticked(self, coordinator_client, person, team):
        carer = CarerFactory(person=person)
        review = ReviewFactory(person=person, team=team)
        future = timezone.localdate() + datetime.timedelta(days=2)
        page = coordinator_client.post(
            reverse("reviews:record", args=[person.pk, review.pk]),
            _record_post(
                outcome_summary="", person_attended="", carers=[carer.pk], **_date("held_on", future)
            ),
        ).content.decode()
        assert "<title>Error: " in page
        assert "Enter the outcome of the review" in page and "Say whether the person attended" in page
        assert "Date held must be today or in the past" in page
        assert "Typed what changed" in page and f'value="{carer.pk}" checked' in page
        assert not Review.objects.held().exists()

    def test_next_review_date_must_be_after_the_date_held(self, coordinator_client, person, team):
        review = ReviewFactory(person=person, team=team)
        page = coordinator_client.post(
            reverse("reviews:record", args=[person.pk, review.pk]),
            _record_post(**_date("next_review_due", timezone.localdate() - datetime.timedelta(days=1))),
        ).content.decode()
        assert "Next review date must be after the date held" in page

    def test_a_recorded_review_is_read_only(self, coordinator_client, person, team):
        review = HeldReviewFactory(person=person, team=team, outcome_summary="Original outcome")
        url = reverse("reviews:record", args=[person.pk, review.pk])
        assert coordinator_client.get(url)["Location"] == reverse(
            "reviews:detail", args=[person.pk, review.pk]
        )
        page = coordinator_client.post(url, _record_post(outcome_summary="Late typing")).content.decode()
        assert "was recorded by" in page and "Late typing" in page
        review.refresh_from_db()
        assert review.outcome_summary == "Original outcome"

    def test_record_a_review_that_was_not_planned(self, coordinator_client, person, team):
        response = coordinator_client.post(
            reverse("reviews:record_new", args=[person.pk]),
            _record_post(review_type="care_plan", team=team.pk),
        )
        review = Review.objects.get()
        assert response["Location"] == reverse("reviews:detail", args=[person.pk, review.pk])
        assert review.review_type == "care_plan" and review.is_held


@pytest.mark.django_db
class TestAddenda:
    def test_add_an_addendum(self, coordinator_client, person, team):
        review = HeldReviewFactory(person=person, team=team)
        url = reverse("reviews:addendum", args=[person.pk, review.pk])
        coordinator_client.post(url, {"text": "Her sister also attended (synthetic)"})
        page = coordinator_client.get(reverse("reviews:detail", args=[person.pk, review.pk])).content.decode()
        assert "Her sister also attended (synthetic)" in page

    def test_an_empty_addendum_is_refused_beside_the_field(self, coordinator_client, person, team):
        review = HeldReviewFactory(person=person, team=team)
        page = coordinator_client.post(reverse("reviews:addendum", args=[person.pk, review.pk]), {"text": ""})
        assert "Enter the addendum" in page.content.decode() and "<title>Error: " in page.content.decode()


@pytest.mark.django_db
class TestListAccessAndAudit:
    def test_list_query_count_does_not_grow(
        self, coordinator_client, person, team, django_assert_max_num_queries
    ):
        HeldReviewFactory(person=person, team=team)
        url = reverse("reviews:list", args=[person.pk])
        with django_assert_max_num_queries(40) as baseline:
            coordinator_client.get(url)
        for _ in range(5):
            HeldReviewFactory(person=person, team=team)
            ReviewFactory(person=person, team=team)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            page = coordinator_client.get(url).content.decode()
        assert page.count("CPA review<span") == 11

    def test_detail_query_count_does_not_grow_with_attendees(
        self, coordinator_client, person, team, coordinator, django_assert_max_num_queries
    ):
        review = HeldReviewFactory(person=person, team=team)
        url = reverse("reviews:detail", args=[person.pk, review.pk])
        with django_assert_max_num_queries(40) as baseline:
            coordinator_client.get(url)
        review.carers.set([CarerFactory(person=person) for _ in range(4)])
        review.staff.set([make_staff(team=team) for _ in range(4)])
        for _ in range(3):
            ReviewAddendumFactory(review=review)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)

    @pytest.mark.parametrize("name", ["reviews:list", "reviews:schedule", "reviews:record_new"])
    def test_outsider_gets_404(self, outsider_client, person, name):
        assert outsider_client.get(reverse(name, args=[person.pk])).status_code == 404

    def test_a_review_of_another_person_is_404(self, coordinator_client, person, team):
        theirs = HeldReviewFactory(person=TeamRegistrationFactory(team=team).person, team=team)
        assert (
            coordinator_client.get(reverse("reviews:detail", args=[person.pk, theirs.pk])).status_code == 404
        )

    def test_viewing_a_review_is_audited(self, coordinator_client, person, team):
        review = HeldReviewFactory(person=person, team=team)
        coordinator_client.get(reverse("reviews:detail", args=[person.pk, review.pk]))
        event = AuditEvent.objects.filter(action="view").order_by("-id").first()
        assert (event.person, event.record_type, event.record_id) == (person, "review", str(review.pk))

    def test_record_section(self, coordinator_client, person, team):
        HeldReviewFactory(
            person=person,
            team=team,
            held_on=datetime.date(2025, 1, 10),
            next_review_due=timezone.localdate() - datetime.timedelta(days=5),
        )
        page = coordinator_client.get(reverse("patients:record_plans", args=[person.pk])).content.decode()
        section = page.split('id="reviews-heading"')[1].split("</section>")[0]
        assert "held 10 January 2025" in section and "Overdue" in section
