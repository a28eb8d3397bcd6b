"""Synthetic safeguarding concerns, incidents and MDT meetings for the North CMHT (issue 13):
open and closed concerns about adults and children, an incident at each degree of harm, the
moderate-harm incident's review action as a task, two past MDT meetings with their discussions
(signed MDT notes and tasks) and one coming up (with a discharge planned for next week on its
agenda), and a reflective practice session. Running the command again adds no more."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind, Episode
from waypoint.incidents.models import Harm, Incident, IncidentAction, IncidentPerson, InvolvedRole
from waypoint.meetings.models import AgendaAddition, Discussion, Meeting, MeetingKind
from waypoint.notes.models import Note, NoteStatus, NoteType
from waypoint.safeguarding.models import (
    About,
    Concern,
    ConcernHouseholdLink,
    Consent,
    Decision,
    HouseholdMember,
    Status,
)
from waypoint.tasks.models import Task

# about, name, category, account, actions, days ago, referred days ago, decision, closed
CONCERNS = [
    (
        About.PERSON,
        "",
        "adult_financial",
        '"My nephew keeps my bank card and gives me £10 a week" (synthetic)',
        "Bank's fraud team phoned with her; card cancelled (synthetic)",
        20,
        18,
        "",
        False,
    ),
    (
        About.CHILD,
        "Synthetic Child A",
        "child_neglect",
        '"He has not been to school for two weeks" (synthetic)',
        "Spoke to the school's safeguarding lead the same day (synthetic)",
        6,
        5,
        "",
        False,
    ),
    (
        About.OTHER_ADULT,
        "Synthetic Neighbour",
        "adult_self_neglect",
        "Neighbour's flat very cold, no food seen (synthetic)",
        "Asked the person's consent to pass on; housing officer told (synthetic)",
        2,
        None,
        "",
        False,
    ),
    (
        About.PERSON,
        "",
        "adult_domestic",
        '"He pushed me against the door" (synthetic)',
        "Police called; safety plan updated (synthetic)",
        60,
        58,
        Decision.ADULT_S42,
        True,
    ),
    (
        About.CHILD,
        "Synthetic Child B",
        "child_emotional",
        "Shouting heard at the home visit (synthetic)",
        "Discussed with the safeguarding lead (synthetic)",
        90,
        88,
        Decision.CHILD_EARLY_HELP,
        True,
    ),
]

# category, harm, location, what happened, days ago, reviewed, closed
INCIDENTS = [
    (
        "fall",
        Harm.NONE,
        "Clinic waiting room",
        "Tripped on a loose mat, not hurt (synthetic)",
        2,
        False,
        False,
    ),
    ("violence", Harm.LOW, "Home visit", "Shouted and threw a cup at the wall (synthetic)", 9, False, False),
    (
        "medication",
        Harm.MODERATE,
        "Person's home",
        "Depot missed for three weeks; relapse followed (synthetic)",
        12,
        True,
        False,
    ),
    (
        "self_harm",
        Harm.SEVERE,
        "Person's home",
        "Overdose while waiting for the crisis team (synthetic)",
        30,
        True,
        True,
    ),
    ("death", Harm.DEATH, "Community", "Died unexpectedly; coroner informed (synthetic)", 45, True, True),
    ("information", Harm.NONE, "Office", "Letter sent to the wrong address (synthetic)", 4, False, False),
]


def _people(team, coordinator, count):
    return list(
        Allocation.objects.current()
        .filter(worker=coordinator, team=team, kind=AllocationKind.CARE_COORDINATOR)
        .values_list("person_id", flat=True)
        .order_by("person_id")[:count]
    )


def build_safeguarding_incidents_meetings(*, team, staff):
    coordinator, manager = staff["coordinator"], staff["manager"]
    if Concern.objects.filter(raised_by=coordinator).exists():
        return 0
    now = timezone.now()
    today = timezone.localdate()
    people = _people(team, coordinator, 12)
    if len(people) < 6:
        return 0

    concerns = []
    for index, (about, name, category, account, actions, ago, referred, decision, closed) in enumerate(
        CONCERNS
    ):
        concern = Concern(
            person_id=people[index % 3 if index < 3 else index],
            team=team,
            about=about,
            subject_name=name,
            subject_details="Aged 9, lives with the person (synthetic)" if about == About.CHILD else "",
            category=category,
            account=account,
            immediate_actions=actions,
            raised_by=coordinator,
            raised_at=now - timedelta(days=ago),
            consent=Consent.CONSENTS if referred else "",
            lead_consulted="Dr Safe Guarding-Lead (synthetic)" if referred else "",
            referred_on=today - timedelta(days=referred) if referred else None,
            referral_reference=f"LA-{2026000 + index}" if referred else "",
        )
        if decision:
            concern.decision = decision
            concern.decision_on = today - timedelta(days=referred - 7)
            concern.outcome = "Plan agreed with the person and the local authority (synthetic)"
            concern.outcome_on = today - timedelta(days=referred - 14)
        if closed:
            concern.status = Status.CLOSED
            concern.closed_by = manager
            concern.closed_at = now - timedelta(days=referred - 20)
            concern.closing_summary = "Enquiry ended; the plan is in place (synthetic)"
        concerns.append(concern)
    Concern.objects.bulk_create(concerns)

    # The children the concerns are about, recorded in their parent's household (and linked), and
    # a younger sibling of the first with no concern.
    for concern in concerns:
        if concern.about != About.CHILD:
            continue
        member = HouseholdMember.objects.create(
            person_id=concern.person_id,
            name=concern.subject_name,
            date_of_birth=today.replace(year=today.year - 9, day=1),
            relationship="Son",
            parental_responsibility=True,
            lives_with_person=True,
            agencies="Hillside Primary School (synthetic)",
            added_by=coordinator,
            added_at=concern.raised_at - timedelta(days=30),
        )
        ConcernHouseholdLink.objects.create(concern=concern, member=member)
        if concern.subject_name == "Synthetic Child A":
            HouseholdMember.objects.create(
                person_id=concern.person_id,
                name="Synthetic Child A2",
                age="4",
                relationship="Daughter",
                parental_responsibility=True,
                lives_with_person=False,
                agencies="Lives with her grandmother; health visitor (synthetic)",
                added_by=coordinator,
                added_at=concern.raised_at - timedelta(days=30),
            )

    links, to_close = [], []
    for index, (category, harm, where, what, ago, reviewed, closed) in enumerate(INCIDENTS):
        when = now - timedelta(days=ago)
        incident = Incident(
            team=team,
            occurred_at=when,
            location=f"{where} (synthetic)",
            category=category,
            harm=harm,
            what_happened=what,
            immediate_actions="Made safe; manager told the same day (synthetic)",
            reported_by=staff["support"] if index % 2 else coordinator,
            reported_at=when + timedelta(hours=2),
        )
        if reviewed:
            # Closed below, once the people named are added (a closed incident takes no more).
            incident.status = "reviewed"
            incident.findings = "Gaps in the handover between teams (synthetic)"
            incident.lessons = "Check depot dates at every MDT (synthetic)"
            incident.reviewed_by, incident.reviewed_at = manager, when + timedelta(days=4)
        if closed:
            incident.closed_by, incident.closed_at = manager, when + timedelta(days=10)
            to_close.append(incident)
        if harm in (Harm.SEVERE, Harm.DEATH):
            incident.candour_in_person_on = (when + timedelta(days=1)).date()
            incident.candour_in_writing_on = (when + timedelta(days=3)).date()
            incident.candour_notes = "Family told by the team manager, with an apology (synthetic)"
        incident.save()
        if category != "information":
            links.append(
                IncidentPerson(incident=incident, person_id=people[3 + index], role=InvolvedRole.AFFECTED)
            )
    IncidentPerson.objects.bulk_create(links)
    Incident.objects.filter(pk__in=[incident.pk for incident in to_close]).update(status="closed")
    # The moderate-harm incident's review gave the support worker an action about the person
    # named in it: a delegated task, as incidents.services.add_action makes it.
    moderate = next(link for link in links if link.incident.harm == Harm.MODERATE)
    task = Task.objects.create(
        person_id=moderate.person_id,
        team=team,
        assigned_to=staff["support"],
        assigned_by=manager,
        what="Check the depot clinic list against the MDT list (synthetic)",
        why=f"An action from the review of incident {moderate.incident.reference}.",
        due_on=today + timedelta(days=5),
        source_description=f"Incident {moderate.incident.reference} review",
    )
    IncidentAction.objects.create(
        incident=moderate.incident,
        what=task.what,
        owner=staff["support"],
        due_on=task.due_on,
        added_by=manager,
        task=task,
    )

    attendees = [coordinator, staff["socialworker"], staff["support"], manager]
    for weeks in (2, 1):
        held = today - timedelta(days=7 * weeks)
        meeting = Meeting.objects.create(
            team=team,
            held_on=held,
            starts_at=time(10, 0),
            chair=manager,
            guests="Dr Synthetic GP, GP liaison",
            planned_by=manager,
            planned_at=now - timedelta(days=7 * weeks + 6),
        )
        meeting.attendees.set(attendees)
        at = timezone.make_aware(datetime.combine(held, time(10, 30)))
        for person_id in people[weeks * 2 : weeks * 2 + 2]:
            text = (
                "Present:\nMorgan Demo-Manager (chair), Casey Demo-Coordinator, Sol Demo-Socialworker\n\n"
                "Discussion:\nMissed two visits; sister worried (synthetic).\n\n"
                "Decisions and actions:\nVisit jointly this week (synthetic).\n\n"
                "Who will do what:\n- Joint home visit: Sunny Demo-Support\n"
            )
            note = Note.objects.create(
                person_id=person_id,
                team=team,
                note_type=NoteType.MDT,
                event_at=at,
                text=text,
                status=NoteStatus.SIGNED,
                author=manager,
                created_at=at,
                updated_at=at,
                signed_by=manager,
                signed_at=at,
            )
            task = Task.objects.create(
                person_id=person_id,
                team=team,
                assigned_to=staff["support"],
                assigned_by=manager,
                what="Joint home visit",
                why="Decided at the MDT (synthetic)",
                due_on=held + timedelta(days=5),
                source_description=f"MDT meeting, {held:%-d %B %Y}",
                created_at=at,
            )
            discussion = Discussion.objects.create(
                meeting=meeting,
                person_id=person_id,
                discussion="Missed two visits; sister worried (synthetic).",
                decisions="Visit jointly this week (synthetic).",
                note=note,
                recorded_by=manager,
                recorded_at=at,
            )
            discussion.tasks.set([task])
    upcoming = Meeting.objects.create(
        team=team, held_on=today + timedelta(days=3), starts_at=time(10, 0), chair=manager, planned_by=manager
    )
    upcoming.attendees.set(attendees)
    # A discharge planned for next week: on the upcoming agenda.
    Episode.objects.open().filter(team=team, person_id=people[-1]).update(
        discharge_planned_on=today + timedelta(days=7)
    )
    AgendaAddition.objects.create(
        meeting=upcoming,
        person_id=people[0],
        reason="Financial abuse concern: plan with the family (synthetic)",
        added_by=coordinator,
    )
    reflective = Meeting.objects.create(
        team=team,
        kind=MeetingKind.REFLECTIVE,
        held_on=today - timedelta(days=4),
        chair=manager,
        topic="Working with people who do not want to be seen",
        planned_by=manager,
        notes="We talked about staying curious and how it feels when doors stay shut (synthetic).",
    )
    reflective.attendees.set(attendees)
    return len(concerns) + len(INCIDENTS)
