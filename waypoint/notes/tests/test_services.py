from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent, Basis
from waypoint.notes import services
from waypoint.notes.models import Addendum, Note, NoteStatus, NoteType

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def audit_rows(record_type="note"):
    return list(AuditEvent.objects.filter(record_type=record_type).order_by("id"))


class TestStartNote:
    def test_draft_with_the_headings_of_its_type(self, coordinator, person, team):
        note = services.start_note(
            by=Actor(coordinator, basis=Basis.TEAM, path="/x/"),
            person=person,
            note_type=NoteType.HOME_VISIT,
        )
        assert note.status == NoteStatus.DRAFT
        assert note.version == 1
        assert note.author == coordinator
        assert note.team == team
        assert note.text.startswith("Presentation:")
        for heading in ("Risk discussed:", "Actions agreed:", "Next contact:"):
            assert heading in note.text
        (row,) = audit_rows()
        assert (row.action, row.person_id, row.record_id, row.basis) == (
            Action.CREATE,
            person.pk,
            str(note.pk),
            Basis.TEAM,
        )

    def test_other_has_no_headings(self, coordinator, person):
        note = services.start_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            person=person,
            note_type=NoteType.OTHER,
        )
        assert note.text == ""


class TestSaveDraft:
    def test_saves_bumps_version_and_audits_field_names_only(self, coordinator, draft):
        note, changed = services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Secret clinical words"},
            version=1,
        )
        assert changed == ["text"]
        assert note.version == 2
        assert Note.objects.get(pk=draft.pk).text == "Secret clinical words"
        (row,) = audit_rows()
        assert row.action == Action.UPDATE
        assert row.fields_changed == ["text"]
        assert "Secret" not in str(row.__dict__)

    def test_nothing_changed_writes_nothing(self, coordinator, draft):
        note, changed = services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": draft.text},
            version=1,
        )
        assert changed == []
        assert note.version == 1
        assert audit_rows() == []

    def test_stale_version_refused(self, coordinator, draft):
        services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "First"},
            version=1,
        )
        with pytest.raises(services.StaleEdit) as caught:
            services.save_draft(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                data={"text": "Second"},
                version=1,
            )
        assert caught.value.current_version == 2
        assert Note.objects.get(pk=draft.pk).text == "First"

    def test_only_the_author(self, colleague, draft):
        with pytest.raises(services.NotYourDraft):
            services.save_draft(
                by=Actor(colleague, basis=Basis.TEAM),
                note=draft,
                data={"text": "Mine"},
                version=1,
            )

    def test_signed_note_cannot_be_saved(self, coordinator, signed):
        with pytest.raises(services.AlreadySigned):
            services.save_draft(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=signed,
                data={"text": "Changed"},
                version=1,
            )


class TestSign:
    def test_sign_saves_last_changes_and_locks(self, coordinator, draft):
        note = services.sign_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Final words"},
            version=1,
        )
        assert note.status == NoteStatus.SIGNED
        assert note.signed_by == coordinator
        assert note.signed_at is not None
        assert note.text == "Final words"
        assert note.recorded_late is False
        (row,) = audit_rows()
        assert row.action == Action.SIGN
        assert row.fields_changed == ["signed_at", "signed_by", "status", "text"]
        with pytest.raises(services.AlreadySigned):
            services.sign_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=note,
                data={},
                version=None,
            )

    def test_empty_note_cannot_be_signed(self, coordinator, draft):
        with pytest.raises(services.NoteError):
            services.sign_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                data={"text": "  \n"},
                version=1,
            )

    def test_stale_sign_refused(self, coordinator, draft):
        services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Other tab"},
            version=1,
        )
        with pytest.raises(services.StaleEdit):
            services.sign_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                data={"text": "This tab"},
                version=1,
            )
        assert Note.objects.get(pk=draft.pk).status == NoteStatus.DRAFT

    @pytest.mark.parametrize(
        ("hours_later", "late"),
        [(1, False), (24, False), (24.02, True), (72, True)],
    )
    def test_recorded_late_after_24_hours(self, coordinator, person, hours_later, late):
        event = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
        with time_machine.travel(event, tick=False) as traveller:
            note = services.start_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                person=person,
                note_type=NoteType.TELEPHONE,
            )
            traveller.shift(timedelta(hours=hours_later))
            note = services.sign_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=note,
                data={},
                version=1,
            )
        assert note.event_at == event
        assert note.recorded_late is late

    def test_an_event_time_typed_earlier_makes_it_late(self, coordinator, draft):
        note = services.sign_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"event_at": timezone.now() - timedelta(days=2)},
            version=1,
        )
        assert note.recorded_late is True


