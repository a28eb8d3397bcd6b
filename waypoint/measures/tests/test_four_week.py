"""The 4-week clock for many referrals at once: parts done and to do, spells of overlapping
referrals (NHS England joins them: the clock runs from the first, any referral's part counts),
the waiting list's parts, the team's figures; fixed query counts; access and audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory
from waypoint.accounts.models import TeamType
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import CodedInterventionFactory
from waypoint.episodes.factories import EpisodeFactory
from waypoint.episodes.models import EpisodeStatus
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
from waypoint.referrals.models import Decision, Referral, Status

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


# Each case, written from NHS England's code (4w_waits_prep.py, adult community branch): the
# referrals (received day, end, contact, assessment), the care plan day, the measure day; the
# clock asked about (index), its start day and stop; a coded intervention day. A referral's end
# is None (open), a day (closed that day), ("rejected", day), ("discharged", day: the episode of
# care it led to was closed) or "in care" (its episode is still open). A contact is a day (at
# 10:00) or (day, hour); every referral is received at 09:00.
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
    (
        "closed on the day the next arrives: one spell",
        [(0, 10, 1, 2), (10, None, None, None)],
        3,
        5,
        1,
        0,
        start_of(5),
    ),
    # NHS England adds 5 days' grace to each end: a referral received up to the 5th day after the
    # spell's end joins it; from the 6th day it starts a new spell, which needs its own parts.
    ("received 5 days after the end: joins", [(0, 8, 1, 2), (13, None, None, None)], 3, 5, 1, 0, start_of(5)),
    ("received 6 days after the end: a new spell", [(0, 8, 1, 2), (14, None, None, None)], 3, 5, 1, 14, None),
    ("a new spell: its own parts", [(0, 8, 1, 2), (14, None, 15, 16)], 17, 18, 1, 14, start_of(18)),
    # The end of an accepted referral is the closing of the episode of care it led to.
    (
        "discharged: a later re-referral starts a new spell",
        [(0, ("discharged", 20), 1, 2), (30, None, None, None)],
        3,
        5,
        1,
        30,
        None,
    ),
    (
        "discharged: a re-referral within 5 days joins",
        [(0, ("discharged", 20), 1, 2), (25, None, None, None)],
        3,
        5,
        1,
        0,
        start_of(5),
    ),
    (
        "episode still open: the spell goes on",
        [(0, "in care", 1, 2), (35, None, None, None)],
        3,
        5,
        1,
        0,
        start_of(5),
    ),
    # Rejected referrals are in NHS England's spells too: a re-referral soon after joins them.
    (
        "rejected, re-referred within 5 days: one spell",
        [(0, ("rejected", 1), None, None), (5, None, 6, 7)],
        8,
        9,
        1,
        0,
        start_of(9),
    ),
    (
        "rejected, re-referred later: a new spell",
        [(0, ("rejected", 1), None, None), (7, None, 8, 9)],
        10,
        11,
        1,
        7,
        start_of(11),
    ),
    # Parts count between the spell's start and its end, both days included (not in the grace days).
    (
        "a care plan on the spell's last day counts",
        [(0, ("discharged", 10), 1, 2)],
        10,
        5,
        0,
        0,
        start_of(10),
    ),
    ("a care plan after the spell's end does not count", [(0, ("discharged", 10), 1, 2)], 12, 5, 0, 0, None),
    ("a measure after the spell's end does not count", [(0, ("discharged", 10), 1, 2)], 3, 11, 0, 0, None),
    (
        "an intervention after the end does not count",
        [(0, ("discharged", 10), 1, 2)],
        None,
        5,
        0,
        0,
        None,
        12,
    ),
    ("a contact after the end does not count", [(0, 10, 11, 2)], 3, 5, 0, 0, None),
    # Part 1 compares dates: a contact on the day received, before the receipt time, counts.
    ("a contact earlier on the day received counts", [(0, None, (0, 8), 2)], 3, 5, 0, 0, start_of(5)),
    # A measure before the spell's start does not count, even for a later referral in the spell.
    ("measure before the spell", [(5, None, 6, 7), (10, None, None, None)], 8, 2, 1, 5, None),
    # Parts in any order across the spell's referrals: the latest stops it.
    ("parts across the spell", [(0, None, None, 9), (3, None, 4, None)], 6, 2, 0, 0, at(9)),
    # Part 4 is the EARLIER of an agreed care plan and a coded intervention (last column).
    ("intervention before the care plan", [(0, None, 1, 2)], 12, 5, 0, 0, start_of(8), 8),
    ("care plan before the intervention", [(0, None, 1, 2)], 3, 5, 0, 0, start_of(5), 8),
    ("intervention, no care plan", [(0, None, 1, 2)], None, 5, 0, 0, start_of(8), 8),
    ("intervention before the referral does not count", [(5, None, 6, 7)], None, 8, 0, 5, None, 2),
    # An intervention under the first referral counts for the second of its spell.
    (
        "intervention across the spell",
        [(0, None, 1, 2), (10, None, None, None)],
        None,
        5,
        1,
        0,
        start_of(6),
        6,
    ),
]
SPELL_CASES = [case if len(case) == 8 else (*case, None) for case in SPELL_CASES]


def end_referral(referral, person, team, coordinator, end):
    """Give a referral its end, as Waypoint records it."""
    if end is None:
        return
    if end == "in care":
        EpisodeFactory(person=person, team=team, referral=referral, started_on=day(1), opened_by=coordinator)
        return
    how, when = end if isinstance(end, tuple) else ("closed", end)
    if how == "discharged":
        EpisodeFactory(
            person=person,
            team=team,
            referral=referral,
            started_on=day(1),
            opened_by=coordinator,
            status=EpisodeStatus.CLOSED,
            ended_on=day(when),
        )
        return
    referral.status = Status.REJECTED if how == "rejected" else Status.CLOSED
    referral.closed_at = at(when, 9)
    referral.save(update_fields=["status", "closed_at"])


@pytest.mark.parametrize(
    ("name", "referrals", "plan", "measure", "asked", "starts", "expected", "intervention"),
    SPELL_CASES,
    ids=[c[0] for c in SPELL_CASES],
)
def test_spells(
    person, team, coordinator, name, referrals, plan, measure, asked, starts, expected, intervention
):
    made = []
    for received, end, contact, assessment in referrals:
        if contact is not None and not isinstance(contact, tuple):
            contact = (contact, 10)
        referral = accepted(
            person,
            team,
            coordinator,
            received=received,
            contact=at(*contact) if contact is not None else None,
            assessment=at(assessment) if assessment is not None else None,
        )
        end_referral(referral, person, team, coordinator, end)
        made.append(referral)
    if plan is not None:
        agree_care_plan(person, team, coordinator, plan)
    record_measure(person, coordinator, measure)
    if intervention is not None:
        CodedInterventionFactory(person=person, team=team, recorded_by=coordinator, date=day(intervention))
    clock = four_week.clock_for(made[asked])
    assert timezone.localtime(clock.starts_at).date() == day(starts)
    assert clock.stopped_at == expected


# NHS England's scope (4w_waits_prep.py): aged 18 or over on the day the referral was received
# (AgeServReferRecDate >= 18), to a core community team type (A05, A06, A08, A09, A12, A13, A16,
# C03, C10). Each case: the team type, the 18th birthday (days after the referral's day; None: an
# adult of 46), and whether the standard counts the referral.
SCOPE_CASES = [
    ("community mental health team (A05)", TeamType.CMHT, None, True),
    ("assertive outreach (A08)", TeamType.ASSERTIVE_OUTREACH, None, True),
    ("complex rehabilitation (A09)", TeamType.COMPLEX_REHABILITATION, None, True),
    ("early intervention (A14) is out", TeamType.EARLY_INTERVENTION, None, False),
    ("crisis (A02) is out", TeamType.CRISIS, None, False),
    ("18 on the day referred", TeamType.CMHT, 0, True),
    ("18 the day after referred is out", TeamType.CMHT, 1, False),
    ("turned 18 a year before", TeamType.CMHT, -365, True),
]


@pytest.mark.parametrize(
    ("name", "team_type", "birthday", "counted"), SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES]
)
def test_scope(coordinator, name, team_type, birthday, counted):
    team = TeamFactory(name=f"Team {name}", team_type=team_type)
    born = datetime.date(1980, 5, 17)
    if birthday is not None:
        eighteenth = day(birthday)
        born = eighteenth.replace(year=eighteenth.year - 18)
    person = PersonFactory(date_of_birth=born)
    referral = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
    record_measure(person, coordinator, 3)
    agree_care_plan(person, team, coordinator, 4)
    clock = four_week.clock_for(referral)
    assert clock.in_scope is counted
    assert clock.stopped_at == start_of(4)  # the parts are still shown
    figures = four_week.team_figures([clock])
    assert (figures.referrals, figures.not_counted) == ((1, 0) if counted else (0, 1))


def test_a_referral_out_of_scope_joins_no_spell(person, team, coordinator):
    crisis = TeamFactory(name="Crisis team", team_type=TeamType.CRISIS)
    accepted(person, crisis, coordinator, received=0, contact=at(1))
    later = accepted(person, team, coordinator, received=10)
    assert four_week.clock_for(later).spell == [later]
    assert timezone.localtime(four_week.clock_for(later).starts_at).date() == day(10)


def test_the_waiting_list_over_4_weeks_follows_the_spell(coordinator_client, person, team, coordinator):
    """The waiting list's "4 weeks" column is the same clock: from the spell's start, by date."""
    accepted(person, team, coordinator, received=0, contact=at(1))  # open: the spell runs from day 0
    waiting = ReferralFactory(
        person=person,
        team=team,
        recorded_by=coordinator,
        status=Status.WAITING,
        decision=Decision.ACCEPT,
        received_at=at(30, 9),
    )
    url = reverse("referrals:waiting_list")
    page = coordinator_client.get(url).content.decode()
    assert "Over 4 weeks" in page  # 40 days since the spell began, though this referral is 10 days old
    csv = coordinator_client.get(url + "?format=csv").content.decode()
    assert csv.splitlines()[1].endswith(f"{day(28):%Y-%m-%d},Yes")
    assert four_week.clock_for(waiting).over_four_weeks


def test_clocks_for_many_is_a_fixed_number_of_queries(team, coordinator, django_assert_num_queries):
    def add():
        person = TeamRegistrationFactory(team=team).person
        referral = accepted(person, team, coordinator, contact=at(1), assessment=at(2))
        record_measure(person, coordinator, 3)
        agree_care_plan(person, team, coordinator, 4)
        return referral

    few = [add()]
    with django_assert_num_queries(4):  # spells, measures, care plans, coded interventions
        four_week.clocks_for(few)
    many = few + [add() for _ in range(4)]
    with django_assert_num_queries(4):  # spells, measures, care plans, coded interventions
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
        f"The 4-week clock stopped on <strong>{day(5):%-d %B %Y}</strong>, 5 days after the first referral"
        in page
    )
    assert first.pk != second.pk
    PersonFactory()  # nothing else needed


def test_the_pages_say_what_is_not_counted_and_when_a_spell_ended(coordinator_client, team, coordinator):
    young = TeamRegistrationFactory(
        team=team, person__date_of_birth=day(5).replace(year=day(5).year - 18)
    ).person
    under_18 = accepted(young, team, coordinator, contact=at(1))
    page = coordinator_client.get(reverse("measures:team_four_week")).content.decode()
    assert "1 referral in this period is not counted in these figures" in page and "Not counted" in page
    page = coordinator_client.get(reverse("referrals:detail", args=[under_18.pk])).content.decode()
    assert "aged 18 or over when referred, so this referral is not in the team" in page
    adult = TeamRegistrationFactory(team=team).person
    discharged = accepted(adult, team, coordinator, contact=at(1))
    end_referral(discharged, adult, team, coordinator, ("discharged", 10))
    page = coordinator_client.get(reverse("referrals:detail", args=[discharged.pk])).content.decode()
    assert f"The referral ended on {day(10):%-d %B %Y}" in page


def _same_clock(referral):
    """The report's reading of the referral's clock (`report_spells`: days worked out in SQL, no
    model instances) agrees with the pages' (`clock_for`)."""
    from django.db.models import Q

    clock = four_week.clock_for(referral)
    spells, not_counted = four_week.report_spells(Q(pk=referral.pk))
    if not clock.in_scope:
        assert (spells, not_counted) == ([], 1)
        return
    assert not_counted == 0 and len(spells) == 1
    spell = spells[0]
    assert [r.pk for r in spell.referrals] == [r.pk for r in clock.spell]
    assert spell.starts_on == clock.starts_on and spell.ends_on == clock.ends_on
    assert spell.done_on == [timezone.localtime(p.done_at).date() if p.done_at else None for p in clock.parts]
    assert spell.days_to_stop == clock.days_to_stop


