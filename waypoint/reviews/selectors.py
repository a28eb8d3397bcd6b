"""Reads of reviews for pages, the record section and the worklist: a fixed number of queries."""

from django.db.models import Min, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from waypoint.access.policy import open_record
from waypoint.accounts.models import Membership, Team, User
from waypoint.audit.models import RecordType
from waypoint.core.memo import per_request
from waypoint.episodes.selectors import care_coordination_started
from waypoint.patients.models import Carer

from .models import Review, ReviewAddendum


def reviews_of(person):
    return list(Review.objects.filter(person=person).select_related("team").order_by("-scheduled_for", "-id"))


def review_by_id(care_review_id):
    return (
        Review.objects.filter(pk=care_review_id)
        .select_related("team", "recorded_by", "scheduled_by")
        .prefetch_related(
            "carers",
            "staff",
            Prefetch("addenda", queryset=ReviewAddendum.objects.select_related("written_by")),
        )
        .first()
    )


def teams_for_scheduling(user):
    return Team.objects.filter(pk__in=user.current_team_ids()).order_by("name")


def carers_of(person):
    return Carer.objects.filter(person=person).order_by("name")


def team_staff(team):
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


@per_request
def review_dates_by_person(person_ids) -> dict[int, tuple]:
    """person_id -> (earliest scheduled review not yet held, the next review date set at the most
    recent held review) for everyone here with any review at all. One query, shared within a request."""
    latest_held_next = (
        Review.objects.held()
        .filter(person_id=OuterRef("person_id"))
        .order_by("-held_on", "-pk")
        .values("next_review_due")[:1]
    )
    rows = (
        Review.objects.filter(person_id__in=sorted(set(person_ids)))
        .order_by()
        .values("person_id")
        .annotate(
            due=Min("scheduled_for", filter=Q(held_on__isnull=True)),
            held_next=Subquery(latest_held_next),
        )
    )
    return {row["person_id"]: (row["due"], row["held_next"]) for row in rows}


def next_review_dates_for(person_ids):
    """person_id -> the date the next review is due: the earliest review scheduled and not yet
    held, or else the next review date set at the most recent held review. One query (shared)."""
    found = {}
    for person_id, (due, held_next) in review_dates_by_person(person_ids).items():
        if due is not None or held_next is not None:
            found[person_id] = due if due is not None else held_next
    return found


def first_review_dates_for(person_ids, exclude, now=None):
    """person_id -> when the first review is due, for people with a current care coordinator and no
    review at all (not in `exclude`): the start of the earliest current care coordination plus
    the team's review interval. Two queries, one of them shared with `next_review_dates_for` and
    one with the record's care team."""

    from .models import TeamReviewInterval, add_months, interval_months

    if not [pk for pk in person_ids if pk not in exclude]:
        return {}
    reviewed = set(review_dates_by_person(person_ids))
    rows = care_coordination_started(person_ids, now, exclude=set(exclude) | reviewed)
    if not rows:
        return {}
    months = dict(
        TeamReviewInterval.objects.filter(team_id__in={team_id for _, team_id, _ in rows}).values_list(
            "team_id", "months"
        )
    )
    default = interval_months(None)
    found = {}
    for person_id, team_id, started_at in rows:
        start = timezone.localtime(started_at).date()
        found.setdefault(person_id, add_months(start, months.get(team_id, default)))
    return found


def review_summary(person):
    """The last held review and the next review date, for the record page (three queries)."""
    last = Review.objects.latest_held().filter(person=person).select_related("team").first()
    upcoming = Review.objects.scheduled().filter(person=person).order_by("scheduled_for", "id").first()
    next_due = upcoming.scheduled_for if upcoming else (last.next_review_due if last else None)
    return {"last": last, "upcoming": upcoming, "next_due": next_due}


def team_staff_of_teams(teams):
    member_ids = Membership.objects.current().filter(team__in=teams).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


def review_for_page(request, person_id, care_review_id):
    """Open the review through the access policy, then read it with its staff, carers and addenda.

    `open_record` answers 404 unless the review is this person's and the user has a basis for them,
    before anything is audited; then it writes the one audit row. Returns (Review, RecordAccess).
    """
    opened = open_record(
        request, person_id, model=Review, record_id=care_review_id, record_type=RecordType.REVIEW
    )
    return review_by_id(care_review_id), opened
