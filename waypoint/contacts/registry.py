"""What other modules add to the diary and to the contact form, without contacts importing them.

- **Diary sources** (`register_diary_source`): a function `(user, first_day, last_day, today) ->
  iterable of DiaryEntry` giving the member of staff's own work on those days besides
  appointments (the depot injections they give, from medicines). It answers for the whole week
  with a fixed number of queries, never one per row. My diary drops entries about people the user
  may not see now (in the same one query that decides which appointments are named).
- **Contact form parts** (`register_contact_form_part`): a form shown inside "Record what
  happened" and "Record a contact" (brief interventions, from medicines). Its `save` runs inside
  the contact's own transaction, after the contact is written, so both are saved or neither is;
  `loader` gives what the contact's page shows about it.

Modules register theirs in their `extensions.py`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DiaryEntry:
    person_id: int
    person_name: str
    day: date  # the day it shows on (today for something overdue)
    kind: str  # the source key, e.g. "depot"
    what: str  # plain English, e.g. "Depot injection due: Paliperidone 100 mg"
    url: str  # where to do it
    link_text: str  # e.g. "Record the injection"
    detail: str = ""  # e.g. "Due 2 December, window 29 November to 5 December"
    overdue: bool = False

    def sort_key(self):
        return (self.day, not self.overdue, self.person_name, self.what)


DiarySource = Callable[[Any, date, date, date], Iterable[DiaryEntry]]
_diary_sources: dict[str, DiarySource] = {}


def register_diary_source(key: str, source: DiarySource) -> None:
    """Plug a module's work into My diary (idempotent per key)."""
    _diary_sources[key] = source


def diary_entries_for(user, first_day: date, last_day: date, today: date) -> list[DiaryEntry]:
    """Every registered source's entries for the user's days, in day order (people not filtered)."""
    entries: list[DiaryEntry] = []
    for source in _diary_sources.values():
        entries.extend(source(user, first_day, last_day, today))
    return sorted(entries, key=DiaryEntry.sort_key)


@dataclass(frozen=True)
class ContactFormPart:
    """A module's part of the contact form.

    `form(data, person)` builds the (prefixed) Django form; `save(by, person, contact, form)` writes
    it through the module's own service, inside the contact's transaction, and is called only for
    an attended contact; `loader(contact)` returns what the contact's page shows (or None), with
    `page_template` to show it.
    """

    key: str
    order: int
    template: str
    form: Callable[..., Any]
    save: Callable[..., None]
    page_template: str = ""
    loader: Callable[[Any], Any] | None = field(default=None)


_contact_form_parts: dict[str, ContactFormPart] = {}


def register_contact_form_part(part: ContactFormPart) -> None:
    _contact_form_parts[part.key] = part


def contact_form_parts() -> list[ContactFormPart]:
    return sorted(_contact_form_parts.values(), key=lambda p: (p.order, p.key))
