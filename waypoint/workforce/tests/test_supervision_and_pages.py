"""Supervision (one-to-one, caseload, group), the team manager's page, the matrix, My development
and the training import: who sees what, and fixed query counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent, RecordType
from waypoint.notes.models import Note, NoteStatus
from waypoint.tasks.models import Task
from waypoint.workforce.factories import (
    AppraisalFactory,
    ApprovalFactory,
    CompletionFactory,
    CourseFactory,
    PlacementFactory,
    RegistrationFactory,
    SupervisionFactory,
)
from waypoint.workforce.models import CaseDiscussion, Supervision, TrainingCompletion

from .conftest import allocate_to

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


class TestSupervision:
    def test_supervisee_and_supervisor_see_everything_line_manager_only_that_it_happened(
        self, coordinator, manager, line_manager
    ):
        session = SupervisionFactory(
            supervisor=manager, supervisees=[coordinator], themes="Secret themes", actions="Book AMHP course"
        )
        url = reverse("workforce:supervision", args=[coordinator.pk, session.pk])
        for who in (coordinator, manager):
            assert "Secret themes" in _client(who).get(url).content.decode()
        page = _client(line_manager).get(url).content.decode()
        assert "Book AMHP course" in page and "Secret themes" not in page
        record = _client(line_manager).get(reverse("workforce:staff", args=[coordinator.pk])).content.decode()
        assert "Book AMHP course" in record and "Secret themes" not in record

    def test_a_supervisor_outside_the_line_sees_the_session_they_gave_only(self, coordinator, other_team):
        supervisor = make_staff(team=other_team, username="clinical.sup")
        session = SupervisionFactory(supervisor=supervisor, supervisees=[coordinator])
        client = _client(supervisor)
        assert (
            client.get(reverse("workforce:supervision", args=[coordinator.pk, session.pk])).status_code == 200
        )
        assert client.get(reverse("workforce:staff", args=[coordinator.pk])).status_code == 404

    def test_recorded_by_the_manager_and_overdue_by_policy(self, manager_client, coordinator, manager):
        SupervisionFactory(supervisor=manager, supervisees=[coordinator], held_on=TODAY - timedelta(weeks=10))
        page = manager_client.get(reverse("workforce:team")).content.decode()
        assert "Supervision overdue" in page and "Clinical supervision" in page
        data = {
            "kind": "clinical",
            "themes": "Workload",
            "actions": "Reduce caseload",
            **_date("held_on", TODAY),
        }
        data.update(_date("next_on", TODAY - timedelta(days=1)))
        url = reverse("workforce:supervision_new", args=[coordinator.pk])
        assert "must be after this one" in manager_client.post(url, data).content.decode()
        data.update(_date("next_on", TODAY + timedelta(weeks=4)))
        assert manager_client.post(url, data).status_code == 302
        session = Supervision.objects.latest("id")
        assert session.supervisor == manager and list(session.supervisees.all()) == [coordinator]
        row = AuditEvent.objects.get(record_type=RecordType.STAFF_SUPERVISION, action="create")
        assert row.record_id == str(coordinator.pk)

    def test_caseload_supervision_notes_each_person_and_actions_become_tasks(
        self, manager_client, coordinator, team
    ):
        first = allocate_to(coordinator, team, family_name="Discussed")
        second = allocate_to(coordinator, team, family_name="Notdiscussed")
        caseload = manager_client.get(
            reverse("worklist:coordinator", args=[coordinator.pk]) + f"?team={team.pk}"
        )
        link = reverse("workforce:caseload_supervision", args=[coordinator.pk])
        assert link in caseload.content.decode()
        assert manager_client.get(link + f"?team={team.pk}").status_code == 200
        data = {"team": str(team.pk), "themes": "Caseload", **_date("held_on", TODAY)}
        data.update({f"discussed_{first.pk}": "on", f"discussion_{first.pk}": "Agreed a review"})
        data.update(
            {
                f"action_{first.pk}": "Book a care plan review",
                **_date(f"due_{first.pk}", TODAY + timedelta(days=7)),
            }
        )
        data.update({f"discussion_{second.pk}": ""})
        response = manager_client.post(link, data)
        assert response.status_code == 302
        note = Note.objects.get(person=first)
        assert note.status == NoteStatus.SIGNED and "Agreed a review" in note.text
        assert not Note.objects.filter(person=second).exists()
        task = Task.objects.get(person=first)
        assert task.assigned_to == coordinator and task.what == "Book a care plan review"
        assert CaseDiscussion.objects.get().task == task
        assert AuditEvent.objects.filter(person=first, record_type=RecordType.NOTE).exists()

    def test_caseload_supervision_needs_someone_discussed(self, manager_client, coordinator, team):
        allocate_to(coordinator, team, family_name="Someone")
        link = reverse("workforce:caseload_supervision", args=[coordinator.pk])
        response = manager_client.post(
            link, {"team": str(team.pk), "themes": "Kept text", **_date("held_on", TODAY)}
        )
        body = response.content.decode()
        assert "Choose at least one person who was discussed" in body and "Kept text" in body

    def test_group_supervision(self, manager_client, coordinator, colleague, team):
        data = {
            "kind": "reflective",
            "supervisees": [str(coordinator.pk), str(colleague.pk)],
            **_date("held_on", TODAY),
        }
        assert (
            manager_client.post(reverse("workforce:group_supervision") + f"?team={team.pk}", data).status_code
            == 302
        )
        session = Supervision.objects.get()
        assert set(session.supervisees.all()) == {coordinator, colleague}
        assert (
            AuditEvent.objects.filter(record_type=RecordType.STAFF_SUPERVISION, action="create").count() == 2
        )


def _staff_with_records(team, manager, n):
    course = CourseFactory(name="Information governance", valid_for_months=12)
    CourseFactory(
        name="Safeguarding adults level 3", required_roles=[RoleCode.CARE_COORDINATOR], valid_for_months=36
    )
    for i in range(n):
        person = make_staff(team=team, username=f"bulk{n}.{i}")
        RegistrationFactory(staff=person, expires_on=TODAY + timedelta(days=20))
        ApprovalFactory(staff=person)
        AppraisalFactory(staff=person, appraiser=manager, next_due_on=TODAY - timedelta(days=3))
        CompletionFactory(staff=person, course=course, completed_on=TODAY - timedelta(days=400))
        SupervisionFactory(supervisor=manager, supervisees=[person], held_on=TODAY - timedelta(weeks=9))
        PlacementFactory(student=person, team=team, practice_supervisor=manager, practice_assessor=manager)


@pytest.mark.parametrize("url_name", ["workforce:team", "workforce:matrix"])
def test_fixed_query_count(url_name, manager_client, manager, team, django_assert_max_num_queries):
    _staff_with_records(team, manager, 1)
    with django_assert_max_num_queries(40) as one:
        assert manager_client.get(reverse(url_name)).status_code == 200
    _staff_with_records(team, manager, 12)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager_client.get(reverse(url_name))
    assert response.status_code == 200


def test_manager_page_shows_every_part_with_links(manager_client, manager, team):
    _staff_with_records(team, manager, 2)
    page = manager_client.get(reverse("workforce:team")).content.decode()
    for text in (
        "Supervision overdue",
        "Information governance",
        "0%",
        "Expires",
        "Appraisals due",
        "University of Testville",
    ):
        assert text in page, text
    assert "/registrations/" in page and "/appraisals/new/" in page and "/training/new/?course=" in page
    assert (
        AuditEvent.objects.filter(record_type=RecordType.WORKFORCE_TEAM, record_id=str(team.pk)).count() == 1
    )


def test_my_development(client, coordinator, manager):
    SupervisionFactory(supervisor=manager, supervisees=[coordinator], held_on=TODAY - timedelta(weeks=1))
    CourseFactory(name="Prevent")
    AppraisalFactory(staff=coordinator, appraiser=manager, development_plan="Leadership course")
    client.force_login(coordinator)
    page = client.get(reverse("workforce:my_development")).content.decode()
    assert "Next supervision due" in page and "Prevent" in page and "Leadership course" in page


CSV = "username,course,completed_on,evidence\ncc.north,Prevent,2026-01-05,LMS-1\nCC.NORTH,prevent,05/02/2026,LMS-2\n"


def test_import_command_and_page(coordinator, workforce_admin, tmp_path):
    CourseFactory(name="Prevent")
    path = tmp_path / "completions.csv"
    path.write_text(CSV)
    call_command("import_training_completions", str(path))
    assert TrainingCompletion.objects.filter(staff=coordinator).count() == 2
    call_command("import_training_completions", str(path))  # nothing added twice
    assert TrainingCompletion.objects.count() == 2
    client = _client(workforce_admin)
    bad = "username,course,completed_on\nnobody,Prevent,2026-01-05\ncc.north,Nope,2099-01-01\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("workforce:training_import"), {"file": SimpleUploadedFile("c.csv", bad.encode())}
    )
    body = response.content.decode()
    assert "nothing was imported" in body and "Row 2: no member of staff" in body and "in the future" in body
    assert AuditEvent.objects.filter(record_type=RecordType.STAFF_TRAINING).count() == 1


def test_course_catalogue(workforce_admin):
    client = _client(workforce_admin)
    data = {
        "name": "Mental Capacity Act",
        "required_roles": ["care_coordinator", "amhp"],
        "valid_for_months": "36",
        "is_active": "on",
    }
    assert client.post(reverse("workforce:course_new"), data).status_code == 302
    assert "Mental Capacity Act" in client.get(reverse("workforce:courses")).content.decode()
