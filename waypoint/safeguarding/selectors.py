"""Reads of safeguarding concerns for pages, the banner, the team list and the worklist: a fixed
number of queries however many concerns there are."""

from django.db.models import Count, Min, Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.clocks.working_time import calendar_for_team

from .models import Concern, ConcernAddendum

REFERRAL_OUTCOME_WORKING_DAYS = 10


def concerns_of(person):
    return list(
        Concern.objects.filter(person=person)
        .select_related("team", "raised_by")
        .order_by("-raised_at", "-id")
    )


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
    """The banner line: how many concerns are open and since when. One query; None when there are none."""
    found = Concern.objects.open().filter(person=person).aggregate(count=Count("id"), since=Min("raised_at"))
    if not found["count"]:
        return None
    return {"count": found["count"], "since": found["since"]}


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
    rows = list(
        Concern.objects.open()
        .filter(person_id__in=person_ids, referred_on__isnull=False, outcome_on__isnull=True)
        .order_by("referred_on", "id")
        .only("id", "person_id", "referred_on", "about")
    )
    if not rows:
        return []
    calendar = calendar_for_team(None)
    return [
        (row, working_days_after(row.referred_on, REFERRAL_OUTCOME_WORKING_DAYS, calendar)) for row in rows
    ]
