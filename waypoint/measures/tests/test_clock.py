"""NHS England's 4-week clock-stop (measures/four_week.py, the one calculation) for one referral, as a table of cases written from
NHS England's published logic (menh_bbrb 4-week waits): the clock stops at the LATEST of first
attended contact, first (baseline) outcome measure, first coded assessment and first agreed care
plan, only when all four are there, and only parts on or after the referral's receipt count."""

import datetime

import pytest
from django.utils import timezone

from waypoint.contacts.factories import CodedInterventionFactory
from waypoint.measures import four_week
from waypoint.measures.factories import MeasureFactory, phq9_answers
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status

pytestmark = pytest.mark.django_db

RECEIVED = timezone.localdate() - datetime.timedelta(days=40)


def day(offset):
    return RECEIVED + datetime.timedelta(days=offset)


def at(offset, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(hour)))


def start_of(offset):
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time.min))


def make_referral(person, team, coordinator, *, received=0, contact=None, assessment=None):
    return ReferralFactory(
        person=person,
        team=team,
        recorded_by=coordinator,
        received_at=at(received, 9),
        status=Status.IN_ASSESSMENT if contact is not None else Status.WAITING,
        first_contact_attended_at=contact,
        first_assessment_at=assessment,
    )


def agree_care_plan(person, team, coordinator, offset, plan=None):
    plan = plan or PlanFactory(person=person, team=team, created_by=coordinator)
    PlanRevisionFactory(plan=plan, agreed=True, agreed_on=day(offset))
    return plan


def record_measure(person, coordinator, offset, **kwargs):
    return MeasureFactory(person=person, recorded_by=coordinator, completed_on=day(offset), **kwargs)


# name, contact (day, hour), assessment (day, hour), care plan day, measure day, coded intervention
# day, expected stop
CASES = [
    ("measure last", (1, 10), (2, 10), 3, 5, None, start_of(5)),
    ("contact last", (6, 14), (2, 10), 3, 5, None, at(6, 14)),
    ("assessment last", (1, 10), (9, 10), 3, 5, None, at(9)),
    ("care plan last", (1, 10), (2, 10), 10, 5, None, start_of(10)),
    ("all on one day: the latest moment", (4, 10), (4, 11), 4, 4, None, at(4, 11)),
    ("measure on the day the referral arrived", (1, 10), (2, 10), 3, 0, None, start_of(3)),
    ("no attended contact", None, (2, 10), 3, 5, None, None),
    ("no coded assessment", (1, 10), None, 3, 5, None, None),
    ("no agreed care plan", (1, 10), (2, 10), None, 5, None, None),
    ("no outcome measure", (1, 10), (2, 10), 3, None, None, None),
    ("measure before the referral does not count", (1, 10), (2, 10), 3, -3, None, None),
    ("care plan before the referral does not count", (1, 10), (2, 10), -2, 5, None, None),
    ("nothing yet", None, None, None, None, None, None),
    # Part 4 is the EARLIER of an agreed care plan and a coded intervention.
    ("intervention before the care plan", (1, 10), (2, 10), 12, 5, 8, start_of(8)),
    ("care plan before the intervention", (1, 10), (2, 10), 3, 5, 8, start_of(5)),
    ("intervention, no care plan", (1, 10), (2, 10), None, 5, 8, start_of(8)),
    ("intervention before the referral does not count", (1, 10), (2, 10), None, 5, -4, None),
]


@pytest.mark.parametrize(
    ("name", "contact", "assessment", "plan", "measure", "intervention", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_clock_stop_cases(
    person, team, coordinator, name, contact, assessment, plan, measure, intervention, expected
):
    referral = make_referral(
        person,
        team,
        coordinator,
        contact=at(*contact) if contact else None,
        assessment=at(*assessment) if assessment else None,
    )
    if plan is not None:
        agree_care_plan(person, team, coordinator, plan)
    if measure is not None:
        record_measure(person, coordinator, measure)
    if intervention is not None:
        CodedInterventionFactory(person=person, team=team, recorded_by=coordinator, date=day(intervention))
    clock = four_week.clock_for(referral)
    assert clock.stopped_at == expected
    assert [p.label for p in clock.parts][1] == "First baseline outcome measure"


def test_a_second_referral_after_the_spell_ended_needs_its_own_measure(person, team, coordinator):
    first = make_referral(person, team, coordinator, contact=at(1), assessment=at(2))
    plan = agree_care_plan(person, team, coordinator, 3)
    record_measure(person, coordinator, 4)
    assert four_week.clock_for(first).stopped_at == start_of(4)
    first.status, first.closed_at = Status.CLOSED, at(4, 16)
    first.save(update_fields=["status", "closed_at"])
    # Received 6 days after the first ended: more than NHS England's 5 days' grace, a new spell.
    second = make_referral(person, team, coordinator, received=10, contact=at(11), assessment=at(12))
    agree_care_plan(person, team, coordinator, 13, plan=plan)  # a new agreed revision
    assert four_week.clock_for(second).stopped_at is None  # the measure of day 4 was before this spell
    record_measure(person, coordinator, 15, timing="review")
    assert four_week.clock_for(second).stopped_at == start_of(15)
    assert four_week.clock_for(first).stopped_at == start_of(4)  # the first referral keeps its first measure


def test_a_measure_that_cannot_be_scored_does_not_count(person, team, coordinator):
    referral = make_referral(person, team, coordinator, contact=at(1), assessment=at(2))
    agree_care_plan(person, team, coordinator, 3)
    answers = phq9_answers(10)
    answers["1"] = None
    record_measure(person, coordinator, 4, answers=answers)
    assert four_week.clock_for(referral).stopped_at is None


def test_a_corrected_measure_counts_through_its_replacement(person, team, coordinator):
    referral = make_referral(person, team, coordinator, contact=at(1), assessment=at(2))
    agree_care_plan(person, team, coordinator, 3)
    earlier = record_measure(person, coordinator, 4)
    record_measure(person, coordinator, 6, replaces=earlier, replacement_reason="Wrong date (synthetic)")
    assert four_week.clock_for(referral).stopped_at == start_of(6)


def test_the_referral_page_summary_uses_the_same_clock(coordinator_client, person, team, coordinator):
    from django.urls import reverse

    referral = make_referral(person, team, coordinator, contact=at(1), assessment=at(2))
    agree_care_plan(person, team, coordinator, 3)
    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Over 4 weeks" in page and "40 days waited" in page  # received 40 days ago, not stopped
    record_measure(person, coordinator, 20)
    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f"Stopped {day(20):%-d %B %Y}, 20 days after receipt (within 4 weeks)" in page
    assert "Over 4 weeks" not in page


def test_the_referral_page_shows_each_part_and_the_stop(coordinator_client, person, team, coordinator):
    from django.urls import reverse

    referral = make_referral(person, team, coordinator, contact=at(1), assessment=at(2))
    agree_care_plan(person, team, coordinator, 3)
    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "First baseline outcome measure" in page and "The 4-week clock has not stopped yet" in page
    record_measure(person, coordinator, 5)
    page = coordinator_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    # Days counted by dates, as NHS England's code does (received on day 0, stopped on day 5).
    assert f"The 4-week clock stopped on <strong>{day(5):%-d %B %Y}</strong>, 5 days after" in page
