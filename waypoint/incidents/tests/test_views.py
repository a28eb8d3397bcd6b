"""Incidents: anyone reports; people are named only to staff who may see them; the manager
reviews, records the duty of candour and closes; the record line; the CSV; access and audit."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.incidents.factories import IncidentFactory, IncidentPersonFactory
from waypoint.incidents.models import Incident, IncidentAction, Status


def _report_post(person=None, **overrides):
    today = timezone.localdate()
    data = {
        "occurred_on_day": str(today.day),
        "occurred_on_month": str(today.month),
        "occurred_on_year": str(today.year),
        "occurred_time": "00:01",
        "location": "Home visit (synthetic)",
        "category": "violence",
        "harm": "moderate",
        "what_happened": "Shouted and threw a cup (synthetic)",
        "immediate_actions": "Left the house, called the police (synthetic)",
        "nhs_numbers": person.nhs_number if person else "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager(team):
    return make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north", first_name="Mo", last_name="Manager"
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.mark.django_db
class TestReport:
    def test_report_an_incident_naming_a_person(self, coordinator_client, coordinator, person, team):
        response = coordinator_client.post(
            reverse("incidents:report"), {**_report_post(person), "team": team.pk}
        )
        incident = Incident.objects.get()
        assert response["Location"] == reverse("incidents:detail", args=[incident.pk])
        assert [link.person for link in incident.people.all()] == [person]
        assert incident.reported_by == coordinator and incident.candour_required
        event = AuditEvent.objects.get(record_type=RecordType.INCIDENT, action=Action.CREATE)
        assert event.person == person and "what_happened" in event.fields_changed

    def test_bad_nhs_number_and_missing_fields_beside_the_fields(self, coordinator_client, team):
        page = coordinator_client.post(
            reverse("incidents:report"),
            {
                **_report_post(),
                "team": team.pk,
                "nhs_numbers": "123",
                "location": "",
                "occurred_time": "25:00",
            },
        ).content.decode()
        assert "<title>Error: " in page and "NHS number must be 10 digits" in page
        assert "Enter where it happened" in page and "Enter a time in the 24-hour clock" in page
        assert "Shouted and threw a cup" in page
        assert not Incident.objects.exists()

    def test_unknown_nhs_number_is_refused(self, coordinator_client, team):
        page = coordinator_client.post(
            reverse("incidents:report"), {**_report_post(), "team": team.pk, "nhs_numbers": "9434765919"}
        ).content.decode()
        assert "No one on Waypoint has NHS number 9434765919" in page


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_reporter_without_relationship_sees_the_incident_but_not_the_person(
        self, outsider_client, outsider, person, other_team
    ):
        incident = IncidentFactory(team=other_team, reported_by=outsider)
        IncidentPersonFactory(incident=incident, person=person)
        page = outsider_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
        assert "Slipped on a wet floor" in page
        assert person.full_name not in page and person.nhs_number not in page
        assert "A person on Waypoint whose record you cannot see" in page
        event = AuditEvent.objects.get(record_type=RecordType.INCIDENT, action=Action.VIEW)
        assert event.person is None

    def test_staff_with_a_relationship_see_the_person_and_it_is_audited_on_their_record(
        self, coordinator_client, coordinator, person, other_team, outsider
    ):
        incident = IncidentFactory(team=other_team, reported_by=outsider)
        IncidentPersonFactory(incident=incident, person=person)
        page = coordinator_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
        assert person.full_name in page
        event = AuditEvent.objects.get(record_type=RecordType.INCIDENT, action=Action.VIEW)
        assert (event.person, event.user) == (person, coordinator)

    def test_anyone_else_gets_404_and_nothing_audited(self, client, person, team, coordinator):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        stranger = make_staff(team=None, username="stranger")
        client.force_login(stranger)
        assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404
        assert not AuditEvent.objects.filter(record_type=RecordType.INCIDENT).exists()

    def test_the_record_tab_lists_the_incident(self, coordinator_client, person, team, coordinator):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        page = coordinator_client.get(reverse("patients:record_safety", args=[person.pk])).content.decode()
        assert incident.reference in page

    def test_only_the_manager_reviews(self, coordinator_client, coordinator, team):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        assert coordinator_client.get(reverse("incidents:review", args=[incident.pk])).status_code == 404
        assert coordinator_client.get(reverse("incidents:export")).status_code == 404


@pytest.mark.django_db
class TestReviewAndClose:
    def test_review_action_candour_then_close(self, manager_client, manager, person, team, coordinator):
        incident = IncidentFactory(team=team, reported_by=coordinator, harm="severe")
        IncidentPersonFactory(incident=incident, person=person)
        response = manager_client.post(
            reverse("incidents:review", args=[incident.pk]),
            {"version": incident.version, "findings": "Found (synthetic)", "lessons": "Learned (synthetic)"},
        )
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.status == Status.REVIEWED and incident.reviewed_by == manager
        due = timezone.localdate() + datetime.timedelta(days=7)
        manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]),
            {
                "what": "Lone working refresher",
                "owner": coordinator.pk,
                "about": person.pk,
                "due_on_day": due.day,
                "due_on_month": due.month,
                "due_on_year": due.year,
            },
        )
        action = IncidentAction.objects.get()
        assert action.owner == coordinator and action.task.person == person
        incident.refresh_from_db()
        page = manager_client.post(
            reverse("incidents:close", args=[incident.pk]), {"version": incident.version}
        ).content.decode()
        assert "duty of candour" in page
        today = timezone.localdate()
        manager_client.post(
            reverse("incidents:candour", args=[incident.pk]),
            {
                "version": incident.version,
                **{
                    f"candour_in_person_on_{k}": v
                    for k, v in (("day", today.day), ("month", today.month), ("year", today.year))
                },
                **{
                    f"candour_in_writing_on_{k}": v
                    for k, v in (("day", today.day), ("month", today.month), ("year", today.year))
                },
            },
        )
        incident.refresh_from_db()
        assert incident.candour_done
        manager_client.post(reverse("incidents:close", args=[incident.pk]), {"version": incident.version})
        incident.refresh_from_db()
        assert incident.is_closed
        assert AuditEvent.objects.filter(
            record_type=RecordType.INCIDENT, action=Action.COMPLETE, person=person
        ).exists()

    def test_the_reporter_may_mark_it_entered_in_error(self, coordinator_client, coordinator, team):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        coordinator_client.post(
            reverse("incidents:entered_in_error", args=[incident.pk]), {"reason": "Duplicate (synthetic)"}
        )
        incident.refresh_from_db()
        assert incident.entered_in_error and Incident.objects.filter(pk=incident.pk).exists()


@pytest.mark.django_db
class TestListsAndExport:
    def test_list_query_count_does_not_grow(
        self, manager_client, manager, team, django_assert_max_num_queries
    ):
        def add(n):
            for _ in range(n):
                incident = IncidentFactory(team=team, reported_by=manager)
                IncidentPersonFactory(incident=incident)

        add(2)
        with django_assert_max_num_queries(20) as few:
            manager_client.get(reverse("incidents:list"))
        add(8)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = manager_client.get(reverse("incidents:list")).content.decode()
        assert page.count("INC-") >= 10

    def test_csv_has_lfpse_fields_and_no_names(
        self, manager_client, team, person, coordinator, django_assert_max_num_queries
    ):
        incident = IncidentFactory(team=team, reported_by=coordinator, harm="moderate")
        IncidentPersonFactory(incident=incident, person=person)
        response = manager_client.get(reverse("incidents:export"))
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:7] == [
            "reference",
            "event_date",
            "event_time",
            "reported_date",
            "location",
            "category",
            "physical_harm",
        ]
        assert rows[1][0] == incident.reference and rows[1][6] == "Moderate harm" and rows[1][9] == "1"
        assert person.full_name not in response.content.decode()
        assert AuditEvent.objects.filter(
            record_type=RecordType.INCIDENT_EXPORT, action=Action.EXPORT
        ).exists()


def _action_post(owner, due=None, **extra):
    due = due or timezone.localdate() + datetime.timedelta(days=7)
    return {
        "what": "Lone working refresher (synthetic)",
        "owner": owner.pk,
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
        **extra,
    }


@pytest.mark.django_db
class TestActionsAsTasks:
    """A review action about a person named in the incident is a delegated task (tasks.services),
    in the owner's My tasks and on the person's worklist once it is overdue."""

    def test_an_action_about_a_named_person_is_a_task(
        self, manager_client, manager, person, team, coordinator
    ):
        from waypoint.tasks.models import Task

        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        page = manager_client.get(reverse("incidents:add_action", args=[incident.pk])).content.decode()
        assert "Make it a task about" in page and person.full_name in page
        response = manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]), _action_post(coordinator, about=person.pk)
        )
        assert response.status_code == 302
        action = IncidentAction.objects.get()
        task = Task.objects.get()
        assert action.task == task and task.person == person and task.assigned_to == coordinator
        assert task.assigned_by == manager and task.team == team and incident.reference in task.why
        assert AuditEvent.objects.filter(
            record_type=RecordType.TASK, action=Action.CREATE, person=person
        ).exists()
        incident_row = AuditEvent.objects.get(record_type=RecordType.INCIDENT, action=Action.CREATE)
        assert incident_row.person == person and set(incident_row.fields_changed) == {"actions", "task"}
        page = manager_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
        assert reverse("tasks:detail", args=[person.pk, task.pk]) in page

    def test_the_overdue_task_is_on_the_worklist(self, manager, person, team, coordinator):
        from waypoint.access.actor import Actor
        from waypoint.audit.models import Basis
        from waypoint.incidents import services
        from waypoint.worklist.registry import due_for

        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        services.add_action(
            by=Actor(manager, Basis.TEAM),
            incident=incident,
            what="Check the lone working rota (synthetic)",
            owner=coordinator,
            due_on=timezone.localdate(),
            person=person,
        )
        later = timezone.localdate() + datetime.timedelta(days=1)
        items = [
            item for item in due_for([person.pk], later)[person.pk] if item.kind == "delegated_task_overdue"
        ]
        assert len(items) == 1 and "Check the lone working rota" in items[0].what

    def test_an_owner_who_cannot_hold_tasks_is_refused_beside_the_field(
        self, manager_client, manager, person, team, coordinator
    ):
        from waypoint.tasks.models import Task

        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        page = manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]), _action_post(manager, about=person.pk)
        ).content.decode()
        assert "<title>Error: " in page and "cannot be given tasks in this team" in page
        assert "Lone working refresher (synthetic)" in page
        assert not IncidentAction.objects.exists() and not Task.objects.exists()

    def test_kept_on_the_incident_only(self, manager_client, manager, person, team, coordinator):
        from waypoint.tasks.models import Task

        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=person)
        manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]), _action_post(manager, about="none")
        )
        assert IncidentAction.objects.get().task is None and not Task.objects.exists()

    def test_no_person_named_means_no_task(self, manager_client, manager, team, coordinator):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        page = manager_client.get(reverse("incidents:add_action", args=[incident.pk])).content.decode()
        assert "Make it a task about" not in page and "is not a task" in page
        manager_client.post(reverse("incidents:add_action", args=[incident.pk]), _action_post(manager))
        assert IncidentAction.objects.get().task is None

    def test_a_person_the_manager_cannot_see_is_not_offered(
        self, manager_client, manager, team, other_team, coordinator
    ):
        from waypoint.patients.factories import TeamRegistrationFactory

        stranger = TeamRegistrationFactory(team=other_team).person
        incident = IncidentFactory(team=team, reported_by=coordinator)
        IncidentPersonFactory(incident=incident, person=stranger)
        manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]), _action_post(coordinator, about=stranger.pk)
        )
        assert IncidentAction.objects.get().task is None

    def test_a_past_due_date_is_refused(self, manager_client, team, coordinator):
        incident = IncidentFactory(team=team, reported_by=coordinator)
        page = manager_client.post(
            reverse("incidents:add_action", args=[incident.pk]),
            _action_post(coordinator, due=timezone.localdate() - datetime.timedelta(days=1)),
        ).content.decode()
        assert "Due by must be today or in the future" in page and not IncidentAction.objects.exists()


@pytest.mark.django_db
class TestServicesRequirePermission:
    def test_a_coordinator_cannot_review_or_add_actions_through_the_service(self, coordinator, team):
        from waypoint.access.actor import Actor
        from waypoint.accounts.permissions import PermissionRefused
        from waypoint.audit.models import Basis
        from waypoint.incidents import services

        incident = IncidentFactory(team=team, reported_by=coordinator)
        by = Actor(coordinator, Basis.TEAM)
        with pytest.raises(PermissionRefused):
            services.review_incident(by=by, incident=incident, findings="x", lessons="y", version=1)
        with pytest.raises(PermissionRefused):
            services.add_action(
                by=by, incident=incident, what="x", owner=coordinator, due_on=timezone.localdate()
            )
        assert not IncidentAction.objects.exists()

    def test_a_closed_incident_takes_no_candour_change(self, manager, team, coordinator):
        from waypoint.access.actor import Actor
        from waypoint.audit.models import Basis
        from waypoint.incidents import services

        incident = IncidentFactory(
            team=team, status=Status.CLOSED, reviewed_by=manager, closed_by=manager, closed_at=timezone.now()
        )
        with pytest.raises(services.IncidentError, match="closed"):
            services.record_candour(
                by=Actor(manager, Basis.TEAM),
                incident=incident,
                data={"candour_notes": "Later (synthetic)"},
                version=incident.version,
            )
