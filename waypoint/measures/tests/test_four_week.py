"""The 4-week clock for many referrals at once: parts done and to do, spells of overlapping
referrals (NHS England joins them: the clock runs from the first, any referral's part counts),
the waiting list's parts, the team's figures; fixed query counts; access and audit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.measures import four_week
from waypoint.measures.tests.test_clock import (
    agree_care_plan,
    at,
    day,
    make_referral,
    record_measure,
    start_of,
)
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Decision, Status

pytestmark = pytest.mark.django_db


def accepted(person, team, coordinator, **kwargs):
    referral = make_referral(person, team, coordinator, **kwargs)
    referral.decision = Decision.ACCEPT
    referral.save(update_fields=["decision"])
    return referral


def test_parts_done_and_to_do(person, team, coordinator):
    referral = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
    record_measure(person, coordinator, 5)
    clock = four_week.clock_for(referral)
    assert [p.key for p in clock.done] == ["attended_contact", "outcome_measure", "coded_assessment"]
    assert [p.key for p in clock.remaining] == ["agreed_care_plan"] and clock.stopped_at is None
    agree_care_plan(person, team, coordinator, 9)
    clock = four_week.clock_for(referral)
    assert clock.stopped_at == start_of(9) and clock.days_to_stop == 9 and clock.within_four_weeks


# Each case: the referrals (received day, closed day or None, contact day, assessment day), the
# care plan day, the measure day; the clock asked about (index), its start day and stop.
SPELL_CASES = [
    # A second referral while the first is open joins its spell: the clock runs from day 0 and the
    # first referral's contact and assessment count for the second.
    (
        "overlapping: one spell from the first",
        [(0, None, 1, 2), (10, None, None, None)],
        3,
        5,
        1,
        0,
        start_of(5),
    ),
    # The first was closed before the second arrived: two spells, the second needs its own parts.
    ("closed before: a new spell", [(0, 8, 1, 2), (10, None, None, None)], 3, 5, 1, 10, None),
    ("closed before: its own parts", [(0, 8, 1, 2), (10, None, 11, 12)], 13, 14, 1, 10, start_of(14)),
    # A measure before the spell's start does not count, even for a later referral in the spell.
    ("measure before the spell", [(5, None, 6, 7), (10, None, None, None)], 8, 2, 1, 5, None),
    # Parts in any order across the spell's referrals: the latest stops it.
    ("parts across the spell", [(0, None, None, 9), (3, None, 4, None)], 6, 2, 0, 0, at(9)),
    (
        "closed on the day the next arrives: one spell",
        [(0, 10, 1, 2), (10, None, None, None)],
        3,
        5,
        1,
        0,
        start_of(5),
    ),
]


@pytest.mark.parametrize(
    ("name", "referrals", "plan", "measure", "asked", "starts", "expected"),
    SPELL_CASES,
    ids=[c[0] for c in SPELL_CASES],
)
def test_spells(person, team, coordinator, name, referrals, plan, measure, asked, starts, expected):
    made = []
    for received, closed, contact, assessment in referrals:
        referral = accepted(
            person,
            team,
            coordinator,
            received=received,
            contact=at(contact) if contact is not None else None,
            assessment=at(assessment) if assessment is not None else None,
        )
        if closed is not None:
            referral.status = Status.CLOSED
            referral.closed_at = at(closed, 9)
            referral.save(update_fields=["status", "closed_at"])
        made.append(referral)
    agree_care_plan(person, team, coordinator, plan)
    record_measure(person, coordinator, measure)
    clock = four_week.clock_for(made[asked])
    assert timezone.localtime(clock.starts_at).date() == day(starts)
    assert clock.stopped_at == expected


def test_a_rejected_referral_starts_no_spell(person, team, coordinator):
    rejected = make_referral(person, team, coordinator, received=0)
    rejected.status = Status.REJECTED
    rejected.save(update_fields=["status"])
    later = accepted(person, team, coordinator, received=5)
    assert four_week.clock_for(later).spell == [later]
    assert four_week.clock_for(rejected).spell == [rejected]


def test_clocks_for_many_is_a_fixed_number_of_queries(team, coordinator, django_assert_num_queries):
    def add():
        person = TeamRegistrationFactory(team=team).person
        referral = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
        record_measure(person, coordinator, 3)
        agree_care_plan(person, team, coordinator, 4)
        return referral

    few = [add()]
    with django_assert_num_queries(3):
        four_week.clocks_for(few)
    many = few + [add() for _ in range(4)]
    with django_assert_num_queries(3):
        clocks = four_week.clocks_for(many)
    assert all(c.stopped_at == start_of(4) for c in clocks.values())


def test_the_waiting_list_shows_the_parts_with_flat_queries(
    coordinator_client, team, coordinator, django_assert_max_num_queries
):
    def add():
        person = TeamRegistrationFactory(team=team).person
        referral = ReferralFactory(
            person=person, team=team, recorded_by=coordinator, status=Status.WAITING, decision=Decision.ACCEPT
        )
        record_measure(person, coordinator, 41)
        return referral

    add()
    url = reverse("referrals:waiting_list")
    with django_assert_max_num_queries(60) as few:
        page = coordinator_client.get(url).content.decode()
    assert "4-week clock parts" in page and "1 of 4 done" in page
    assert "To do: first attended contact" in page and "Done: first baseline outcome measure" in page
    for _ in range(4):
        add()
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_the_teams_figures(coordinator_client, person, team, coordinator, django_assert_max_num_queries):
    stopped = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
    record_measure(person, coordinator, 3)
    agree_care_plan(person, team, coordinator, 20)
    other = TeamRegistrationFactory(team=team).person
    accepted(other, team, coordinator, received=1, contact=at(2))
    url = reverse("measures:team_four_week")
    with django_assert_max_num_queries(60) as few:
        page = coordinator_client.get(url).content.decode()
    assert "Stopped within 28 days" in page and "1 (50% of the referrals)" in page
    assert "20 days" in page  # the median of the one stopped clock
    assert stopped.person.listing_name in page and other.listing_name in page
    assert AuditEvent.objects.filter(
        record_type=RecordType.TEAM_CLOCK_FIGURES, action=Action.VIEW, record_id=str(team.pk)
    ).exists()
    for _ in range(4):
        more = TeamRegistrationFactory(team=team).person
        accepted(more, team, coordinator, contact=at(2), assessment=at(3))
        record_measure(more, coordinator, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)
    assert coordinator_client.get(url + "?period=nonsense").status_code == 200
    # After the counted requests (each request resets Django's query log).
    shorter = coordinator_client.get(url + "?period=28").content.decode()
    assert "No accepted referrals were received in this period" in shorter
    assert coordinator_client.get(url + "?team=abc").status_code == 404


def test_the_figures_show_only_the_users_teams_people(outsider_client, person, team, coordinator):
    accepted(person, team, coordinator, contact=at(1))
    page = outsider_client.get(reverse("measures:team_four_week")).content.decode()
    assert person.listing_name not in page
    assert outsider_client.get(reverse("measures:team_four_week") + f"?team={team.pk}").status_code == 404


def test_the_referral_page_shows_the_spell(coordinator_client, person, team, coordinator):
    first = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
    second = accepted(person, team, coordinator, received=10)
    page = coordinator_client.get(reverse("referrals:detail", args=[second.pk])).content.decode()
    assert "share one clock (a spell)" in page
    agree_care_plan(person, team, coordinator, 3)
    record_measure(person, coordinator, 5)
    page = coordinator_client.get(reverse("referrals:detail", args=[second.pk])).content.decode()
    assert (
        f"The 4-week clock stopped on <strong>{day(5):%d/%m/%Y}</strong>, 5 days after the first referral"
        in page
    )
    assert first.pk != second.pk
    PersonFactory()  # nothing else needed
