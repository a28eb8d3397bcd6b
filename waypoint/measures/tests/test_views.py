"""Measure pages: record, bad input kept beside the field, read-only, corrections, history, access
and audit, the safety prompt, the team list and fixed query counts."""

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.episodes.factories import EpisodeFactory
from waypoint.measures.factories import MeasureFactory, phq9_answers
from waypoint.measures.models import Measure
from waypoint.patients.factories import PersonFactory
from waypoint.risk.models import RiskFormulation

pytestmark = pytest.mark.django_db


def post_data(answers, **extra):
    today = timezone.localdate()
    data = {
        "timing": "baseline",
        "completed_on_day": str(today.day),
        "completed_on_month": str(today.month),
        "completed_on_year": str(today.year),
        "completed_by_who": "person",
        "mode": "with_person",
    }
    data.update({f"item_{k}": str(v) for k, v in answers.items() if v is not None})
    data.update(extra)
    return data


def new_url(person, code="phq9"):
    return reverse("measures:new", args=[person.pk, code])


@pytest.mark.parametrize("code", ["phq9", "gad7", "core10", "dialog", "gbo"])
def test_every_built_in_form_renders(coordinator_client, person, code):
    response = coordinator_client.get(new_url(person, code))
    assert response.status_code == 200


def test_core10_form_shows_the_unaltered_text_and_attribution(coordinator_client, person):
    page = coordinator_client.get(new_url(person, "core10")).content.decode()
    assert "I made plans to end my life" in page and "CORE System Trust" in page


def test_a_licensed_pack_is_not_offered_unless_switched_on(coordinator_client, person, settings):
    assert coordinator_client.get(new_url(person, "honos")).status_code == 404
    settings.WAYPOINT_MEASURE_LICENCES = "honos=RCPsych licence (synthetic)"
    page = coordinator_client.get(new_url(person, "honos")).content.decode()
    assert "Problems with depressed mood" in page and "RCPsych licence (synthetic)" in page


def test_record_a_phq9_scores_it_and_audits(coordinator_client, coordinator, person):
    response = coordinator_client.post(new_url(person), post_data(phq9_answers(16)))
    measure = Measure.objects.get(person=person)
    assert response.status_code == 302 and response.url == reverse(
        "measures:detail", args=[person.pk, measure.pk]
    )
    assert measure.total == 16 and measure.band == "Moderately severe" and measure.recorded_by == coordinator
    assert AuditEvent.objects.filter(
        action=Action.CREATE, record_type=RecordType.OUTCOME_MEASURE, record_id=str(measure.pk), person=person
    ).exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "Moderately severe" in page and "Baseline" in page


