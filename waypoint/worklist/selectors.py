"""My caseload, one coordinator's caseload and the team view: a fixed number of queries whatever
the caseload size. Every provider is called once, with every person id on the page."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from waypoint.accounts.models import Membership, RoleCode, User
from waypoint.episodes import selectors as episodes
from waypoint.episodes.models import AllocationKind
from waypoint.episodes.selectors import team_members_with_caseloads
from waypoint.patients.models import Person

from .registry import DueItem, Severity, due_for, registered_providers

SORTS = {
    "worst": "Worst first",
    "name": "Name",
    "due": "Next due date",
}


def kind_label(key: str) -> str:
    """A provider key in plain English: "care_plan_review" -> "Care plan review"."""
    return key.replace("_", " ").strip().capitalize()


@dataclass
class CaseloadRow:
    person: Person
    roles: list[str] = field(default_factory=list)
    weight: int = 0
    items: list[DueItem] = field(default_factory=list)

    @property
    def worst(self) -> Severity | None:
        return min((item.severity for item in self.items), default=None)

    @property
    def next_due(self) -> date | None:
        return min((item.due for item in self.items if item.due), default=None)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.severity == Severity.OVERDUE)


def caseload(worker, today: date | None = None, *, team=None, viewer=None, now=None) -> list[CaseloadRow]:
    """Everyone the worker currently coordinates or is the assessing worker for, each with
    everything that is due (worst first). `team` limits to allocations in that team; `viewer`
    (a supervising manager) limits to people the viewer may see."""
    today = today or timezone.localdate()
    rows: dict[int, CaseloadRow] = {}
    for allocation in episodes.caseload_allocations(worker, team=team, visible_to=viewer, now=now):
        row = rows.setdefault(allocation.person_id, CaseloadRow(person=allocation.person))
        label = allocation.get_kind_display()
        if label not in row.roles:
            row.roles.append(label)
        if allocation.kind == AllocationKind.CARE_COORDINATOR:
            row.weight += allocation.weight
    for person_id, items in due_for(rows.keys(), today).items():
        if person_id in rows:
            rows[person_id].items = items
    return list(rows.values())


def filter_rows(rows: list[CaseloadRow], *, overdue_only=False, kind="") -> list[CaseloadRow]:
    """Keep only overdue items and/or items of one kind; people left with nothing are dropped."""
    if not overdue_only and not kind:
        return rows
    kept = []
    for row in rows:
        items = [
            item
            for item in row.items
            if (not overdue_only or item.severity == Severity.OVERDUE) and (not kind or item.kind == kind)
        ]
        if items:
            kept.append(CaseloadRow(person=row.person, roles=row.roles, weight=row.weight, items=items))
    return kept


def _name_key(row):
    return (row.person.family_name.lower(), row.person.given_name.lower(), row.person.pk)


def sort_rows(rows: list[CaseloadRow], sort: str = "worst") -> list[CaseloadRow]:
    if sort == "name":
        return sorted(rows, key=_name_key)
    if sort == "due":
        return sorted(rows, key=lambda r: (r.next_due is None, r.next_due or date.max, *_name_key(r)))
    # worst first: the most pressing item, then how many overdue, then the earliest date, then name
    return sorted(
        rows,
        key=lambda r: (
            r.worst or Severity.UPCOMING + 1,
            -r.overdue_count,
            r.items[0].due or date.min if r.items else date.max,
            *_name_key(r),
        ),
    )


def counts(rows: list[CaseloadRow]) -> dict:
    items = [item for row in rows for item in row.items]
    return {
        "people": len(rows),
        "people_overdue": sum(1 for row in rows if row.overdue_count),
        "overdue": sum(1 for item in items if item.severity == Severity.OVERDUE),
        "due_soon": sum(1 for item in items if item.severity == Severity.DUE_SOON),
        "nothing_due": sum(1 for row in rows if not row.items),
    }


def kind_choices(rows: list[CaseloadRow]) -> list[tuple[str, str]]:
    """Every registered kind, plus any kind an item carries (a provider may use several keys)."""
    keys = set(registered_providers()) | {item.kind for row in rows for item in row.items}
    return sorted(((key, kind_label(key)) for key in keys), key=lambda pair: pair[1])


@dataclass
class CoordinatorSummary:
    worker: object
    coordinating_count: int
    coordinating_weight: int
    assessing_count: int
    people: int = 0
    overdue: int = 0
    due_soon: int = 0
    people_overdue: int = 0


def team_coordinators(team, now=None) -> list:
    """The team's care coordinators (or anyone holding a caseload there), by name, each with
    caseload counts and weight (SQL aggregates: cheap whatever the team's size)."""
    return [
        member
        for member in team_members_with_caseloads(team, now)
        if RoleCode.CARE_COORDINATOR in {role.code for role in member.roles.all()}
        or member.coordinating_count
        or member.assessing_count
    ]


def team_overview(
    team, today: date | None = None, now=None, *, coordinators=None
) -> list[CoordinatorSummary]:
    """Each care coordinator in the team (or anyone holding a caseload there) with caseload size
    and weight and the count of overdue and due-soon items across their caseload in this team.

    `coordinators` (one page of `team_coordinators`) limits the work to their people: what is due
    is computed per person, so the team view pages its coordinators rather than computing it for
    a whole team of thousands on every view (issue 19)."""
    today = today or timezone.localdate()
    if coordinators is None:
        coordinators = team_coordinators(team, now)
    people_of: dict[int, set[int]] = defaultdict(set)
    people_of.update(episodes.caseload_people_by_worker(team, [member.pk for member in coordinators], now))
    due = due_for({pk for people in people_of.values() for pk in people}, today)
    summaries = []
    for member in coordinators:
        summary = CoordinatorSummary(
            worker=member,
            coordinating_count=member.coordinating_count,
            coordinating_weight=member.coordinating_weight,
            assessing_count=member.assessing_count,
            people=len(people_of[member.pk]),
        )
        for person_id in people_of[member.pk]:
            items = due.get(person_id, [])
            overdue = sum(1 for item in items if item.severity == Severity.OVERDUE)
            summary.overdue += overdue
            summary.people_overdue += 1 if overdue else 0
            summary.due_soon += sum(1 for item in items if item.severity == Severity.DUE_SOON)
        summaries.append(summary)
    return summaries


def is_current_member(worker_id: int, team) -> bool:
    return Membership.objects.current().filter(team=team, user_id=worker_id, user__is_active=True).exists()


def worker_by_id(worker_id: int):
    return User.objects.filter(pk=worker_id).first()