@pytest.mark.parametrize(
    ("name", "referrals", "plan", "measure", "asked", "starts", "expected", "intervention"),
    SPELL_CASES,
    ids=[c[0] for c in SPELL_CASES],
)
def test_the_report_reads_the_same_clock(
    person, team, coordinator, name, referrals, plan, measure, asked, starts, expected, intervention
):
    # Each spell case as test_spells builds and checks it, then every referral's clock as the report reads it.
    test_spells(
        person, team, coordinator, name, referrals, plan, measure, asked, starts, expected, intervention
    )
    for referral in Referral.objects.filter(person=person):
        _same_clock(referral)


@pytest.mark.parametrize("hour", [0, 23])
def test_the_report_reads_local_days(person, team, coordinator, hour):
    """Just after midnight in British Summer Time is still the day before in UTC: the days the
    report works out in SQL are the local days, as the pages' (at 00:30 and at 23:30)."""
    summer = timezone.make_aware(datetime.datetime(2026, 6, 1, hour, 30))
    referral = ReferralFactory(
        person=person,
        team=team,
        recorded_by=coordinator,
        status=Status.IN_ASSESSMENT,
        decision=Decision.ACCEPT,
        received_at=summer,
        first_contact_attended_at=summer + datetime.timedelta(days=28),
        first_assessment_at=summer + datetime.timedelta(days=29),
    )
    _same_clock(referral)
    clock = four_week.clock_for(referral)
    assert clock.in_scope and clock.starts_on == datetime.date(2026, 6, 1)
    assert timezone.localtime(clock.parts[0].done_at).date() == datetime.date(2026, 6, 29)


