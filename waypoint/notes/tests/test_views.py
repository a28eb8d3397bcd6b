import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent
from waypoint.notes.factories import AddendumFactory, NoteFactory, SignedNoteFactory
from waypoint.notes.models import Note, NoteStatus, NoteType

pytestmark = pytest.mark.django_db


def form_data(note, **overrides):
    local = timezone.localtime(note.event_at)
    data = {
        "note_type": note.note_type,
        "event_date_day": str(local.day),
        "event_date_month": str(local.month),
        "event_date_year": str(local.year),
        "event_time": local.strftime("%H:%M"),
        "text": note.text,
        "version": str(note.version),
    }
    data.update(overrides)
    return data


def url(name, note):
    return reverse(f"notes:{name}", args=[note.person_id, note.pk])


class TestList:
    def test_newest_first_with_tags_and_own_drafts_only(
        self, coordinator_client, person, coordinator, colleague
    ):
        now = timezone.now()
        old = SignedNoteFactory(
            person=person, author=coordinator, event_at=now - timedelta(days=3), text="Old one"
        )
        late = SignedNoteFactory(
            person=person,
            author=coordinator,
            event_at=now - timedelta(days=2),
            text="Late one",
            recorded_late=True,
        )
        AddendumFactory(note=late, author=colleague)
        SignedNoteFactory(
            person=person,
            author=coordinator,
            event_at=now - timedelta(days=1),
            text="Wrong one",
            entered_in_error_at=now,
            entered_in_error_by=coordinator,
            entered_in_error_reason="Wrong person (synthetic)",
        )
        NoteFactory(person=person, author=coordinator, text="My draft")
        NoteFactory(person=person, author=colleague, text="Colleague's draft")
        response = coordinator_client.get(reverse("notes:list", args=[person.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<title>Notes – " in html
        assert (
            html.index("My draft") < html.index("Wrong one") < html.index("Late one") < html.index("Old one")
        )
        assert "Colleague&#39;s draft" not in html and "Colleague's draft" not in html
        assert "Recorded late" in html
        assert "Has an addendum" in html
        assert "<del>Wrong one</del>" in html
        assert "Wrong person (synthetic)" in html
        assert "Signed by Casey Coordinator" in html
        assert old.pk

    def test_query_count_does_not_grow(
        self, coordinator_client, person, coordinator, django_assert_max_num_queries
    ):
        list_url = reverse("notes:list", args=[person.pk])
        AddendumFactory(note=SignedNoteFactory(person=person, author=coordinator))
        with django_assert_max_num_queries(50) as baseline:
            coordinator_client.get(list_url)
        for _ in range(10):
            AddendumFactory(note=SignedNoteFactory(person=person, author=coordinator, recorded_late=True))
            NoteFactory(person=person, author=coordinator)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            response = coordinator_client.get(list_url)
        assert response.content.decode().count("nhsuk-card__heading") == 21

    def test_view_is_audited(self, coordinator_client, person, coordinator):
        coordinator_client.get(reverse("notes:list", args=[person.pk]))
        row = AuditEvent.objects.get(record_type="note", record_id="")  # the list: the record type, no id
        assert (row.action, row.person_id, row.user_id) == (Action.VIEW, person.pk, coordinator.pk)


class TestWriting:
    def test_start_a_note_prefills_the_headings(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("notes:new", args=[person.pk]), {"note_type": "home_visit"}
        )
        note = Note.objects.get()
        assert response.url == url("edit", note)
        page = coordinator_client.get(response.url).content.decode()
        assert "Presentation:" in page and "Next contact:" in page
        assert "<title>Draft note – " in page
        assert 'hx-post="' + url("autosave", note) in page

    def test_no_type_chosen(self, coordinator_client, person):
        response = coordinator_client.post(reverse("notes:new", args=[person.pk]), {})
        assert "Select the kind of note" in response.content.decode()
        assert response.content.decode().count("<title>Error: ") == 1
        assert not Note.objects.exists()

    def test_save_draft_without_javascript(self, coordinator_client, draft):
        response = coordinator_client.post(url("edit", draft), form_data(draft, text="Typed", action="save"))
        assert response.status_code == 302 and response.url == url("edit", draft)
        draft.refresh_from_db()
        assert (draft.text, draft.version, draft.status) == ("Typed", 2, NoteStatus.DRAFT)
        assert "Draft saved at" in coordinator_client.get(response.url).content.decode()

    def test_stale_save_refused_and_text_kept(self, coordinator_client, draft):
        Note.objects.filter(pk=draft.pk).update(text="From another tab", version=2)
        response = coordinator_client.post(
            url("edit", draft), form_data(draft, text="My precious words", action="save")
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "saved in another window or tab" in html
        assert "My precious words" in html
        assert 'name="version" id="id_version" value="2"' in html
        assert Note.objects.get(pk=draft.pk).text == "From another tab"

    def test_bad_time_shows_error_and_keeps_text(self, coordinator_client, draft):
        response = coordinator_client.post(
            url("edit", draft), form_data(draft, event_time="25:99", text="Keep me", action="sign")
        )
        html = response.content.decode()
        assert "Enter a time in the 24-hour clock" in html
        assert "Keep me" in html
        assert "<title>Error: Draft note" in html
        assert Note.objects.get(pk=draft.pk).status == NoteStatus.DRAFT

    def test_future_event_refused(self, coordinator_client, draft):
        tomorrow = timezone.localtime() + timedelta(days=1)
        response = coordinator_client.post(
            url("edit", draft),
            form_data(
                draft,
                event_date_day=str(tomorrow.day),
                event_date_month=str(tomorrow.month),
                event_date_year=str(tomorrow.year),
                action="save",
            ),
        )
        assert "must be today or in the past" in response.content.decode()

    def test_sign_then_read_only(self, coordinator_client, draft, coordinator):
        response = coordinator_client.post(url("edit", draft), form_data(draft, text="Final", action="sign"))
        assert response.url == url("detail", draft)
        draft.refresh_from_db()
        assert draft.status == NoteStatus.SIGNED and draft.signed_by == coordinator
        html = coordinator_client.get(response.url).content.decode()
        assert "This note is signed and cannot be changed" in html
        assert "Signed by" not in html or "Casey Coordinator" in html
        assert "<textarea" not in html
        assert coordinator_client.get(url("edit", draft)).url == url("detail", draft)
        again = coordinator_client.post(
            url("edit", draft), form_data(draft, text="Sneaky change", action="save")
        )
        assert "can no longer be changed" in again.content.decode()
        assert "Sneaky change" in again.content.decode()
        draft.refresh_from_db()
        assert draft.text == "Final"
        assert AuditEvent.objects.filter(record_type="note", action=Action.SIGN).count() == 1

    def test_draft_page_opens_the_editor_for_the_author(self, coordinator_client, draft):
        assert coordinator_client.get(url("detail", draft)).url == url("edit", draft)

    def test_other_staff_cannot_see_or_change_a_draft(self, colleague_client, draft):
        for name in ("detail", "edit", "addendum", "entered_in_error"):
            assert colleague_client.get(url(name, draft)).status_code == 404
        assert colleague_client.post(url("autosave", draft), form_data(draft, text="x")).status_code == 404

    def test_note_of_another_person_in_the_url_is_404(self, coordinator_client, signed, coordinator, team):
        from waypoint.patients.factories import TeamRegistrationFactory

        other = TeamRegistrationFactory(team=team).person
        response = coordinator_client.get(reverse("notes:detail", args=[other.pk, signed.pk]))
        assert response.status_code == 404


class TestAutosave:
    def test_saves_and_answers_with_status_and_version(self, coordinator_client, draft, coordinator):
        response = coordinator_client.post(
            url("autosave", draft), form_data(draft, text="Typing..."), HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r"Draft saved at [0-2][0-9]:[0-5][0-9]", html)  # not the clock's hour: it may turn
        assert 'id="id_version" value="2" hx-swap-oob="true"' in html
        assert "<html" not in html
        draft.refresh_from_db()
        assert (draft.text, draft.version) == ("Typing...", 2)
        row = AuditEvent.objects.get(record_type="note", action=Action.UPDATE)
        assert (row.user_id, row.person_id, row.fields_changed) == (coordinator.pk, draft.person_id, ["text"])
        assert AuditEvent.objects.filter(record_type="note", action=Action.VIEW).exists()

    def test_unchanged_writes_nothing(self, coordinator_client, draft):
        response = coordinator_client.post(url("autosave", draft), form_data(draft))
        assert "Draft saved at" in response.content.decode()
        draft.refresh_from_db()
        assert draft.version == 1
        assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()

    def test_stale_version_is_not_saved(self, coordinator_client, draft):
        Note.objects.filter(pk=draft.pk).update(text="Other tab", version=5)
        response = coordinator_client.post(url("autosave", draft), form_data(draft, text="This tab"))
        html = response.content.decode()
        assert "Not saved." in html and "another window or tab" in html
        assert "hx-swap-oob" not in html
        assert Note.objects.get(pk=draft.pk).text == "Other tab"

    def test_half_typed_time_still_saves_the_text(self, coordinator_client, draft):
        response = coordinator_client.post(
            url("autosave", draft), form_data(draft, event_time="1", text="Words")
        )
        assert "except the date or time of the event" in response.content.decode()
        draft.refresh_from_db()
        assert draft.text == "Words"

    def test_signed_note_is_not_saved(self, coordinator_client, signed):
        response = coordinator_client.post(url("autosave", signed), form_data(signed, text="Changed"))
        assert "Not saved." in response.content.decode()
        assert Note.objects.get(pk=signed.pk).text == "Seen at home (synthetic)."

    def test_post_only(self, coordinator_client, draft):
        assert coordinator_client.get(url("autosave", draft)).status_code == 405

    def test_outsider_gets_404(self, outsider_client, draft):
        assert outsider_client.post(url("autosave", draft), form_data(draft, text="x")).status_code == 404
        assert Note.objects.get(pk=draft.pk).version == 1


class TestAddendumAndEnteredInError:
    def test_add_addendum(self, colleague_client, signed, colleague):
        page = colleague_client.get(url("addendum", signed))
        assert "<title>Add an addendum – " in page.content.decode()
        response = colleague_client.post(url("addendum", signed), {"text": "GP informed (synthetic)"})
        assert response.url == url("detail", signed)
        html = colleague_client.get(response.url).content.decode()
        assert "GP informed (synthetic)" in html and "Addendum by Cleo Colleague" in html
        assert signed.addenda.get().author == colleague

    def test_empty_addendum(self, coordinator_client, signed):
        response = coordinator_client.post(url("addendum", signed), {"text": "   "})
        assert "Write the addendum" in response.content.decode()
        assert not signed.addenda.exists()

    def test_mark_entered_in_error(self, coordinator_client, signed):
        assert coordinator_client.post(url("entered_in_error", signed), {"reason": ""}).status_code == 200
        response = coordinator_client.post(
            url("entered_in_error", signed), {"reason": "Wrong record (synthetic)"}
        )
        assert response.url == url("detail", signed)
        html = coordinator_client.get(response.url).content.decode()
        assert "<del>Seen at home (synthetic).</del>" in html
        assert "Wrong record (synthetic)" in html
        assert "Add an addendum" not in html

    def test_only_the_signer_may_mark_it(self, colleague_client, signed):
        response = colleague_client.post(url("entered_in_error", signed), {"reason": "Mine now"})
        assert "Only the person who signed" in response.content.decode()
        assert Note.objects.get(pk=signed.pk).entered_in_error_at is None


class TestAccess:
    def test_outsider_gets_404_everywhere(self, outsider_client, signed, person):
        assert outsider_client.get(reverse("notes:list", args=[person.pk])).status_code == 404
        assert outsider_client.get(reverse("notes:new", args=[person.pk])).status_code == 404
        for name in ("detail", "edit", "addendum", "entered_in_error"):
            assert outsider_client.get(url(name, signed)).status_code == 404
        assert outsider_client.post(url("addendum", signed), {"text": "x"}).status_code == 404
        assert not signed.addenda.exists()

    def test_team_colleague_sees_signed_notes(self, colleague_client, signed):
        response = colleague_client.get(url("detail", signed))
        assert response.status_code == 200
        row = AuditEvent.objects.filter(record_type="note").latest("id")
        assert (row.action, row.record_id) == (Action.VIEW, str(signed.pk))


def test_note_type_choices_are_offered(coordinator_client, person):
    html = coordinator_client.get(reverse("notes:new", args=[person.pk])).content.decode()
    for _, label in NoteType.choices:
        assert label in html


def test_signed_a_day_late_is_tagged_recorded_late(coordinator_client, coordinator, person):
    import time_machine

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        coordinator_client.post(reverse("notes:new", args=[person.pk]), {"note_type": "telephone"})
        note = Note.objects.get()
        traveller.shift(timedelta(hours=25))
        coordinator_client.force_login(coordinator)  # the session has timed out meanwhile
        coordinator_client.post(url("edit", note), form_data(note, action="sign"))
        html = coordinator_client.get(url("detail", note)).content.decode()
    assert "Recorded late" in html
    assert Note.objects.get().recorded_late


def test_missing_version_is_treated_as_out_of_date(coordinator_client, draft):
    data = form_data(draft, text="No version")
    del data["version"]
    response = coordinator_client.post(url("autosave", draft), data)
    assert "Not saved." in response.content.decode()
    assert Note.objects.get(pk=draft.pk).text != "No version"


def test_autosave_sends_new_headings_when_the_type_changes(coordinator_client, person):
    coordinator_client.post(reverse("notes:new", args=[person.pk]), {"note_type": "home_visit"})
    note = Note.objects.get()
    response = coordinator_client.post(url("autosave", note), form_data(note, note_type="mdt"))
    html = response.content.decode()
    assert '<div id="note-text-field" hx-swap-oob="true">' in html
    assert "Decisions and actions:" in html
    typed = coordinator_client.post(
        url("autosave", note), form_data(Note.objects.get(), note_type="other", text="Written (synthetic)")
    )
    assert "note-text-field" not in typed.content.decode()


def test_long_lists_are_paged(coordinator_client, person, coordinator):
    from waypoint.notes.views import NOTES_PER_PAGE

    now = timezone.now()
    notes = [
        SignedNoteFactory(
            person=person, author=coordinator, event_at=now - timedelta(hours=hours), text=f"N{hours}."
        )
        for hours in range(NOTES_PER_PAGE + 2)
    ]
    first = coordinator_client.get(reverse("notes:list", args=[person.pk])).content.decode()
    assert first.count("nhsuk-card__heading") == NOTES_PER_PAGE
    assert f"Notes 1 to {NOTES_PER_PAGE} of {len(notes)}" in first and "Older notes" in first
    second = coordinator_client.get(reverse("notes:list", args=[person.pk]) + "?page=2").content.decode()
    assert second.count("nhsuk-card__heading") == 2
    assert f"N{NOTES_PER_PAGE + 1}." in second and "Newer notes" in second


def test_line_breaks_sent_by_the_browser_and_by_htmx_are_the_same_text(coordinator_client, draft):
    coordinator_client.post(url("autosave", draft), form_data(draft, text="One\nTwo"))
    draft.refresh_from_db()
    response = coordinator_client.post(
        url("edit", draft), form_data(draft, text="One\r\nTwo", action="save", version="1")
    )
    assert response.status_code == 302  # not refused as out of date: nothing changed
    draft.refresh_from_db()
    assert (draft.text, draft.version) == ("One\nTwo", 2)
