"""Reads of safeguarding concerns for pages, the banner, the team list and the worklist: a fixed
number of queries however many concerns there are."""

from django.db.models import Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.clocks.working_time import calendar_for_team
from waypoint.core.memo import per_request

from .models import Concern, ConcernAddendum

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
        .select_related("team", "raised_by", "closed_by", "entered_in_error_by")
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
