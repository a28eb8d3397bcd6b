"""Reads of safeguarding concerns for pages, the banner, the team list and the worklist: a fixed
number of queries however many concerns there are."""

from django.db.models import Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.clocks.working_time import calendar_for_team
from waypoint.core.memo import per_request

from .models import Concern, ConcernAddendum, HouseholdMember

REFERRAL_OUTCOME_WORKING_DAYS = 10


@per_request
def concerns_for(person_ids) -> list[Concern]:
    """Every concern of these people, latest first (one query, shared within a request by the
    banner, the record section and the worklist provider)."""
    return list(
        Concern.objects.filter(person_id__in=list(person_ids))
        .select_related("team", "raised_by")
        .order_by("-raised_at", "-id")
    )


def concerns_of(person):
    return concerns_for([person.pk])


def concern_by_id(concern_id):
    return (
        Concern.objects.filter(pk=concern_id)
        .select_related("team", "raised_by", "closed_by", "entered_in_error_by", "household_link__member")
        .prefetch_related(Prefetch("addenda", queryset=ConcernAddendum.objects.select_related("written_by")))
        .first()
    )


def concern_for_page(request, person_id, concern_id):
    """Open the concern through the access policy (404 unless it is this person's and the user has
    a basis for them, before any audit row), then read it with its addenda. -> (Concern, RecordAccess)."""
    opened = open_record(
        request, person_id, model=Concern, record_id=concern_id, record_type=RecordType.SAFEGUARDING_CONCERN
    )
    return concern_by_id(concern_id), opened


def open_concern_banner(person, user):
    """The banner line: how many concerns are open and since when. One query (shared with the
    record section and the worklist); None when there are none."""
    found = [concern for concern in concerns_for([person.pk]) if concern.is_open]
    if not found:
        return None
    return {"count": len(found), "since": min(concern.raised_at for concern in found)}


def team_open_concerns(team):
    """Every open concern raised in the team, oldest first, with the person (one query)."""
    return list(
        Concern.objects.open()
        .filter(team=team)
        .select_related("person", "raised_by")
        .order_by("raised_at", "id")
    )


def working_days_after(day, days, calendar):
    for _ in range(days):
        day = calendar.next_working_day(day)
    return day


def referral_outcome_due(person_ids, today):
    """(concern, date the outcome was due) for referrals made with no outcome back yet. Two queries."""
    rows = sorted(
        (c for c in concerns_for(person_ids) if c.is_open and c.referred_on and not c.outcome_on),
        key=lambda c: (c.referred_on, c.pk),
    )
    if not rows:
        return []
    calendar = calendar_for_team(None)
    return [
        (row, working_days_after(row.referred_on, REFERRAL_OUTCOME_WORKING_DAYS, calendar)) for row in rows
    ]


@per_request
def household_of(person_id) -> list[HouseholdMember]:
    """Everyone recorded in the person's household, current first then ended, then entered in
    error (one query however many)."""
    rows = list(
        HouseholdMember.objects.filter(person_id=person_id).select_related("ended_by", "entered_in_error_by")
    )
    return sorted(rows, key=lambda m: (m.entered_in_error, m.ended_on is not None, m.name.lower(), m.pk))


def current_household_children(person_id) -> list[HouseholdMember]:
    return [member for member in household_of(person_id) if member.is_current]


def household_for_page(request, person_id):
    """The household list page: open the record through the access policy (404 unless the user has
    a basis for the person), then the household. -> (list, RecordAccess)."""
    opened = open_record(request, person_id, record_type=RecordType.SAFEGUARDING_HOUSEHOLD_MEMBER)
    return household_of(opened.person.pk), opened


def household_member_for_page(request, person_id, member_id):
    """One household member, opened through the access policy (404 unless it is this person's).
    -> (HouseholdMember, RecordAccess)."""
    opened = open_record(
        request,
        person_id,
        model=HouseholdMember,
        record_id=member_id,
        record_type=RecordType.SAFEGUARDING_HOUSEHOLD_MEMBER,
    )
    return HouseholdMember.objects.select_related("ended_by", "entered_in_error_by").get(pk=member_id), opened