def test_bad_input_is_shown_beside_the_field_and_kept(coordinator_client, person):
    answers = phq9_answers(10)
    answers["4"] = None
    future = timezone.localdate() + datetime.timedelta(days=5)
    data = post_data(
        answers, item_1="7", completed_on_day=str(future.day), completed_on_month=str(future.month)
    )
    data["completed_on_year"] = str(future.year)
    response = coordinator_client.post(new_url(person), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Measure.objects.exists()
    assert "Select an answer to question 4" in page
    assert "Select one of the answers to question 1" in page
    assert "Date completed must be today or in the past" in page
    assert 'name="item_2" type="radio" value="3" checked' in page  # item 2's answer is kept


def test_core10_may_leave_one_item_but_not_two(coordinator_client, person):
    answers = {str(n): 1 for n in range(1, 11)}
    answers["10"] = None
    coordinator_client.post(new_url(person, "core10"), post_data(answers))
    measure = Measure.objects.get()
    assert (
        measure.prorated and str(measure.total) == "14.40"
    )  # 7 ones + two reversed 3s = 13 over 9 items, x 10
    answers["9"] = None
    response = coordinator_client.post(new_url(person, "core10"), post_data(answers))
    assert response.status_code == 200 and "Select an answer to question 9" in response.content.decode()


def test_a_recorded_measure_is_read_only_in_the_database(person, coordinator):
    measure = MeasureFactory(person=person, recorded_by=coordinator)
    with pytest.raises(DatabaseError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(band="Minimal")


def test_a_correction_replaces_the_measure_with_a_reason(coordinator_client, person, coordinator):
    earlier = MeasureFactory(person=person, recorded_by=coordinator, answers=phq9_answers(12))
    url = new_url(person) + f"?replaces={earlier.pk}"
    page = coordinator_client.get(url).content.decode()
    assert 'value="3" checked' in page  # copied from the earlier one
    response = coordinator_client.post(url, post_data(phq9_answers(14)))
    assert "Say why the measure is being corrected" in response.content.decode()
    coordinator_client.post(url, post_data(phq9_answers(14), reason="Item 3 entered wrongly (synthetic)"))
    replacement = Measure.objects.get(replaces=earlier)
    assert replacement.total == 14 and replacement.replacement_reason.startswith("Item 3")
    earlier.refresh_from_db()
    assert earlier.total == 12  # kept as it was
    page = coordinator_client.get(reverse("measures:detail", args=[person.pk, earlier.pk])).content.decode()
    assert "This measure was corrected" in page
    again = coordinator_client.get(url)
    assert again.status_code == 302  # already corrected


def test_history_shows_reliable_change_in_words(coordinator_client, person, coordinator):
    today = timezone.localdate()
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        answers=phq9_answers(20),
        completed_on=today - datetime.timedelta(days=90),
    )
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        timing="review",
        answers=phq9_answers(17),
        completed_on=today - datetime.timedelta(days=45),
    )
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        timing="review",
        answers=phq9_answers(9),
        completed_on=today - datetime.timedelta(days=1),
    )
    page = coordinator_client.get(reverse("measures:history", args=[person.pk, "phq9"])).content.decode()
    assert "No reliable change" in page and "Reliably improved" in page
    assert "reliably improved</strong>" in page  # the sentence above the table
    assert "10 or more: clinical range" in page


def test_safety_item_prompts_and_writes_nothing_to_risk(coordinator_client, person, coordinator):
    measure = MeasureFactory(person=person, recorded_by=coordinator, answers=phq9_answers(12, item9=1))
    before = RiskFormulation.objects.count()
    page = coordinator_client.get(reverse("measures:detail", args=[person.pk, measure.pk])).content.decode()
    assert "Talk about safety" in page and "It is not a risk score" in page
    assert (
        reverse("risk:current", args=[person.pk]) in page and reverse("plans:index", args=[person.pk]) in page
    )
    assert RiskFormulation.objects.count() == before
    calm = MeasureFactory(person=person, recorded_by=coordinator, answers=phq9_answers(12, item9=0))
    page = coordinator_client.get(reverse("measures:detail", args=[person.pk, calm.pk])).content.decode()
    assert "Talk about safety" not in page


@pytest.mark.parametrize("name", ["list", "detail", "history", "new"])
def test_no_relationship_404_before_any_audit_row(outsider_client, person, coordinator, name):
    measure = MeasureFactory(person=person, recorded_by=coordinator)
    args = {
        "list": [person.pk],
        "detail": [person.pk, measure.pk],
        "history": [person.pk, "phq9"],
        "new": [person.pk, "phq9"],
    }[name]
    before = AuditEvent.objects.count()
    assert outsider_client.get(reverse(f"measures:{name}", args=args)).status_code == 404
    assert AuditEvent.objects.count() == before


def test_another_persons_measure_is_404(coordinator_client, person, coordinator, team):
    other = PersonFactory()
    measure = MeasureFactory(person=other, recorded_by=coordinator)
    assert coordinator_client.get(reverse("measures:detail", args=[person.pk, measure.pk])).status_code == 404


@pytest.mark.parametrize("name", ["list", "detail", "history"])
def test_every_page_is_audited(coordinator_client, person, coordinator, name):
    measure = MeasureFactory(person=person, recorded_by=coordinator)
    args = {"list": [person.pk], "detail": [person.pk, measure.pk], "history": [person.pk, "phq9"]}[name]
    coordinator_client.get(reverse(f"measures:{name}", args=args))
    assert AuditEvent.objects.filter(
        action=Action.VIEW, person=person, record_type=RecordType.OUTCOME_MEASURE
    ).exists()


