"""Reads of meetings, and the MDT agenda built from what is already in Waypoint, reusing each
app's own selectors: referrals waiting (referrals), people disengaged (contacts' engagement),
reviews overdue (reviews), transfers waiting for a decision (episodes), discharges planned for
the next four weeks (or planned and not yet done) and planned discharges of the last 14 days
(episodes), and people added by a team member with a reason. A fixed number of queries however
many people are on it (tests/test_agenda.py)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from waypoint.access.policy import open_record, visible_person_ids
from waypoint.accounts import permissions
from waypoint.accounts.models import Membership, User
from waypoint.accounts.permissions import Do
from waypoint.audit.models import RecordType
from waypoint.contacts.engagement import engagement_for
from waypoint.episodes.models import Discharge, DischargeKind
from waypoint.episodes.selectors import (
    open_episodes_for_teams,
    people_with_a_care_coordinator,
    planned_discharges,
    team_transfers,
)
from waypoint.patients.models import Person, TeamRegistration
from waypoint.referrals.models import Referral
from waypoint.referrals.selectors import waiting_list
from waypoint.reviews.selectors import next_review_dates_for

from .models import AgendaAddition, Discussion, Meeting

RECENT_DISCHARGE_DAYS = 14
PLANNED_DISCHARGE_DAYS = 28  # planned discharges coming up in the next four weeks


@dataclass
class AgendaRow:
    person: Person
    reasons: list[str] = field(default_factory=list)
    added: AgendaAddition | None = None
    discussion: Discussion | None = None


def meetings_of(team):
    return list(Meeting.objects.filter(team=team).select_related("chair").order_by("-held_on", "-id"))


def meeting_for_page(user, meeting_id):
    """The meeting, if the user is a current member of its team (or attended it); else 404."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id)
        .select_related("team", "chair", "planned_by")
        .prefetch_related("attendees")
        .first()
    )
    if meeting is None:
        raise Http404("No meeting found")
    if meeting.team_id not in user.current_team_ids() and user not in meeting.attendees.all():
        raise Http404("No meeting found")
    return meeting


def team_staff(team):
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


def agenda_for(meeting, user, today=None) -> list[AgendaRow]:
    """Everyone the MDT should discuss, with why, for people the user may see."""
    today = today or timezone.localdate()
    team = meeting.team
    reasons: dict[int, list[str]] = {}

    def add(person_id, reason):
        reasons.setdefault(person_id, []).append(reason)

    # People on the team's books (one query): the base for engagement and reviews.
    on_books = list(TeamRegistration.objects.current().filter(team=team).values_list("person_id", flat=True))

    waiting = list(waiting_list(team))
    allocated = people_with_a_care_coordinator([r.person_id for r in waiting]) if waiting else set()
    for referral in waiting:
        if referral.person_id not in allocated:
            add(
                referral.person_id,
                f"New referral waiting for allocation (received {referral.received_at:%-d %b %Y})",
            )

    for person_id, engagement in engagement_for(on_books, today).items():
        if engagement.disengaged:
            add(person_id, "Disengagement alert: " + "; ".join(engagement.reasons))

    for person_id, due in next_review_dates_for(on_books).items():
        if due < today:
            add(person_id, f"Review overdue (due {due:%-d %b %Y})")

    transfers = team_transfers(team, user=user)
    for transfer in transfers["incoming"] + transfers["outgoing"]:
        if transfer.status == "pending":
            add(transfer.person_id, f"Transfer to {transfer.to_team.name} waiting for a decision")

    for episode in planned_discharges(team, today + datetime.timedelta(days=PLANNED_DISCHARGE_DAYS)):
        planned = episode.discharge_planned_on
        if planned < today:
            add(episode.person_id, f"Discharge was planned for {planned:%-d %b %Y}: not yet discharged")
        else:
            add(episode.person_id, f"Discharge planned for {planned:%-d %b %Y}")

    since = today - datetime.timedelta(days=RECENT_DISCHARGE_DAYS)
    for discharge in Discharge.objects.filter(
        episode__team=team, kind=DischargeKind.PLANNED, discharged_on__gte=since
    ).only("person_id", "discharged_on"):
        add(discharge.person_id, f"Discharged as planned ({discharge.discharged_on:%-d %b %Y})")

    additions = {
        a.person_id: a for a in AgendaAddition.objects.filter(meeting=meeting).select_related("added_by")
    }
    for person_id, addition in additions.items():
        add(person_id, f"Added by {addition.added_by.display_name}: {addition.reason}")

    discussions = {d.person_id: d for d in Discussion.objects.filter(meeting=meeting)}
    for person_id in discussions:
        reasons.setdefault(person_id, [])

    people = Person.objects.filter(pk__in=list(reasons)).filter(pk__in=visible_person_ids(user))
    rows = [
        AgendaRow(
            person=person,
            reasons=reasons[person.pk],
            added=additions.get(person.pk),
            discussion=discussions.get(person.pk),
        )
        for person in people
    ]
    rows.sort(
        key=lambda row: (
            row.discussion is not None,
            row.person.family_name,
            row.person.given_name,
            row.person.pk,
        )
    )
    return rows


def discussions_of(meeting):
    return list(
        Discussion.objects.filter(meeting=meeting)
        .select_related("person", "note")
        .prefetch_related(Prefetch("tasks"), "tasks__assigned_to", "allocations__worker")
        .order_by("recorded_at", "id")
    )


def person_for_discussion(request, meeting, person_id):
    """Open the person's record for the MDT discussion (404 without a relationship, before auditing)."""
    return open_record(request, person_id, record_type=RecordType.MDT_DISCUSSION, audit_record_id=meeting.pk)


def discussion_of(meeting, person):
    return (
        Discussion.objects.filter(meeting=meeting, person=person)
        .select_related("note")
        .prefetch_related("allocations__worker")
        .first()
    )


def open_episode_with(person, team):
    """The person's open episode of care with the team, or None (one query)."""
    episodes = open_episodes_for_teams(person, [team.pk])
    return episodes[0] if episodes else None


def open_referral_to(person, team):
    """The person's latest open referral to the team, or None (one query)."""
    return Referral.objects.open().filter(person=person, team=team).order_by("-received_at", "-pk").first()


def may_hold_an_allocation(team):
    """The team's current members who may hold a care coordination or assessing allocation."""
    roles = permissions.roles_for(Do.HOLD_CARE_COORDINATION) | permissions.roles_for(Do.HOLD_ASSESSMENT)
    return team_staff(team).filter(roles__code__in=roles).distinct()


def person_by_nhs_number(user, nhs_number):
    """The person with this NHS number if the user may see them, else None (one query)."""
    return Person.objects.filter(nhs_number=nhs_number, pk__in=visible_person_ids(user)).first()


def visible_ids(user, person_ids) -> set[int]:
    """Which of these people the user may see now (one query)."""
    if not person_ids:
        return set()
    return set(
        Person.objects.filter(pk__in=list(person_ids))
        .filter(pk__in=visible_person_ids(user))
        .values_list("pk", flat=True)
    )
