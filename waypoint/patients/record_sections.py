"""The person's record as a workspace: tabs, the sections on them, and the facts they share.

Other contexts plug into the record without the person index knowing them, from their own
`extensions.py`:

- **Tabs** (`register_tab`): one entry in the record's sub-navigation. A tab is either a page of
  sections (`/people/<id>/record/<key>/`, the default) or links to a page of its own
  (`url_name`). `namespaces` says which apps' pages belong to the tab, so the tab is marked as
  current on them too.
- **Sections** (`register_section`): a template and a loader. The loader takes one argument, the
  request's `RecordContext`, and returns the template's `section` context. A section says which
  tabs it appears on (`tabs`, "overview" for the first screen).
- **Banner items** (`register_banner_item`): a line in the person banner on every page of the
  record (allergies, legal status, an open safeguarding concern). The loader takes the person and
  the request's user and returns the template's `item` context, or None to show nothing. Each item
  costs its queries on every record page: keep it to one, and keep the loader cheap.
- **Facts** (`register_fact`): something several sections need about the person (for example
  their current allocations or what is due). A fact is computed at most once per request, the
  first time a loader asks for it (`record.allocations`), and shared by every section after.

Loaders must use a fixed number of queries, however many rows the person has.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

OVERVIEW = "overview"


@dataclass(frozen=True)
class RecordTab:
    key: str
    label: str
    order: int
    url_name: str = ""  # a page of its own (takes the person id); blank: the tab page of sections
    namespaces: tuple[str, ...] = ()  # the apps whose pages belong to this tab


@dataclass(frozen=True)
class RecordSection:
    key: str
    order: int
    template: str
    loader: Callable  # (record: RecordContext) -> dict
    tabs: tuple[str, ...] = field(default=(OVERVIEW,))


@dataclass(frozen=True)
class BannerItem:
    key: str
    order: int
    template: str  # rendered with `item` (the loader's answer) and `person`
    loader: Callable  # (person, user) -> dict | None


_tabs: dict[str, RecordTab] = {}
_banner_items: dict[str, BannerItem] = {}
_sections: dict[str, RecordSection] = {}
_facts: dict[str, Callable] = {}


def register_tab(tab: RecordTab) -> None:
    _tabs[tab.key] = tab


def register_section(section: RecordSection) -> None:
    _sections[section.key] = section


def register_banner_item(item: BannerItem) -> None:
    _banner_items[item.key] = item


def banner_items(person, user=None) -> list[tuple[str, dict]]:
    """(template, item context) for each banner item that has something to show, in order."""
    shown = []
    for entry in sorted(_banner_items.values(), key=lambda b: b.order):
        item = entry.loader(person, user)
        if item is not None:
            shown.append((entry.template, item))
    return shown


def register_fact(name: str, loader: Callable) -> None:
    """`loader(record) -> value`, computed once per request when a section first asks for it."""
    _facts[name] = loader


def tabs() -> list[RecordTab]:
    return sorted(_tabs.values(), key=lambda tab: tab.order)


def tab(key: str) -> RecordTab | None:
    return _tabs.get(key)


def sections(tab_key: str | None = None) -> list[RecordSection]:
    """The sections on one tab in order (every section when `tab_key` is None)."""
    chosen = [s for s in _sections.values() if tab_key is None or tab_key in s.tabs]
    return sorted(chosen, key=lambda s: s.order)


class RecordContext:
    """One request's view of one person's record: each fact is computed once, then shared.

    `record.person`, `record.today`, `record.now`, `record.user`, and every registered fact as an
    attribute (`record.allocations`, `record.due_items`, ...).
    """

    def __init__(self, person, *, user=None, now: datetime | None = None):
        self.person = person
        self.user = user
        self.now = now or timezone.now()
        self.today: date = timezone.localdate(self.now)
        self._cache: dict[str, object] = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            loader = _facts.get(name)
            if loader is None:
                raise AttributeError(f"No record fact called {name!r} is registered")
            self._cache[name] = loader(self)
        return self._cache[name]


def sections_for(record: RecordContext, tab_key: str | None = OVERVIEW):
    """(template, section context) for each section on the tab, sharing one RecordContext."""
    return [(section.template, section.loader(record)) for section in sections(tab_key)]


def navigation(request, person) -> list[dict]:
    """The record's sub-navigation for `person`, with the tab the request is on marked current.

    A Jinja global (`record_navigation`), so every page of the record shows the same tabs.
    """
    from django.urls import reverse

    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    current = ""
    if match and match.url_name == "detail" and namespace == "patients":
        current = OVERVIEW
    elif match and namespace == "patients" and match.kwargs.get("tab"):
        current = match.kwargs["tab"]
    elif match and match.url_name and match.url_name.startswith("record_") and namespace == "patients":
        current = match.url_name.removeprefix("record_")
    else:
        current = next((t.key for t in tabs() if namespace in t.namespaces), "")
    items = []
    for entry in tabs():
        if entry.url_name:
            href = reverse(entry.url_name, args=[person.pk])
        elif entry.key == OVERVIEW:
            href = reverse("patients:detail", args=[person.pk])
        else:
            href = reverse(f"patients:record_{entry.key}", args=[person.pk])
        items.append({"text": entry.label, "href": href, "current": entry.key == current})
    return items
