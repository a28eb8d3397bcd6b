"""What the phone sends when it is back online: contacts, note drafts and "shown offline" events.

Each item carries the id the phone gave it. The first time an item arrives it is recorded through
the contacts and notes services as the signed-in worker (so the permission table, the
appointment's lock, note versions and the audit all apply) and a `SyncReceipt` is kept with the
id, in the same transaction; every later arrival of the same id gets the same answer from the
receipt and records nothing. An item that cannot be saved is answered, never dropped: the phone
keeps the worker's text and shows why.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.policy import access_for
from waypoint.accounts import permissions
from waypoint.accounts.permissions import PermissionRefused
from waypoint.accounts.teams import user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.contacts import services as contact_services
from waypoint.contacts.forms import ContactForm
from waypoint.contacts.models import Appointment
from waypoint.contacts.selectors import staff_of_teams
from waypoint.core.forms import combine_local
from waypoint.notes import services as note_services

from .extensions import SEND_OFFLINE_RECORDS
from .models import ItemKind, Outcome, SyncReceipt

# Contacts first: a note may name the contact item sent with it.
ORDER: dict[str, int] = {ItemKind.CONTACT: 0, ItemKind.NOTE: 1, ItemKind.SHOWN: 2}
MAX_ITEMS = 200

NOT_FOUND = (
    "This visit is no longer in your diary, or you can no longer see this person's record, so it was "
    "not sent. What you wrote is still on this phone: copy it, and ask your team manager."
)


class BadItem(ValueError):
    """The phone sent something that is not an item this service understands."""


def _answer(client_id, status, message="", **extra) -> dict:
    return {"id": str(client_id), "status": status, "message": message, **extra}


def _moment(value) -> datetime:
    """When the phone says it happened: a timestamp it wrote, never later than now."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadItem("time") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return min(moment, timezone.now())


def _parse(item) -> tuple[uuid.UUID, str, int, datetime]:
    if not isinstance(item, dict):
        raise BadItem("item")
    try:
        client_id = uuid.UUID(str(item.get("id")))
        appointment_id = int(str(item.get("appointment_id")))
    except (TypeError, ValueError):
        raise BadItem("id") from None
    kind = item.get("kind")
    if kind not in ItemKind.values:
        raise BadItem("kind")
    return client_id, kind, appointment_id, _moment(item.get("at"))


def _saved_answer(receipt: SyncReceipt) -> dict:
    person_id = receipt.person_id
    if receipt.kind == ItemKind.SHOWN:
        return _answer(receipt.client_id, "saved")
    if receipt.kind == ItemKind.NOTE:
        link = reverse("notes:edit", args=[person_id, receipt.note_id])
        return _answer(
            receipt.client_id, "saved", "Note draft saved. Open it to check it and sign it.", link=link
        )
    link = reverse("contacts:contact", args=[person_id, receipt.contact_id])
    if receipt.outcome == Outcome.CONFLICT:
        contact = receipt.contact
        assert contact is not None  # a conflict always names the contact recorded first
        return _answer(
            receipt.client_id,
            "conflict",
            f"{contact.recorded_by.display_name} recorded this visit first, at "
            f"{timezone.localtime(contact.recorded_at):%H:%M} ({contact.get_attendance_display().lower()}). "
            "What you entered has not been saved: it is below. If their entry is wrong, open it and correct it.",
            link=link,
        )
    return _answer(receipt.client_id, "saved", "Contact recorded.", link=link)


def sync(*, user, items, path="") -> list[dict]:
    """Record each item once; answer each (saved, conflict, rejected or refused) by its id."""
    permissions.require(user, SEND_OFFLINE_RECORDS)
    if not isinstance(items, list):
        raise BadItem("items")
    answers = []
    parsed = []
    for item in items[:MAX_ITEMS]:
        try:
            parsed.append((_parse(item), item))
        except BadItem:
            answers.append(
                _answer(
                    item.get("id", "") if isinstance(item, dict) else "",
                    "rejected",
                    "This item could not be read, so it was not sent.",
                )
            )
    parsed.sort(key=lambda pair: ORDER[pair[0][1]])
    for (client_id, kind, appointment_id, at), item in parsed:
        answers.append(_one(user, client_id, kind, appointment_id, at, item, path))
    return answers


def _one(user, client_id, kind, appointment_id, at, item, path) -> dict:
    receipt = SyncReceipt.objects.filter(client_id=client_id).select_related("contact__recorded_by").first()
    if receipt is not None:
        if receipt.user_id != user.pk:
            return _answer(client_id, "rejected", "This item could not be read, so it was not sent.")
        return _saved_answer(receipt)
    appointment = (
        Appointment.objects.filter(pk=appointment_id, staff=user).select_related("person", "team").first()
    )
    access = access_for(user, appointment.person) if appointment else None
    if appointment is None or (access is None and kind != ItemKind.SHOWN):
        return _answer(client_id, "refused", NOT_FOUND)
    actor = Actor(
        user=user,
        basis=access.basis if access else Basis.NONE,
        break_glass_reason=access.break_glass_reason if access else "",
        path=path,
    )
    handler = {ItemKind.CONTACT: _contact, ItemKind.NOTE: _note, ItemKind.SHOWN: _shown}[kind]
    try:
        with transaction.atomic():
            return handler(actor, client_id, appointment, at, item)
    except IntegrityError:
        # The same item arrived twice at once: the other arrival recorded it; answer as it did.
        receipt = SyncReceipt.objects.filter(client_id=client_id, user=user).first()
        if receipt is None:
            raise
        return _saved_answer(receipt)
    except PermissionRefused as refused:
        return _answer(client_id, "refused", f"{refused.message} What you wrote is still on this phone.")
    except note_services.NoteError as error:
        return _answer(client_id, "rejected", f"{error} What you wrote is still on this phone.")


