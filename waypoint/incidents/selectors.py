"""Reads of incidents. Who may see an incident: its reporter, staff involved in it, the team
managers of its team, and staff with a relationship to a person named in it. A person named in
an incident is shown only to staff who may see that person's record; everyone else sees "a person
on Waypoint" with no name or NHS number. Lists use a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from waypoint.access.policy import visible_person_ids
from waypoint.accounts.models import Membership, RoleCode, User
from waypoint.clocks.working_time import calendar_for_team
from waypoint.core.memo import per_request
from waypoint.patients.models import Person

from .models import Incident, IncidentAction, IncidentAddendum, IncidentPerson

REVIEW_WORKING_DAYS = 5


def managed_team_ids(user) -> list[int]:
    return list(user.current_team_ids()) if user.has_role(RoleCode.TEAM_MANAGER) else []


def may_manage(user, incident) -> bool:
    return incident.team_id in managed_team_ids(user)


def visible_incidents(user):
    seen_people = IncidentPerson.objects.filter(person_id__in=visible_person_ids(user)).values("incident_id")
    return Incident.objects.filter(
        Q(reported_by=user)
        | Q(pk__in=Incident.staff_involved.through.objects.filter(user=user).values("incident_id"))
        | Q(team_id__in=managed_team_ids(user))
        | Q(pk__in=seen_people)
    )


def incident_for_page(user, incident_id):
    """The incident with its people (each marked `shown` when the user may see their record),
    staff, actions and addenda; 404 when the user may not see the incident. Fixed queries."""
    incident = (
        visible_incidents(user)
        .filter(pk=incident_id)
        .select_related("team", "reported_by", "reviewed_by", "closed_by", "entered_in_error_by")
        .prefetch_related(
            "staff_involved",
            Prefetch("people", queryset=IncidentPerson.objects.select_related("person").order_by("id")),
            Prefetch("actions", queryset=IncidentAction.objects.select_related("owner", "task")),
            Prefetch("addenda", queryset=IncidentAddendum.objects.select_related("written_by")),
        )
        .first()
    )
    if incident is None:
        raise Http404("No incident found")
    links = list(incident.people.all())
    allowed = set(
        Person.objects.filter(pk__in=visible_person_ids(user))
        .filter(pk__in=[link.person_id for link in links])
        .values_list("pk", flat=True)
    )
    for link in links:
        link.shown = link.person_id in allowed
    incident.links = links
    incident.shown_people = [link.person for link in links if link.shown]
    return incident


def _listed(queryset):
    return list(
        queryset.select_related("team", "reported_by")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("-occurred_at", "-id")
    )


def my_reports(user):
    return _listed(Incident.objects.filter(reported_by=user))


def team_incidents(team, *, open_only=False):
    queryset = Incident.objects.filter(team=team)
    if open_only:
        queryset = queryset.exclude(status="closed").filter(entered_in_error_at__isnull=True)
    return _listed(queryset)


def working_days_after(day, days, calendar):
    for _ in range(days):
        day = calendar.next_working_day(day)
    return day


def review_due_on(incident, calendar) -> object:
    return working_days_after(timezone.localtime(incident.reported_at).date(), REVIEW_WORKING_DAYS, calendar)


def mark_review_due(incidents, today):
    """Set `review_due` and `review_overdue` on each listed incident (one query for bank holidays)."""
    if not incidents:
        return incidents
    calendar = calendar_for_team(None)
    for incident in incidents:
        incident.review_due = review_due_on(incident, calendar)
        incident.review_overdue = (
            incident.status == "reported" and not incident.entered_in_error and (incident.review_due < today)
        )
    return incidents


@per_request
def incident_links_for(person_ids) -> list[IncidentPerson]:
    """Every incident naming these people, latest first (one query, shared within a request by the
    record section and the worklist provider)."""
    return list(
        IncidentPerson.objects.filter(person_id__in=list(person_ids))
        .select_related("incident")
        .order_by("-incident__occurred_at", "-incident_id")
    )


def incidents_of_person(person):
    """The incidents naming this person, for their record."""
    return [link.incident for link in incident_links_for([person.pk])]


def not_reviewed_for(person_ids):
    """(person_id, incident) for incidents naming these people that have not been reviewed."""
    links = [
        link
        for link in incident_links_for(person_ids)
        if link.incident.status == "reported" and not link.incident.entered_in_error
    ]
    links.sort(key=lambda link: (link.incident.reported_at, link.pk))
    return [(link.person_id, link.incident) for link in links]


def team_staff(team_ids):
    member_ids = Membership.objects.current().filter(team_id__in=team_ids).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


def people_by_nhs_number(numbers):
    """{nhs_number: Person} for these numbers (one query)."""
    return {person.nhs_number: person for person in Person.objects.filter(nhs_number__in=list(numbers))}


def export_rows(team):
    """Every incident of the team, with the people named (ages and sex only), for the LFPSE CSV."""
    return list(
        Incident.objects.filter(team=team)
        .select_related("reported_by")
        .prefetch_related(
            Prefetch("people", queryset=IncidentPerson.objects.select_related("person")),
            "staff_involved",
            "reported_by__roles",
        )
        .order_by("occurred_at", "id")
    )