@pytest.mark.parametrize(
    ("name", "team_type", "birthday", "counted"), SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES]
)
def test_the_report_reads_the_same_scope(coordinator, name, team_type, birthday, counted):
    test_scope(coordinator, name, team_type, birthday, counted)  # builds the case, checks the pages' clock
    _same_clock(Referral.objects.get(team__name=f"Team {name}"))


def test_report_spells_is_a_fixed_number_of_queries(team, coordinator, django_assert_num_queries):
    from django.db.models import Q

    # Five referrals with every part, as that test builds them (and checks `clocks_for`'s queries);
    # the report's queries do not grow with rows either (reports' test_report_queries_do_not_grow_with_rows).
    test_clocks_for_many_is_a_fixed_number_of_queries(team, coordinator, django_assert_num_queries)
    with django_assert_num_queries(4):  # the people's referrals, measures, care plans, interventions
        spells, not_counted = four_week.report_spells(Q(team=team))
    assert len(spells) == 5 and not_counted == 0 and all(s.days_to_stop == 4 for s in spells)


def test_every_page_of_the_waiting_list_shows_its_rows_clocks(
    coordinator_client, team, coordinator, settings
):
    """Only the shown page's rows have their 4-week clock worked out (the CSV has them all)."""
    from waypoint.referrals import views as referral_views

    people = [TeamRegistrationFactory(team=team).person for _ in range(3)]
    for person in people:
        ReferralFactory(
            person=person, team=team, recorded_by=coordinator, status=Status.WAITING, decision=Decision.ACCEPT
        )
    record_measure(people[2], coordinator, 41)
    url = reverse("referrals:waiting_list")
    original = referral_views.WAITING_LIST_PAGE_SIZE
    referral_views.WAITING_LIST_PAGE_SIZE = 2
    try:
        pages = [coordinator_client.get(url + f"?page={n}").content.decode() for n in (1, 2)]
    finally:
        referral_views.WAITING_LIST_PAGE_SIZE = original
    assert all(page.count("of 4 done") == rows for page, rows in zip(pages, (2, 1), strict=True))
    assert sum(page.count("1 of 4 done") for page in pages) == 1  # the measured person, once
    csv = coordinator_client.get(url + "?format=csv").content.decode()
    assert len(csv.strip().splitlines()) == 4  # a header and every row
