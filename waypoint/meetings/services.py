"""Writes to meetings. Each operation is atomic, takes the acting user, and audits (field names only).

`record_discussion` is the MDT step: in one transaction it saves the discussion, writes and signs
the MDT note in the person's record (notes.services, signed by the chair), delegates each action
as a task (tasks.services) and makes the allocation decided, if any (episodes.services: a care
coordinator for the open episode, or an allocation from the open referral). If any part is
refused, nothing is saved.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.episodes import services as episodes
from waypoint.episodes.models import AllocationKind
from waypoint.notes import services as notes
from waypoint.notes.models import NoteType
from waypoint.tasks import services as tasks

from .models import AgendaAddition, Discussion, Meeting, MeetingKind

ACTION = "run_mdt_meeting"


class MeetingError(Exception):
    """The meeting refuses this (the message is plain English for the page)."""


class AllocationRefused(MeetingError):
    """The allocation decided cannot be made (shown beside the allocation fields)."""

    field = "allocate_worker"


class DischargePlanRefused(MeetingError):
    """The planned discharge date cannot be recorded (shown beside its field)."""

    field = "discharge_planned_on"


@transaction.atomic
def plan_meeting(*, by: Actor, team, data: dict, attendees=()) -> Meeting:
    permissions.require(by, ACTION)
    meeting = Meeting.objects.create(
        team=team,
        kind=data["kind"],
        held_on=data["held_on"],
        starts_at=data.get("starts_at"),
        chair=data["chair"],
        guests=data.get("guests", ""),
        topic=data.get("topic", ""),
        planned_by=by.user,
    )
    meeting.attendees.set(attendees)
    audit.write(
        by,
        action=Action.CREATE,
        record_type=RecordType.MDT_MEETING,
        record_id=meeting.pk,
        fields_changed=["kind", "held_on", "chair", "attendees"] + (["guests"] if meeting.guests else []),
    )
    return meeting


@transaction.atomic
def save_reflective_notes(*, by: Actor, meeting: Meeting, notes_text: str) -> Meeting:
    """A reflective practice session's notes: no person is linked, and none may be."""
    permissions.require(by, ACTION)
    if not meeting.is_reflective:
        raise MeetingError("Only a reflective practice session has notes of its own.")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    current.notes = notes_text
    current.save(update_fields=["notes"])
    audit.write(
        by,
        action=Action.UPDATE,
        record_type=RecordType.MDT_MEETING,
        record_id=current.pk,
        fields_changed=["notes"],
    )
    return current


@transaction.atomic
def add_to_agenda(*, by: Actor, meeting: Meeting, person, reason: str) -> AgendaAddition:
    permissions.require(by, ACTION)
    if meeting.kind != MeetingKind.MDT:
        raise MeetingError("A reflective practice session has no people on its agenda.")
    if AgendaAddition.objects.filter(meeting=meeting, person=person).exists():
        raise MeetingError("This person is already on the agenda.")
    addition = AgendaAddition.objects.create(meeting=meeting, person=person, reason=reason, added_by=by.user)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.MDT_MEETING,
        record_id=meeting.pk,
        fields_changed=["agenda", "reason"],
    )
    return addition


def _note_text(
    meeting: Meeting,
    discussion: str,
    decisions: str,
    actions: list[dict],
    allocation: dict | None = None,
    discharge_planned_on=None,
) -> str:
    present = [meeting.chair.display_name + " (chair)"] + [
        member.display_name for member in meeting.attendees.all() if member.pk != meeting.chair_id
    ]
    if meeting.guests.strip():
        present += [line.strip() for line in meeting.guests.splitlines() if line.strip()]
    who = [f"- {a['what']}: {a['assigned_to'].display_name}, by {a['due_on']:%-d %B %Y}" for a in actions]
    return (
        f"Present:\n{', '.join(present)}\n\n"
        f"Discussion:\n{discussion}\n\n"
        f"Decisions and actions:\n{decisions}\n\n"
        f"Who will do what:\n{chr(10).join(who) or 'No actions'}\n"
        + (
            f"\nAllocated:\n{allocation['worker'].display_name} as "
            f"{AllocationKind(allocation['kind']).label.lower()}\n"
            if allocation
            else ""
        )
        + (f"\nDischarge planned for:\n{discharge_planned_on:%-d %B %Y}\n" if discharge_planned_on else "")
    )


