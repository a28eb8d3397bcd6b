"""Reads of outcome measures for pages, the record tab, the clock-stop, the worklist and team
lists: each a fixed number of queries however many measures a person has."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType
from waypoint.core.memo import per_request

from . import licences, scoring
from .definitions import Definition
from .models import Measure, Timing


def measures_of(person) -> list[Measure]:
    """Every measure of the person, oldest first, with who recorded it and any replacement. One query."""
    return list(Measure.objects.filter(person=person).select_related("recorded_by", "replaced_by").in_order())


def measure_of(person, measure_id):
    return (
        Measure.objects.filter(person=person, pk=measure_id)
        .select_related("recorded_by", "replaced_by", "replaces", "person")
        .first()
    )


def measure_for_page(request, person_id, measure_id):
    """Open the measure through the access policy (404 before any audit row unless it is this
    person's and the user has a basis), then read it. Returns (RecordAccess, Measure)."""
    opened = open_record(
        request, person_id, model=Measure, record_id=measure_id, record_type=RecordType.OUTCOME_MEASURE
    )
    return opened, measure_of(opened.person, measure_id)


@dataclass(frozen=True)
class HistoryRow:
    measure: Measure
    is_baseline: bool
    change: scoring.Change | None  # from the baseline (None for the baseline itself)
    in_clinical_range: bool | None


@dataclass(frozen=True)
class History:
    defn: Definition
    rows: list[HistoryRow]  # current measures, oldest first
    replaced: list[Measure]

    @property
    def baseline(self):
        return next((row for row in self.rows if row.is_baseline), None)

    @property
    def latest(self):
        return self.rows[-1] if self.rows else None


def _baseline(current: list[Measure]) -> Measure | None:
    """The first measure done as a baseline; if none was marked baseline, the first scored one."""
    scored = [m for m in current if m.total is not None]
    return next((m for m in scored if m.timing == Timing.BASELINE), scored[0] if scored else None)


def history_from(defn: Definition, measures: list[Measure]) -> History:
    """One measure's history from already-fetched rows (no query)."""
    mine = [m for m in measures if m.code == defn.code]
    current = [m for m in mine if m.replacement is None]
    baseline = _baseline(current)
    rows = []
    for m in current:
        is_baseline = baseline is not None and m.pk == baseline.pk
        change = None
        if baseline is not None and not is_baseline and m.completed_on >= baseline.completed_on:
            change = scoring.change_since(defn, baseline.total, m.total)
        rows.append(HistoryRow(m, is_baseline, change, defn.in_clinical_range(m.total)))
    return History(defn, rows, [m for m in mine if m.replacement is not None])


def history(person, defn: Definition) -> History:
    """One query."""
    return history_from(
        defn,
        list(
            Measure.objects.filter(person=person, code=defn.code)
            .select_related("recorded_by", "replaced_by")
            .in_order()
        ),
    )


def summaries(person) -> list[History]:
    """Every measure the person has, each with its history (for the Measures tab). One query."""
    measures = measures_of(person)
    codes = []
    for m in measures:
        if m.code not in codes:
            codes.append(m.code)
    found = []
    for code in codes:
        defn = licences.any_definition(code)
        if defn is not None:
            found.append(history_from(defn, measures))
    return found


def since(measures_history: History, day: date) -> list[HistoryRow]:
    return [row for row in measures_history.rows if row.measure.completed_on > day]


def people_with_a_measure_since(pairs: list[tuple[int, date]]) -> set[int]:
    """Of (person id, since) pairs, the people with a current measure on or after their date. One query."""
    if not pairs:
        return set()
    earliest = min(day for _, day in pairs)
    wanted = dict(pairs)
    found = set()
    rows = (
        Measure.objects.current()
        .filter(person_id__in=list(wanted), completed_on__gte=earliest)
        .values_list("person_id", "completed_on")
    )
    for person_id, completed_on in rows:
        if completed_on >= wanted[person_id]:
            found.add(person_id)
    return found


@per_request
def measure_dates_for(person_ids) -> dict[int, list[date]]:
    """person id -> the dates of their current, scored measures. One query, shared per request."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    found: dict[int, list[date]] = {}
    if not ids:
        return found
    rows = (
        Measure.objects.current()
        .filter(person_id__in=ids, total__isnull=False)
        .order_by("completed_on")
        .values_list("person_id", "completed_on")
    )
    for person_id, completed_on in rows:
        found.setdefault(person_id, []).append(completed_on)
    return found


def latest_totals(person_ids, code=None) -> dict[int, list[Measure]]:
    """person id -> their current measures, oldest first. One query for any number of people."""
    rows = Measure.objects.current().filter(person_id__in=list(person_ids))
    if code:
        rows = rows.filter(code=code)
    found: dict[int, list[Measure]] = {}
    for m in rows.in_order():
        found.setdefault(m.person_id, []).append(m)
    return found


def chart_points(h: History) -> list[tuple[date, Decimal]]:
    return [(row.measure.completed_on, row.measure.total) for row in h.rows if row.measure.total is not None]


@dataclass(frozen=True)
class SinceReview:
    history: History
    rows: list[HistoryRow]  # measures done after the last review
    before: HistoryRow | None  # the latest measure done on or before the last review


def since_last_review(person) -> tuple[date | None, list[SinceReview]]:
    """(the date of the last held review, each measure's rows since then with the one before).
    Two queries: the last held review, and every measure of the person."""
    from waypoint.reviews.models import Review

    held_on = (
        Review.objects.held()
        .filter(person=person)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    found = []
    for h in summaries(person):
        if held_on is None:
            rows, before = h.rows, None
        else:
            rows = [row for row in h.rows if row.measure.completed_on > held_on]
            earlier = [row for row in h.rows if row.measure.completed_on <= held_on]
            before = earlier[-1] if earlier else None
        if rows:
            found.append(SinceReview(h, rows, before))
    return held_on, found


def unfinished_self_completions(person) -> list:
    """Questionnaires handed to the person and not finished (their answers so far are kept)."""
    from .models import SelfCompletion, SelfCompletionStatus

    return list(
        SelfCompletion.objects.filter(person=person, status=SelfCompletionStatus.IN_PROGRESS).order_by(
            "-started_at"
        )
    )


def dialog_plus_sessions(person) -> list:
    from .models import DialogPlusSession

    return list(
        DialogPlusSession.objects.filter(person=person).select_related("measure").order_by("-recorded_at")
    )


def self_completion_for_handover(self_completion_id):
    """The questionnaire a handed-over session is locked to, with its person; None if there is none.
    The caller checks the acting member of staff's access to that person before using it."""
    from .models import SelfCompletion

    if not self_completion_id:
        return None
    return SelfCompletion.objects.select_related("person").filter(pk=self_completion_id).first()