class TestAddendum:
    def test_added_signed_and_audited(self, colleague, signed):
        addendum = services.add_addendum(
            by=Actor(colleague, basis=Basis.TEAM),
            note=signed,
            text="Later: GP informed",
        )
        assert addendum.author == colleague
        assert addendum.signed_at is not None
        assert Note.objects.get(pk=signed.pk).text == "Seen at home (synthetic)."
        (row,) = audit_rows("note_addendum")
        assert (row.action, row.record_id, row.fields_changed) == (Action.CREATE, str(addendum.pk), ["text"])

    def test_not_to_a_draft(self, coordinator, draft):
        with pytest.raises(services.NoteError):
            services.add_addendum(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                text="x",
            )
        assert not Addendum.objects.exists()

    def test_not_to_a_note_entered_in_error(self, coordinator, signed):
        services.mark_entered_in_error(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=signed,
            reason="Wrong person",
        )
        with pytest.raises(services.NoteError):
            services.add_addendum(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=signed,
                text="x",
            )


class TestEnteredInError:
    def test_keeps_the_note_with_the_reason(self, coordinator, signed):
        note = services.mark_entered_in_error(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=signed,
            reason="Written in the wrong record",
        )
        note.refresh_from_db()
        assert note.text == "Seen at home (synthetic)."
        assert note.is_entered_in_error
        assert note.entered_in_error_by == coordinator
        assert note.entered_in_error_reason == "Written in the wrong record"
        (row,) = audit_rows()
        assert row.action == Action.ENTERED_IN_ERROR
        assert "wrong record" not in str(row.__dict__)

    def test_only_once_only_signed_only_by_signer(self, coordinator, colleague, signed, draft):
        with pytest.raises(services.NoteError):
            services.mark_entered_in_error(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                reason="x",
            )
        with pytest.raises(services.NoteError):
            services.mark_entered_in_error(
                by=Actor(colleague, basis=Basis.TEAM),
                note=signed,
                reason="x",
            )
        services.mark_entered_in_error(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=signed,
            reason="x",
        )
        with pytest.raises(services.NoteError):
            services.mark_entered_in_error(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=signed,
                reason="y",
            )


class TestChangingTheType:
    def test_untouched_headings_follow_the_new_type(self, coordinator, person):
        note = services.start_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            person=person,
            note_type=NoteType.HOME_VISIT,
        )
        note, changed = services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=note,
            data={"note_type": NoteType.TELEPHONE, "text": note.text},
            version=1,
        )
        assert changed == ["note_type", "text"]
        assert note.text.startswith("Who called and why:")

    def test_written_text_is_never_replaced(self, coordinator, person):
        note = services.start_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            person=person,
            note_type=NoteType.HOME_VISIT,
        )
        written = note.text + "Seen in the garden (synthetic)."
        note, _ = services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=note,
            data={"note_type": NoteType.TELEPHONE, "text": written},
            version=1,
        )
        assert note.text == written


class TestAutosaveRacingTheButtons:
    """Autosave fires on "change" as the button takes the focus, so it may save the same text first."""

    def test_out_of_date_version_with_the_same_text_is_not_a_conflict(self, coordinator, draft):
        services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Same"},
            version=1,
        )
        note, changed = services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Same"},
            version=1,
        )
        assert (changed, note.version) == ([], 2)
        note = services.sign_note(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Same"},
            version=1,
        )
        assert note.status == NoteStatus.SIGNED

    def test_out_of_date_version_with_other_text_is_refused(self, coordinator, draft):
        services.save_draft(
            by=Actor(coordinator, basis=Basis.TEAM),
            note=draft,
            data={"text": "Same"},
            version=1,
        )
        with pytest.raises(services.StaleEdit):
            services.sign_note(
                by=Actor(coordinator, basis=Basis.TEAM),
                note=draft,
                data={"text": "Other"},
                version=1,
            )
