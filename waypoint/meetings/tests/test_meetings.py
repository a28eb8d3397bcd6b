"""MDT meetings: plan, the agenda built from Waypoint, the chair's discussion becoming a signed MDT
note and tasks in one step, printable minutes, reflective practice with no person, access, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.meetings.factories import MeetingFactory
from waypoint.meetings.models import AgendaAddition, Discussion, Meeting, MeetingKind
from waypoint.notes.models import Note, NoteStatus, NoteType
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status as ReferralStatus
from waypoint.reviews.factories import ReviewFactory
from waypoint.tasks.models import Task


@pytest.fixture
def worker(team):
    return make_staff(
        team=team, roles=[RoleCode.SUPPORT_WORKER], username="sw", first_name="Sam", last_name="Support"
    )


@pytest.mark.django_db
class TestPlanAndAgenda:
    def test_plan_a_meeting(self, coordinator_client, coordinator, team, worker):
        day = timezone.localdate() + datetime.timedelta(days=2)
        response = coordinator_client.post(
            reverse("meetings:plan"),
            {
                "kind": "mdt",
                "held_on_day": day.day,
                "held_on_month": day.month,
                "held_on_year": day.year,
                "starts_at": "10:00",
                "chair": coordinator.pk,
                "attendees": [coordinator.pk, worker.pk],
                "guests": "Dr Guest, GP (synthetic)",
            },
        )
        meeting = Meeting.objects.get()
        assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
        assert set(meeting.attendees.all()) == {coordinator, worker} and meeting.team == team

    def test_plan_errors_beside_the_fields(self, coordinator_client):
        page = coordinator_client.post(
            reverse("meetings:plan"), {"guests": "Typed guest", "starts_at": "9am"}
        ).content.decode()
        assert (
            "<title>Error: " in page and "Choose the type of meeting" in page and "Choose the chair" in page
        )
        assert "Typed guest" in page

    def test_agenda_is_built_from_waypoint(self, coordinator_client, coordinator, person, team):
        waiting = ReferralFactory(team=team, status=ReferralStatus.WAITING)
        ReviewFactory(
            person=person, team=team, scheduled_for=timezone.localdate() - datetime.timedelta(days=5)
        )
        added = TeamRegistrationFactory(team=team).person
        meeting = MeetingFactory(team=team, chair=coordinator)
        response = coordinator_client.post(
            reverse("meetings:add_person", args=[meeting.pk]),
            {"nhs_number": added.nhs_number, "reason": "Housing worries"},
        )
        assert response.status_code == 302 and AgendaAddition.objects.get().person == added
        page = coordinator_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert waiting.person.full_name in page and "New referral waiting for allocation" in page
        assert person.full_name in page and "Review overdue" in page
        assert added.full_name in page and "Housing worries" in page

    def test_adding_someone_the_user_cannot_see_is_refused(
        self, coordinator_client, coordinator, team, other_team
    ):
        stranger = TeamRegistrationFactory(team=other_team).person
        meeting = MeetingFactory(team=team, chair=coordinator)
        page = coordinator_client.post(
            reverse("meetings:add_person", args=[meeting.pk]),
            {"nhs_number": stranger.nhs_number, "reason": "Typed reason"},
        ).content.decode()
        assert "No one your team is working with has this NHS number" in page and "Typed reason" in page
        assert not AgendaAddition.objects.exists()

    def test_agenda_query_count_does_not_grow(
        self, coordinator_client, coordinator, team, django_assert_max_num_queries
    ):
        meeting = MeetingFactory(team=team, chair=coordinator)

        def add(n):
            for _ in range(n):
                registration = TeamRegistrationFactory(team=team)
                ReviewFactory(
                    person=registration.person,
                    team=team,
                    scheduled_for=timezone.localdate() - datetime.timedelta(days=3),
                )
                ReferralFactory(team=team, status=ReferralStatus.WAITING)
                AgendaAddition.objects.create(
                    meeting=meeting, person=registration.person, reason="r", added_by=coordinator
                )

        add(2)
        with django_assert_max_num_queries(60) as few:
            coordinator_client.get(reverse("meetings:detail", args=[meeting.pk]))
        add(6)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = coordinator_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert page.count("Record discussion") >= 16


@pytest.mark.django_db
class TestDiscussion:
    def _post(self, worker):
        due = timezone.localdate() + datetime.timedelta(days=7)
        return {
            "discussion": "Sleeping better (synthetic)",
            "decisions": "Continue weekly visits (synthetic)",
            "action_1_what": "Visit with housing officer",
            "action_1_who": worker.pk,
            "action_1_due_day": due.day,
            "action_1_due_month": due.month,
            "action_1_due_year": due.year,
        }

    def test_chair_saves_a_signed_mdt_note_and_tasks_in_one_step(
        self, coordinator_client, coordinator, person, team, worker
    ):
        meeting = MeetingFactory(team=team, chair=coordinator)
        url = reverse("meetings:discuss", args=[meeting.pk, person.pk])
        assert coordinator_client.get(url).status_code == 200
        response = coordinator_client.post(url, self._post(worker))
        assert response.status_code == 302
        discussion = Discussion.objects.get()
        note = discussion.note
        assert (note.note_type, note.status, note.signed_by, note.person) == (
            NoteType.MDT,
            NoteStatus.SIGNED,
            coordinator,
            person,
        )
        assert "Sleeping better" in note.text and "Visit with housing officer" in note.text
        task = Task.objects.get()
        assert (task.assigned_to, task.person, task.what) == (worker, person, "Visit with housing officer")
        assert list(discussion.tasks.all()) == [task]
        assert AuditEvent.objects.filter(
            record_type=RecordType.MDT_DISCUSSION, action=Action.CREATE, person=person
        ).exists()

    def test_only_the_chair_records(self, client, coordinator, person, team, worker):
        meeting = MeetingFactory(team=team, chair=coordinator)
        other = make_staff(team=team, username="cc2")
        client.force_login(other)
        url = reverse("meetings:discuss", args=[meeting.pk, person.pk])
        client.post(url, self._post(worker))
        assert not Discussion.objects.exists() and not Note.objects.exists() and not Task.objects.exists()

    def test_a_bad_action_saves_nothing_and_keeps_the_text(
        self, coordinator_client, coordinator, person, team
    ):
        meeting = MeetingFactory(team=team, chair=coordinator)
        page = coordinator_client.post(
            reverse("meetings:discuss", args=[meeting.pk, person.pk]),
            {
                "discussion": "Typed discussion",
                "decisions": "Typed decisions",
                "action_1_what": "Half an action",
            },
        ).content.decode()
        assert "Choose who will do action 1" in page and "Typed discussion" in page
        assert not Note.objects.exists()

    def test_minutes_show_the_discussions_and_are_audited(
        self, coordinator_client, coordinator, person, team, worker
    ):
        meeting = MeetingFactory(team=team, chair=coordinator)
        coordinator_client.post(reverse("meetings:discuss", args=[meeting.pk, person.pk]), self._post(worker))
        page = coordinator_client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
        assert (
            person.full_name in page
            and "Continue weekly visits" in page
            and "Visit with housing officer" in page
        )
        assert AuditEvent.objects.filter(
            record_type=RecordType.MDT_DISCUSSION, action=Action.PRINT, person=person
        ).exists()


@pytest.mark.django_db
class TestReflectiveAndAccess:
    def test_reflective_practice_has_notes_and_no_people(self, coordinator_client, coordinator, person, team):
        meeting = MeetingFactory(
            team=team, chair=coordinator, kind=MeetingKind.REFLECTIVE, topic="Lone working"
        )
        url = reverse("meetings:detail", args=[meeting.pk])
        coordinator_client.post(url, {"notes": "We talked about lone working (synthetic)"})
        meeting.refresh_from_db()
        assert meeting.notes == "We talked about lone working (synthetic)"
        assert (
            coordinator_client.get(reverse("meetings:discuss", args=[meeting.pk, person.pk])).status_code
            == 404
        )
        assert (
            coordinator_client.post(
                reverse("meetings:add_person", args=[meeting.pk]),
                {"nhs_number": person.nhs_number, "reason": "x"},
            ).status_code
            == 404
        )

    def test_not_a_team_member_gets_404(self, outsider_client, coordinator, team, person):
        meeting = MeetingFactory(team=team, chair=coordinator)
        for name, args in (
            ("detail", [meeting.pk]),
            ("minutes", [meeting.pk]),
            ("discuss", [meeting.pk, person.pk]),
        ):
            assert outsider_client.get(reverse(f"meetings:{name}", args=args)).status_code == 404

    def test_discussing_someone_without_a_relationship_is_404(
        self, coordinator_client, coordinator, team, other_team
    ):
        stranger = TeamRegistrationFactory(team=other_team).person
        meeting = MeetingFactory(team=team, chair=coordinator)
        before = AuditEvent.objects.count()
        assert (
            coordinator_client.get(reverse("meetings:discuss", args=[meeting.pk, stranger.pk])).status_code
            == 404
        )
        assert AuditEvent.objects.count() == before

    def test_viewing_the_agenda_is_audited(self, coordinator_client, coordinator, team):
        meeting = MeetingFactory(team=team, chair=coordinator)
        coordinator_client.get(reverse("meetings:detail", args=[meeting.pk]))
        assert AuditEvent.objects.filter(
            record_type=RecordType.MDT_MEETING, action=Action.VIEW, record_id=str(meeting.pk)
        ).exists()