def _plan_discharge(by: Actor, meeting: Meeting, person, planned_on):
    from waypoint.accounts.permissions import PermissionRefused

    from .selectors import open_episode_with

    episode = open_episode_with(person, meeting.team)
    if episode is None:
        raise DischargePlanRefused(
            f"{person.full_name} has no open episode of care with {meeting.team.name} to plan a discharge from."
        )
    try:
        episodes.plan_discharge(by=by, episode=episode, planned_on=planned_on)
    except PermissionRefused as exc:
        raise DischargePlanRefused(exc.message) from exc
    except (episodes.EpisodeProblem, episodes.NotATeamMember) as exc:
        raise DischargePlanRefused(str(exc) or "The discharge cannot be planned in this team.") from exc


def _allocate(by: Actor, meeting: Meeting, person, allocation: dict):
    """The allocation through the episodes services, with the chair as the acting user: a care
    coordinator joins the person's open episode with the team (`assign_care_coordinator`), or,
    with no open episode, is allocated from their open referral (`allocate`), as an assessing
    worker always is."""
    from waypoint.accounts.permissions import PermissionRefused

    from .selectors import open_episode_with, open_referral_to

    kind, worker = allocation["kind"], allocation["worker"]
    try:
        episode = open_episode_with(person, meeting.team) if kind == AllocationKind.CARE_COORDINATOR else None
        if episode is not None:
            return episodes.assign_care_coordinator(by=by, episode=episode, worker=worker)
        referral = open_referral_to(person, meeting.team)
        if referral is None:
            raise AllocationRefused(
                f"{person.full_name} has no open episode of care or referral with {meeting.team.name}, so "
                f"no {AllocationKind(kind).label.lower()} can be allocated here."
            )
        return episodes.allocate(by=by, referral=referral, worker=worker, kind=kind)
    except PermissionRefused as exc:
        raise AllocationRefused(exc.message) from exc
    except episodes.NotATeamMember as exc:
        raise AllocationRefused(f"{worker.display_name} is not a member of {meeting.team.name}.") from exc
    except episodes.EpisodeProblem as exc:
        raise AllocationRefused(str(exc)) from exc


@transaction.atomic
def record_discussion(
    *,
    by: Actor,
    meeting: Meeting,
    person,
    discussion: str,
    decisions: str,
    actions: list[dict],
    allocation: dict | None = None,
    discharge_planned_on=None,
) -> Discussion:
    """`actions`: [{"what", "assigned_to", "due_on"}]; `allocation`: {"kind", "worker"} or None;
    `discharge_planned_on`: a date to plan the discharge for (episodes.services.plan_discharge on
    the person's open episode with the team), or None. Only the chair records (and so signs)."""
    permissions.require(by, ACTION)
    if meeting.kind != MeetingKind.MDT:
        raise MeetingError("A reflective practice session records no person's details.")
    if by.user.pk != meeting.chair_id:
        raise MeetingError(
            f"Only the chair ({meeting.chair.display_name}) can record and sign the MDT discussion."
        )
    if Discussion.objects.filter(meeting=meeting, person=person).exists():
        raise MeetingError(
            "This person's discussion at this meeting is recorded already: add an addendum to the MDT note."
        )
    event_at = timezone.make_aware(
        datetime.datetime.combine(meeting.held_on, meeting.starts_at or datetime.time(9, 0))
    )
    event_at = min(event_at, timezone.now())
    note = notes.start_note(
        by=by, person=person, note_type=NoteType.MDT, team=meeting.team, event_at=event_at
    )
    text = _note_text(meeting, discussion, decisions, actions, allocation, discharge_planned_on)
    note = notes.sign_note(by=by, note=note, data={"text": text}, version=note.version)
    source = f"MDT meeting, {meeting.held_on:%-d %B %Y}"
    made = []
    for action in actions:
        try:
            made.append(
                tasks.delegate_task(
                    by=by,
                    person=person,
                    team=meeting.team,
                    assigned_to=action["assigned_to"],
                    data={
                        "what": action["what"],
                        "why": decisions[:2000],
                        "due_on": action["due_on"],
                        "source_description": source,
                    },
                )
            )
        except tasks.NotAssignable as exc:
            raise MeetingError(
                f"{action['assigned_to'].display_name} cannot be given tasks in this team."
            ) from exc
    allocated = [_allocate(by, meeting, person, allocation)] if allocation else []
    if discharge_planned_on is not None:
        _plan_discharge(by, meeting, person, discharge_planned_on)
    record = Discussion.objects.create(
        meeting=meeting,
        person=person,
        discussion=discussion,
        decisions=decisions,
        note=note,
        recorded_by=by.user,
    )
    record.tasks.set(made)
    record.allocations.set(allocated)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.MDT_DISCUSSION,
        record_id=record.pk,
        fields_changed=["discussion", "decisions", "note"]
        + (["tasks"] if made else [])
        + (["allocations"] if allocated else [])
        + (["discharge_planned_on"] if discharge_planned_on else []),
    )
    return record
