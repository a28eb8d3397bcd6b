"""The service reports, as a registry other modules add to from their own `extensions.py`.

    from waypoint.reports.registry import Report, register_report
    register_report(Report("outcome_measures", "Outcome measures paired", 70, compute))

`compute(scope) -> Table` must run a FIXED number of queries whatever the number of rows
(aggregate SQL, not a loop over people; the reports' query-count tests run every registered
report at two sizes). A report shows aggregates only: no person is named.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Scope:
    """Which teams (None: the whole service) and which dates, inclusive."""

    team_ids: tuple[int, ...] | None
    start: date
    end: date
    label: str = "Whole service"

    def teams_q(self, field_name: str = "team_id") -> dict:
        return {} if self.team_ids is None else {f"{field_name}__in": self.team_ids}


@dataclass
class Chart:
    """What the chart shows: a bar chart of one or more series over the table's first column, or a line."""

    kind: str  # "bar" or "line"
    series: list[str]  # column headings of the numeric columns to plot
    y_label: str = "Number"
    label_columns: int = 1  # how many first columns name a bar (for example month and medium)
    leave_out_last_row: bool = False  # a total row is in the table, not the chart


@dataclass
class Table:
    columns: list[str]
    rows: list[list]
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    order: int
    compute: Callable[[Scope], Table]
    description: str = ""
    # A drill-down list: people(scope) -> a queryset of person ids behind one figure, shown only
    # for the people the reader may see (Person.objects.visible_to), with `people_label` as its title.
    people: Callable | None = None
    people_label: str = ""


_reports: dict[str, Report] = {}


def register_report(report: Report) -> None:
    _reports[report.key] = report


def reports() -> list[Report]:
    return sorted(_reports.values(), key=lambda r: (r.order, r.key))


def report(key: str) -> Report | None:
    return _reports.get(key)