@pytest.mark.parametrize(
    "query", ["?replaces=abc", "?replaces=", "?replaces=99999999999999999999", "?replaces=-1"]
)
def test_odd_query_strings_are_not_a_500(coordinator_client, person, query):
    assert coordinator_client.get(new_url(person) + query).status_code == 404


def test_unknown_measure_is_404(coordinator_client, person):
    assert coordinator_client.get(new_url(person, "nope")).status_code == 404
    assert coordinator_client.get(reverse("measures:history", args=[person.pk, "nope"])).status_code == 404


def _many(person, coordinator, count):
    today = timezone.localdate()
    for n in range(count):
        MeasureFactory(
            person=person, recorded_by=coordinator, timing="review", code="gad7",
            answers={str(i): 1 for i in range(1, 8)}, completed_on=today - datetime.timedelta(days=n + 1),
        )  # fmt: skip


def test_history_query_count_does_not_grow(
    coordinator_client, person, coordinator, django_assert_max_num_queries
):
    _many(person, coordinator, 2)
    url = reverse("measures:history", args=[person.pk, "gad7"])
    coordinator_client.get(url)
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(url)
    _many(person, coordinator, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_list_query_count_does_not_grow(
    coordinator_client, person, coordinator, django_assert_max_num_queries
):
    _many(person, coordinator, 2)
    url = reverse("measures:list", args=[person.pk])
    coordinator_client.get(url)
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(url)
    _many(person, coordinator, 12)
    MeasureFactory(person=person, recorded_by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_team_list_shows_people_with_no_baseline(
    coordinator_client, person, coordinator, team, django_assert_max_num_queries
):
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    measured = PersonFactory()
    EpisodeFactory(person=measured, team=team, opened_by=coordinator)
    MeasureFactory(person=measured, recorded_by=coordinator, completed_on=timezone.localdate())
    url = reverse("measures:team_no_baseline")
    page = coordinator_client.get(url).content.decode()
    assert person.full_name in page and measured.full_name not in page
    assert AuditEvent.objects.filter(record_type=RecordType.TEAM_MEASURES, record_id=str(team.pk)).exists()
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(url)
    for _ in range(5):
        EpisodeFactory(person=PersonFactory(), team=team, opened_by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_history_chart_marks_the_cut_off_and_reliable_change(coordinator_client, person, coordinator):
    today = timezone.localdate()
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        answers=phq9_answers(20),
        completed_on=today - datetime.timedelta(days=60),
    )
    MeasureFactory(
        person=person, recorded_by=coordinator, timing="review", answers=phq9_answers(8), completed_on=today
    )
    page = coordinator_client.get(reverse("measures:history", args=[person.pk, "phq9"])).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Cut-off 10" in page and "10 or more: clinical range" in page
    assert "8 (Reliably improved)" in page  # the chart's data table says it in words


def test_measures_since_the_last_review(coordinator_client, person, coordinator, team):
    from waypoint.reviews.factories import HeldReviewFactory

    today = timezone.localdate()
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        answers=phq9_answers(20),
        completed_on=today - datetime.timedelta(days=90),
    )
    HeldReviewFactory(person=person, team=team, held_on=today - datetime.timedelta(days=30))
    MeasureFactory(
        person=person, recorded_by=coordinator, timing="review", answers=phq9_answers(12), completed_on=today
    )
    url = reverse("measures:since_review", args=[person.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Before the review: 20" in page and "reliably improved</strong>" in page
    assert AuditEvent.objects.filter(
        action=Action.VIEW, person=person, record_type=RecordType.OUTCOME_MEASURE
    ).exists()


def test_honos_records_not_known_and_asks_scale_8s_problem_type(coordinator_client, person, settings):
    settings.WAYPOINT_MEASURE_LICENCES = "honos=RCPsych licence (synthetic)"
    answers = {str(n): 2 for n in range(1, 13)}
    answers["3"] = 9
    response = coordinator_client.post(new_url(person, "honos"), post_data(answers))
    assert "Select which kind of problem scale 8 rates" in response.content.decode()
    coordinator_client.post(new_url(person, "honos"), post_data(answers, problem_type="B"))
    measure = Measure.objects.get()
    assert measure.total == 22 and measure.details["problem_type"] == "B"
    assert measure.subscales["behaviour"] == "4"