def _receipt(actor, client_id, kind, appointment, at, **links) -> SyncReceipt:
    return SyncReceipt.objects.create(
        client_id=client_id,
        user=actor.user,
        kind=kind,
        person=appointment.person,
        appointment=appointment,
        happened_at=at,
        **links,
    )


def _contact(actor, client_id, appointment, at, item) -> dict:
    user = actor.user
    data = item.get("data") if isinstance(item.get("data"), dict) else {}
    activities = data.get("activities")
    if not isinstance(activities, list):
        activities = []
    form = ContactForm(
        {
            "team": appointment.team_id,
            "date_day": appointment.date.day,
            "date_month": appointment.date.month,
            "date_year": appointment.date.year,
            "start_time": str(data.get("start_time") or f"{appointment.start_time:%H:%M}"),
            "attendance": str(data.get("attendance") or ""),
            "mechanism": appointment.mechanism,
            "location_type": appointment.location_type,
            "duration_minutes": str(data.get("duration_minutes") or ""),
            "staff": [user.pk],
            "activities": [str(a) for a in activities],
        },
        teams=user_teams(user),
        staff=staff_of_teams(user.current_team_ids()),
    )
    if not form.is_valid():
        errors = {name: str(messages[0]) for name, messages in form.errors.items()}
        return _answer(
            client_id,
            "rejected",
            "Not sent: " + "; ".join(errors.values()) + ". What you entered is still on this phone.",
            errors=errors,
        )
    try:
        contact = contact_services.record_contact(
            by=actor, person=appointment.person, data=form.contact_data(), appointment=appointment
        )
    except contact_services.AlreadyRecorded as first:
        receipt = _receipt(
            actor,
            client_id,
            ItemKind.CONTACT,
            appointment,
            at,
            outcome=Outcome.CONFLICT,
            contact=first.contact,
        )
        return _saved_answer(receipt)
    receipt = _receipt(
        actor, client_id, ItemKind.CONTACT, appointment, at, outcome=Outcome.SAVED, contact=contact
    )
    return _saved_answer(receipt)


def _note(actor, client_id, appointment, at, item) -> dict:
    text = str(item.get("text") or "").strip()
    if not text:
        return _answer(client_id, "rejected", "The note is empty, so it was not sent.")
    contact = None
    contact_item = item.get("contact_item")
    if contact_item:
        try:
            linked = (
                SyncReceipt.objects.filter(
                    client_id=uuid.UUID(str(contact_item)),
                    user=actor.user,
                    appointment=appointment,
                    kind=ItemKind.CONTACT,
                    outcome=Outcome.SAVED,
                )
                .select_related("contact")
                .first()
            )
        except ValueError:
            linked = None
        contact = linked.contact if linked else None
    note_type = note_services.note_type_for_contact(contact or appointment)
    note = note_services.start_note(
        by=actor,
        person=appointment.person,
        note_type=note_type,
        team=appointment.team,
        event_at=contact.occurred_at if contact else combine_local(appointment.date, appointment.start_time),
        contact=contact,
    )
    note, _changed = note_services.save_draft(by=actor, note=note, data={"text": text}, version=note.version)
    receipt = _receipt(actor, client_id, ItemKind.NOTE, appointment, at, outcome=Outcome.SAVED, note=note)
    return _saved_answer(receipt)


def _shown(actor, client_id, appointment, at, item) -> dict:
    """The phone showed this visit from its encrypted copy (no signal): audit it now, timed then."""
    audit.write(
        actor,
        action=Action.VIEW,
        record_type=RecordType.OFFLINE_VIEW,
        person=appointment.person,
        record_id=appointment.pk,
        occurred_at=at,
    )
    receipt = _receipt(actor, client_id, ItemKind.SHOWN, appointment, at, outcome=Outcome.SAVED)
    return _saved_answer(receipt)


@transaction.atomic
def audit_visit_day(*, user, visits, path="") -> None:
    """One audit row per person whose visit is sent to the page (and so to the phone)."""
    for visit in visits:
        actor = Actor(
            user=user,
            basis=visit.access.basis,
            break_glass_reason=visit.access.break_glass_reason,
            path=path,
        )
        audit.write(
            actor,
            action=Action.VIEW,
            record_type=RecordType.VISIT_DAY,
            person=visit.appointment.person,
            record_id=visit.appointment.pk,
        )
