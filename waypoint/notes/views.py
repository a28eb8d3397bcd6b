"""Clinical notes pages. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.policy import actor_for, open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.ids import parse_id
from waypoint.core.submissions import once

from . import selectors, services
from .forms import AddendumForm, EnteredInErrorForm, NoteForm, NoteTypeForm


def _page(request, template, opened, **context):
    return render(request, template, {"person": opened.person, "alerts": opened.alerts, **context})


NOTES_PER_PAGE = 25


def note_list(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.NOTE)
    person = opened.person
    page = Paginator(selectors.notes_for(person, request.user), NOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _page(request, "notes/list.jinja", opened, notes=list(page), page=page)


def _contact_of(person_id, contact_id):
    """The care contact a new note is about (`?contact=<id>`): this person's, or 404.

    Checked before the page is audited (as `open_record` checks a record in the URL), so a wrong,
    missing or foreign contact id is a 404 with no audit row; `open_record` then checks the person.
    """
    from waypoint.contacts import selectors as contact_selectors

    if not contact_id:
        return None
    wanted = parse_id(contact_id)
    if wanted is None:
        raise Http404("No contact found")
    contact = contact_selectors.contact_by_id(wanted)
    if contact is None or contact.person_id != person_id:
        raise Http404("No contact found")
    return contact


@once
@permission(Do.WRITE_NOTE)
def new_note(request, person_id):
    contact = _contact_of(person_id, request.GET.get("contact"))
    opened = open_record(request, person_id, record_type=RecordType.NOTE)
    person = opened.person
    initial = {"note_type": services.note_type_for_contact(contact)} if contact else None
    form = NoteTypeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        note = services.start_note(
            by=opened.actor,
            person=person,
            note_type=form.cleaned_data["note_type"],
            contact=contact,
        )
        messages.success(
            request, "Draft started. It is saved as you type; only you can see it until you sign it."
        )
        return redirect("notes:edit", person.pk, note.pk)
    return _page(request, "notes/new.jinja", opened, form=form, contact=contact)


def note_detail(request, person_id, note_id):
    opened, note = selectors.note_for_page(request, person_id, note_id)
    person = opened.person
    if note.is_draft:
        return redirect("notes:edit", person.pk, note.pk)
    may_countersign = services.may_countersign(request.user, note.countersignature_or_none)
    return _page(request, "notes/detail.jinja", opened, note=note, may_countersign=may_countersign)


@require_POST
@permission(Do.COUNTERSIGN_NOTE)
def countersign(request, person_id, note_id):
    opened, note = selectors.note_for_page(request, person_id, note_id)
    try:
        services.countersign_note(by=opened.actor, note=note)
    except services.NoteError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Note countersigned")
    return redirect("notes:detail", opened.person.pk, note.pk)


def to_countersign(request):
    """The notes waiting for this user's countersignature (the supervisor's worklist)."""
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.NONE), action=Action.VIEW, record_type=RecordType.NOTE_COUNTERSIGNATURE
        )
        waiting = list(selectors.to_countersign_by(request.user)[:200])
    return render(request, "notes/to_countersign.jinja", {"waiting": waiting})


@permission(Do.WRITE_NOTE)
def edit_note(request, person_id, note_id):
    opened, note = selectors.note_for_page(request, person_id, note_id)
    person = opened.person
    if note.is_signed and request.method != "POST":
        return redirect("notes:detail", person.pk, note.pk)
    if note.author_id != request.user.pk:
        raise Http404("No note found")
    form = NoteForm(request.POST if request.method == "POST" else None, initial=NoteForm.initial_for(note))
    if request.method == "POST" and form.is_valid():
        signing = request.POST.get("action") == "sign"
        operation = services.sign_note if signing else services.save_draft
        try:
            result = operation(
                by=opened.actor,
                note=note,
                data=form.draft_data(),
                version=form.cleaned_data.get("version") or 0,  # no version: treated as out of date
            )
        except services.StaleEdit as exc:
            form.add_error(None, str(exc))
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.NoteError as exc:
            form.add_error(None, str(exc))
        else:
            if signing:
                messages.success(
                    request, "Note signed. It can no longer be changed: add an addendum to correct it."
                )
                return redirect("notes:detail", person.pk, note.pk)
            saved_at = timezone.localtime().strftime("%H:%M")
            messages.success(request, f"Draft saved at {saved_at}")
            return redirect("notes:edit", person.pk, result[0].pk)
    return _page(request, "notes/edit.jinja", opened, form=form, note=note)


@require_POST
@permission(Do.WRITE_NOTE)
def autosave(request, person_id, note_id):
    """Save the draft as the author types (htmx). Answers with a short status, and the new version."""
    opened, note = selectors.note_for_page(request, person_id, note_id)
    if note.author_id != request.user.pk:
        raise Http404("No note found")
    form = NoteForm(request.POST)
    form.is_valid()
    context = {"version": None, "saved_at": None, "problem": "", "partly": False}
    try:
        saved, changed = services.save_draft(
            by=opened.actor,
            note=note,
            data=form.draft_data(),
            version=form.cleaned_data.get("version") or 0,  # no version: treated as out of date
        )
    except services.NoteError as exc:
        context["problem"] = str(exc).replace(
            "Your text has not been saved: it is still below.", "Your text is still here."
        )
    else:
        context["version"] = saved.version
        context["saved_at"] = timezone.localtime(saved.updated_at).strftime("%H:%M")
        context["partly"] = bool(form.errors)
        if "text" in changed and saved.text != form.cleaned_data.get("text"):
            # The new type's headings replaced an untouched template: show them (htmx out-of-band).
            context["text_form"] = NoteForm(initial=NoteForm.initial_for(saved))
    return render(request, "notes/_autosave_status.jinja", context)


@permission(Do.WRITE_NOTE)
def add_addendum(request, person_id, note_id):
    opened, note = selectors.note_for_page(request, person_id, note_id)
    person = opened.person
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_addendum(
                by=opened.actor,
                note=note,
                text=form.cleaned_data["text"],
            )
        except services.NoteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Addendum added and signed")
            return redirect("notes:detail", person.pk, note.pk)
    return _page(request, "notes/addendum.jinja", opened, form=form, note=note)


@permission(Do.WRITE_NOTE)
def entered_in_error(request, person_id, note_id):
    opened, note = selectors.note_for_page(request, person_id, note_id)
    person = opened.person
    form = EnteredInErrorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_entered_in_error(
                by=opened.actor,
                note=note,
                reason=form.cleaned_data["reason"],
            )
        except services.NoteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Note marked as entered in error. It stays on the record, struck through."
            )
            return redirect("notes:detail", person.pk, note.pk)
    return _page(request, "notes/entered_in_error.jinja", opened, form=form, note=note)
