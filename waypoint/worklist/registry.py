"""What is due for a person: each module registers a provider; the worklist composes them.

A *provider* is a function `(person_ids, today) -> iterable of DueItem` that answers for many
people at once with a fixed number of queries (filter with `person_id__in=person_ids`; never one
query per person). Modules register theirs in their `AppConfig.ready()` with
`register_provider("key", provider)`; the record overview, "My caseload" and the team views call
`due_for(person_ids, today)` and never import the modules that feed them.

Nothing here is a risk score: an item says what is due or overdue, by when, and where to do it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from waypoint.core.memo import request_scope


class Severity(IntEnum):
    """How pressing an item is. Lower sorts first ("worst first")."""

    OVERDUE = 1
    DUE_SOON = 2  # due within the next 14 days, or missing and expected
    UPCOMING = 3

    @property
    def label(self) -> str:
        return {1: "Overdue", 2: "Due soon", 3: "Upcoming"}[self.value]

    @property
    def tag_colour(self) -> str:
        return {1: "red", 2: "orange", 3: "grey"}[self.value]


@dataclass(frozen=True)
class DueItem:
    person_id: int
    kind: str  # the provider key, e.g. "care_plan_review"
    what: str  # plain English, e.g. "Care plan review overdue"
    due: date | None  # None when something expected is missing ("No safety plan")
    severity: Severity
    url: str = ""  # where to do it

    def sort_key(self):
        return (self.severity, self.due or date.min, self.what)


Provider = Callable[[list[int], date], Iterable[DueItem]]
_providers: dict[str, Provider] = {}

DUE_SOON_DAYS = 14


def register_provider(key: str, provider: Provider) -> None:
    """Plug a module's due items into the worklist (idempotent per key)."""
    _providers[key] = provider


def registered_providers() -> list[str]:
    return list(_providers)


def severity_for(due: date | None, today: date, *, soon_days: int = DUE_SOON_DAYS) -> Severity:
    """Overdue if the date has passed, due soon within `soon_days`, else upcoming. None (missing) is due soon."""
    if due is None:
        return Severity.DUE_SOON
    if due < today:
        return Severity.OVERDUE
    if (due - today).days <= soon_days:
        return Severity.DUE_SOON
    return Severity.UPCOMING


def due_for(person_ids: Iterable[int], today: date) -> dict[int, list[DueItem]]:
    """Every registered provider's items for these people, worst first per person."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    found: dict[int, list[DueItem]] = {pk: [] for pk in ids}
    if not ids:
        return found
    with request_scope():  # providers share their reads (allocations, plans, reviews, ...) once
        for provider in _providers.values():
            for item in provider(ids, today):
                found.setdefault(item.person_id, []).append(item)
    for items in found.values():
        items.sort(key=DueItem.sort_key)
    return found
