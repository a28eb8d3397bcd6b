"""MDT meetings: plan, the agenda built from Waypoint, the chair's discussion becoming a signed MDT
note and tasks in one step, printable minutes, reflective practice with no person, access, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.episodes.factories import EpisodeFactory
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
                planned = TeamRegistrationFactory(team=team).person
                EpisodeFactory(
                    person=planned,
                    team=team,
                    discharge_planned_on=timezone.localdate() + datetime.timedelta(days=10),
                )

        add(2)
        with django_assert_max_num_queries(60) as few:
            coordinator_client.get(reverse("meetings:detail", args=[meeting.pk]))
        add(6)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = coordinator_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert page.count("Record discussion") >= 24 and page.count("Discharge planned for") >= 8


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


@pytest.fixture
def manager(team):
    return make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.mdt", first_name="Mo", last_name="Manager"
    )


@pytest.mark.django_db
class TestAllocationsDecidedAtTheMeeting:
    """An MDT decision to allocate is made through episodes.services, by the chair, in the same
    step as the signed note and the tasks; if it is refused nothing is saved."""

    def _post(self, kind, worker, **extra):
        return {
            "discussion": "Ready for a care coordinator (synthetic)",
            "decisions": "Allocate (synthetic)",
            "allocate_kind": kind,
            "allocate_worker": worker.pk if worker else "",
            **extra,
        }

    def test_allocating_a_care_coordinator_to_the_open_episode(
        self, client, manager, coordinator, person, team
    ):
        from waypoint.episodes.factories import EpisodeFactory
        from waypoint.episodes.models import Allocation

        episode = EpisodeFactory(person=person, team=team)
        meeting = MeetingFactory(team=team, chair=manager)
        client.force_login(manager)
        url = reverse("meetings:discuss", args=[meeting.pk, person.pk])
        assert "Allocate a care coordinator" in client.get(url).content.decode()
        response = client.post(url, self._post("care_coordinator", coordinator))
        assert response.status_code == 302
        allocation = Allocation.objects.get()
        assert (allocation.worker, allocation.kind, allocation.episode, allocation.allocated_by) == (
            coordinator,
            "care_coordinator",
            episode,
            manager,
        )
        discussion = Discussion.objects.get()
        assert list(discussion.allocations.all()) == [allocation]
        assert "as care coordinator" in discussion.note.text
        row = AuditEvent.objects.get(record_type=RecordType.MDT_DISCUSSION, action=Action.CREATE)
        assert "allocations" in row.fields_changed and row.person == person
        assert AuditEvent.objects.filter(
            record_type=RecordType.ALLOCATION, action=Action.CREATE, person=person
        ).exists()
        minutes = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
        assert "Allocated" in minutes and coordinator.display_name in minutes

    def test_referring_to_the_psychologist_from_a_waiting_referral(self, client, manager, team):
        from waypoint.episodes.models import Allocation

        psychologist = make_staff(team=team, roles=[RoleCode.PSYCHOLOGIST], username="psy")
        referral = ReferralFactory(team=team, status=ReferralStatus.WAITING)
        meeting = MeetingFactory(team=team, chair=manager)
        client.force_login(manager)
        client.post(
            reverse("meetings:discuss", args=[meeting.pk, referral.person.pk]),
            self._post("assessing", psychologist),
        )
        allocation = Allocation.objects.get()
        assert (allocation.worker, allocation.kind, allocation.referral) == (
            psychologist,
            "assessing",
            referral,
        )

    def test_a_chair_whose_role_may_not_allocate_saves_nothing(
        self, coordinator_client, coordinator, team, worker
    ):
        referral = ReferralFactory(team=team, status=ReferralStatus.WAITING)
        meeting = MeetingFactory(team=team, chair=coordinator)
        page = coordinator_client.post(
            reverse("meetings:discuss", args=[meeting.pk, referral.person.pk]),
            self._post("assessing", coordinator),
        ).content.decode()
        assert "<title>Error: " in page and "Your role does not allow you to allocate" in page
        assert "Ready for a care coordinator (synthetic)" in page
        assert not Discussion.objects.exists() and not Note.objects.exists()

    def test_no_episode_or_referral_is_refused_beside_the_field(
        self, client, manager, coordinator, person, team
    ):
        meeting = MeetingFactory(team=team, chair=manager)
        client.force_login(manager)
        page = client.post(
            reverse("meetings:discuss", args=[meeting.pk, person.pk]),
            self._post("care_coordinator", coordinator),
        ).content.decode()
        assert "has no open episode of care or referral" in page and not Note.objects.exists()

    def test_a_worker_without_the_kind_is_asked_for(self, client, manager, person, team):
        meeting = MeetingFactory(team=team, chair=manager)
        client.force_login(manager)
        page = client.post(
            reverse("meetings:discuss", args=[meeting.pk, person.pk]), self._post("care_coordinator", None)
        ).content.decode()
        assert "Choose who is allocated" in page and not Note.objects.exists()


@pytest.mark.django_db
def test_services_require_the_permission(team):
    from waypoint.access.actor import Actor
    from waypoint.accounts.permissions import PermissionRefused
    from waypoint.audit.models import Basis
    from waypoint.meetings import services

    privacy = make_staff(team=team, roles=[RoleCode.PRIVACY_OFFICER], username="po.mdt")
    meeting = MeetingFactory(team=team, chair=privacy)
    with pytest.raises(PermissionRefused):
        services.add_to_agenda(by=Actor(privacy, Basis.TEAM), meeting=meeting, person=None, reason="x")
    assert not AgendaAddition.objects.exists()


@pytest.mark.django_db
class TestPlannedDischarges:
    def test_future_and_overdue_planned_discharges_are_on_the_agenda(
        self, coordinator_client, coordinator, team
    ):
        today = timezone.localdate()
        soon = EpisodeFactory(team=team, discharge_planned_on=today + datetime.timedelta(days=20))
        passed = EpisodeFactory(team=team, discharge_planned_on=today - datetime.timedelta(days=2))
        far = EpisodeFactory(team=team, discharge_planned_on=today + datetime.timedelta(days=60))
        for episode in (soon, passed, far):
            TeamRegistrationFactory(team=team, person=episode.person)
        meeting = MeetingFactory(team=team, chair=coordinator)
        page = coordinator_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert soon.person.full_name in page and "Discharge planned for" in page
        assert passed.person.full_name in page and "not yet discharged" in page
        assert far.person.full_name not in page

    def test_the_mdt_plans_a_discharge_on_the_episode(self, coordinator_client, coordinator, person, team):
        episode = EpisodeFactory(person=person, team=team)
        meeting = MeetingFactory(team=team, chair=coordinator)
        day = timezone.localdate() + datetime.timedelta(days=14)
        response = coordinator_client.post(
            reverse("meetings:discuss", args=[meeting.pk, person.pk]),
            {
                "discussion": "Well for six months (synthetic)",
                "decisions": "Plan discharge (synthetic)",
                "discharge_planned_on_day": day.day,
                "discharge_planned_on_month": day.month,
                "discharge_planned_on_year": day.year,
            },
        )
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.discharge_planned_on == day and episode.version == 2
        assert AuditEvent.objects.filter(
            record_type=RecordType.EPISODE,
            action=Action.UPDATE,
            person=person,
            fields_changed=["discharge_planned_on"],
        ).exists()
        assert "Discharge planned for" in Discussion.objects.get().note.text
        page = coordinator_client.get(
            reverse("episodes:episode", args=[person.pk, episode.pk])
        ).content.decode()
        assert "Discharge planned for" in page

    def test_no_open_episode_is_refused_beside_the_field(self, coordinator_client, coordinator, person, team):
        meeting = MeetingFactory(team=team, chair=coordinator)
        day = timezone.localdate() + datetime.timedelta(days=14)
        page = coordinator_client.post(
            reverse("meetings:discuss", args=[meeting.pk, person.pk]),
            {
                "discussion": "Typed (synthetic)",
                "decisions": "Typed decisions (synthetic)",
                "discharge_planned_on_day": day.day,
                "discharge_planned_on_month": day.month,
                "discharge_planned_on_year": day.year,
            },
        ).content.decode()
        assert "no open episode of care" in page and "Typed decisions (synthetic)" in page
        assert not Note.objects.exists()


@pytest.mark.django_db
def test_meetings_list_query_count_does_not_grow(
    coordinator_client, coordinator, team, django_assert_max_num_queries
):
    def add(n):
        for index in range(n):
            MeetingFactory(
                team=team,
                chair=coordinator,
                held_on=timezone.localdate() + datetime.timedelta(days=index - 3),
            )

    add(2)
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(reverse("meetings:list"))
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = coordinator_client.get(reverse("meetings:list")).content.decode()
    assert page.count(reverse("meetings:detail", args=[Meeting.objects.first().pk])) >= 1
