"""Duty operations: atomic, by the acting user, audited with field names only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.audit.models import AuditEvent, Basis
from waypoint.duty import services
from waypoint.duty.factories import DutyEnquiryFactory
from waypoint.duty.models import DutyEnquiry, DutyShift, EnquiryStatus, Escalation, Handover

SECRET = "Typed words that must never reach the audit table"


def call(**overrides):
    data = {"caller_type": "carer", "caller_name": "Synthetic Sister", "what_was_asked": SECRET}
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestLogEnquiry:
    def test_logs_an_open_enquiry_and_audits_field_names_with_the_policy_basis(
        self, coordinator, team, person
    ):
        enquiry = services.log_enquiry(
            by=Actor(coordinator, basis="team", path="/duty/"),
            team=team,
            data=call(person=person),
        )
        assert enquiry.status == EnquiryStatus.OPEN and enquiry.logged_by == coordinator
        event = AuditEvent.objects.get(record_type="duty_enquiry")
        assert (event.action, event.person, event.record_id) == ("create", person, str(enquiry.pk))
        assert event.basis == Basis.TEAM  # the person is on the team's books
        assert event.fields_changed == ["caller_name", "caller_type", "person", "what_was_asked"]
        assert SECRET not in str(AuditEvent.objects.values_list())

    def test_an_unlinked_call_concerns_no_record_and_writes_no_audit_row(self, coordinator, team):
        enquiry = services.log_enquiry(
            by=Actor(coordinator, basis="team"), team=team, data=call(person_description="J Bloggs")
        )
        assert enquiry.person is None
        assert not AuditEvent.objects.exists()

    def test_the_call_time_can_be_given(self, coordinator, team):
        earlier = timezone.now() - datetime.timedelta(hours=2)
        enquiry = services.log_enquiry(
            by=Actor(coordinator, basis="team"), team=team, data=call(received_at=earlier)
        )
        assert enquiry.received_at == earlier
        assert services.log_enquiry(
            by=Actor(coordinator, basis="team"), team=team, data=call(received_at=None)
        ).received_at

    def test_only_a_person_the_user_may_see_can_be_linked(self, outsider, other_team, person):
        with pytest.raises(PermissionDenied):
            services.log_enquiry(by=Actor(outsider, basis="team"), team=other_team, data=call(person=person))
        assert not DutyEnquiry.objects.exists()

    def test_only_members_log_calls_to_a_team(self, outsider, team):
        with pytest.raises(PermissionDenied):
            services.log_enquiry(by=Actor(outsider, basis="team"), team=team, data=call())

    def test_status_and_closing_fields_are_not_set_by_logging(self, coordinator, team):
        with pytest.raises(ValueError):
            services.log_enquiry(by=Actor(coordinator, basis="team"), team=team, data=call(status="closed"))


@pytest.mark.django_db
class TestUpdateAndCrisis:
    def test_crisis_response_with_escalations_and_conveyance(self, coordinator, team, person):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        conveyed_at = timezone.now()
        updated = services.update_enquiry(
            by=Actor(coordinator, basis="team"),
            enquiry=enquiry,
            data={
                "is_crisis": True,
                "crisis_what_happened": SECRET,
                "escalations": [Escalation.CRISIS_TEAM, Escalation.AMBULANCE],
                "conveyed_by": "Ambulance crew",
                "conveyed_at": conveyed_at,
                "conveyed_to": "Urgent assessment, Testville hospital",
            },
            version=1,
        )
        assert updated.is_crisis and updated.version == 2
        assert updated.escalation_labels() == ["Crisis team", "Ambulance"]
        assert updated.conveyed_at == conveyed_at
        event = AuditEvent.objects.get(record_type="duty_enquiry", action="update")
        assert event.fields_changed == [
            "conveyed_at",
            "conveyed_by",
            "conveyed_to",
            "escalations",
            "is_crisis",
            "log:crisis_what_happened",
        ]
        assert [(e.kind, e.text) for e in updated.log_entries.all()] == [("crisis_what_happened", SECRET)]
        assert SECRET not in str(event.fields_changed)

    def test_each_entry_is_added_to_the_log_never_written_over(self, coordinator, team, person):
        """Issue 18, item 10: the duty call is a log."""
        enquiry = DutyEnquiryFactory(
            team=team, logged_by=coordinator, person=person, action_taken="Rang back"
        )
        by = Actor(coordinator, basis="team")
        services.update_enquiry(by=by, enquiry=enquiry, data={"action_taken": "Rang the GP"}, version=1)
        services.update_enquiry(
            by=by,
            enquiry=enquiry,
            data={"action_taken": "Rang the GP again", "safety_concerns": ""},
            version=2,
        )
        enquiry.refresh_from_db()
        assert enquiry.action_taken == "Rang back"  # what was logged with the call stays
        entries = list(enquiry.log_entries.all())
        assert [e.text for e in entries] == ["Rang the GP", "Rang the GP again"]
        assert all(e.written_by == coordinator and e.written_at for e in entries)
        assert [a.fields_changed for a in AuditEvent.objects.order_by("pk")] == [["log:action_taken"]] * 2
        services.update_enquiry(by=by, enquiry=enquiry, data={"action_taken": "  "}, version=3)
        assert AuditEvent.objects.count() == 2  # nothing typed: no entry, no row

    def test_a_log_entry_cannot_be_changed_in_the_database(self, coordinator, team):
        from django.db import DatabaseError, transaction

        from waypoint.duty.models import DutyLogEntry

        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        services.update_enquiry(
            by=Actor(coordinator, basis="team"), enquiry=enquiry, data={"action_taken": "First"}, version=1
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            DutyLogEntry.objects.filter(enquiry=enquiry).update(text="Changed")

    def test_a_conveyance_before_the_call_is_refused(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        with pytest.raises(services.ConveyedBeforeTheCall):
            services.update_enquiry(
                by=Actor(coordinator, basis="team"),
                enquiry=enquiry,
                data={
                    "is_crisis": True,
                    "crisis_what_happened": "Synthetic",
                    "conveyed_by": "Ambulance crew",
                    "conveyed_at": enquiry.received_at - datetime.timedelta(minutes=5),
                    "conveyed_to": "Testville hospital",
                },
                version=1,
            )

    def test_a_stale_version_is_refused(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        services.update_enquiry(
            by=Actor(coordinator, basis="team"), enquiry=enquiry, data={"action_taken": "First"}, version=1
        )
        with pytest.raises(services.StaleEnquiry) as refused:
            services.update_enquiry(
                by=Actor(coordinator, basis="team"),
                enquiry=enquiry,
                data={"action_taken": "Second"},
                version=1,
            )
        assert refused.value.current_version == 2
        assert [e.text for e in enquiry.log_entries.all()] == ["First"]

    def test_a_closed_enquiry_does_not_change(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=enquiry, outcome="Advice given")
        with pytest.raises(services.AlreadyClosed):
            services.update_enquiry(
                by=Actor(coordinator, basis="team"),
                enquiry=enquiry,
                data={"action_taken": "Late"},
                version=None,
            )

    def test_outcome_is_not_an_updatable_field(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        with pytest.raises(ValueError):
            services.update_enquiry(
                by=Actor(coordinator, basis="team"), enquiry=enquiry, data={"status": "closed"}, version=1
            )


@pytest.mark.django_db
class TestClose:
    def test_closing_needs_an_outcome(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        for blank in ("", "   ", None):
            with pytest.raises(services.OutcomeRequired):
                services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=enquiry, outcome=blank)
        enquiry.refresh_from_db()
        assert enquiry.status == EnquiryStatus.OPEN and enquiry.closed_at is None

    def test_close_records_who_and_when_and_audits(self, coordinator, team, person):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        closed = services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=enquiry, outcome=SECRET)
        assert closed.status == EnquiryStatus.CLOSED and closed.closed_by == coordinator and closed.closed_at
        event = AuditEvent.objects.get(record_type="duty_enquiry")
        assert event.action == "update" and event.basis == Basis.TEAM
        assert event.fields_changed == ["closed_at", "closed_by", "outcome", "status"]
        assert SECRET not in str(AuditEvent.objects.values_list())
        with pytest.raises(services.AlreadyClosed):
            services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=enquiry, outcome="Again")

    def test_another_teams_worker_cannot_close(self, outsider, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        with pytest.raises(PermissionDenied):
            services.close_enquiry(by=Actor(outsider, basis="team"), enquiry=enquiry, outcome="Not mine")


@pytest.mark.django_db
class TestHandover:
    def test_handover_keeps_every_open_item_open(self, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        handover = services.write_handover(
            by=Actor(coordinator, basis="team"), team=team, note="  Ring the GP back  "
        )
        assert handover.note == "Ring the GP back" and handover.for_date == timezone.localdate()
        assert handover.written_by == coordinator
        enquiry.refresh_from_db()
        assert enquiry.status == EnquiryStatus.OPEN

    def test_handover_needs_a_note_and_a_member(self, coordinator, outsider, team):
        with pytest.raises(ValueError):
            services.write_handover(by=Actor(coordinator, basis="team"), team=team, note=" ")
        with pytest.raises(PermissionDenied):
            services.write_handover(by=Actor(outsider, basis="team"), team=team, note="Not my team")
        assert not Handover.objects.exists()


@pytest.mark.django_db
class TestRota:
    def test_manager_sets_then_changes_a_day(self, manager, coordinator, team):
        today = timezone.localdate()
        services.set_rota_day(
            by=Actor(manager, basis="team"),
            team=team,
            day=today,
            duty_worker=coordinator,
            backup_worker=manager,
        )
        shift = DutyShift.objects.get(role="duty")
        assert (shift.worker, shift.set_by) == (coordinator, manager)
        services.set_rota_day(
            by=Actor(manager, basis="team"), team=team, day=today, duty_worker=manager, backup_worker=None
        )
        assert list(DutyShift.objects.values_list("role", "worker")) == [("duty", manager.pk)]

    def test_only_the_teams_manager_sets_the_rota(self, coordinator, team, other_team):
        today = timezone.localdate()
        with pytest.raises(PermissionDenied):
            services.set_rota_day(
                by=Actor(coordinator, basis="team"),
                team=team,
                day=today,
                duty_worker=coordinator,
                backup_worker=None,
            )
        other_manager = make_staff(team=other_team, roles=["team_manager"])
        with pytest.raises(PermissionDenied):
            services.set_rota_day(
                by=Actor(other_manager, basis="team"),
                team=team,
                day=today,
                duty_worker=coordinator,
                backup_worker=None,
            )
        assert not DutyShift.objects.exists()

    def test_rota_problems(self, manager, coordinator, outsider, team):
        today = timezone.localdate()
        saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
        cases = [
            (saturday, coordinator, None),
            (today, coordinator, coordinator),
            (today, outsider, None),
        ]
        for day, duty, backup in cases:
            with pytest.raises(services.RotaProblem):
                services.set_rota_day(
                    by=Actor(manager, basis="team"),
                    team=team,
                    day=day,
                    duty_worker=duty,
                    backup_worker=backup,
                )
        assert not DutyShift.objects.exists()
