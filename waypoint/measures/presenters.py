"""What measure pages show: answers in words, subscales, the safety prompt's links, the chart."""

from decimal import Decimal

from django.urls import reverse

from .definitions.licensed import HONOS_PROBLEM_TYPES
from .forms import item_field_name
from .scoring import item_score


def number(value, decimals=0) -> str:
    if value is None:
        return ""
    value = Decimal(str(value))
    return f"{value:.{decimals}f}"


def initial_from(measure) -> dict:
    """A correction starts from the answers being corrected."""
    initial = {
        "timing": measure.timing,
        "completed_on": measure.completed_on,
        "completed_by_who": measure.completed_by_who,
        "mode": measure.mode,
    }
    for key, value in (measure.answers or {}).items():
        initial[item_field_name(key)] = "" if value is None else str(value)
    for key, words in (measure.details or {}).get("goals", {}).items():
        initial[f"goal_text_{key}"] = words
    if "problem_type" in (measure.details or {}):
        initial["problem_type"] = measure.details["problem_type"]
        initial["problem_type_other"] = measure.details.get("problem_type_other", "")
    return initial


def answer_rows(defn, measure) -> list[dict]:
    rows = []
    goals = (measure.details or {}).get("goals", {})
    for number_, item in enumerate(defn.items, start=1):
        answer = (measure.answers or {}).get(item.key)
        option = next((o for o in item.options if o.value == answer), None)
        if answer is None:
            shown, scored = "Not answered", ""
        elif item.not_known is not None and answer == item.not_known:
            shown, scored = option.label, "Not counted"
        else:
            shown = option.label if option else str(answer)
            scored = str(item_score(item, answer))
        label = item.text
        if item.key in goals:
            label = f"{item.short}: {goals[item.key]}" if goals[item.key] else item.short
        rows.append(
            {
                "number": number_,
                "text": label,
                "answer": shown,
                "score": scored,
                "reverse": item.reverse,
                "safety": item.safety and (answer or 0) > 0,
            }
        )
    problem = (measure.details or {}).get("problem_type")
    if problem:
        label = dict(HONOS_PROBLEM_TYPES).get(problem, problem)
        other = measure.details.get("problem_type_other")
        rows.append(
            {
                "number": "",
                "text": "Scale 8 problem type",
                "answer": f"{problem}: {label}" + (f" ({other})" if other else ""),
                "score": "",
                "reverse": False,
                "safety": False,
            }
        )
    return rows


def subscale_rows(defn, measure) -> list[tuple[str, str]]:
    return [
        (sub.label, number(measure.subscales.get(sub.key), defn.decimals) or "Not scored")
        for sub in defn.subscales
    ]


def safety_links(person) -> list[tuple[str, str]]:
    return [
        ("Review the risk formulation", reverse("risk:current", args=[person.pk])),
        ("Review the safety plan", reverse("plans:index", args=[person.pk])),
    ]


def chart(h):
    """The history as the shared server-rendered SVG line chart (waypoint/core/charts.py): the
    clinical cut-off as a labelled dashed line, and each reliable change from the baseline marked
    in words on its point (readable without colour); the macro puts a data table beside it."""
    from waypoint.core.charts import LineChart, Point, ReferenceLine, Series

    points = []
    for row in h.rows:
        if row.measure.total is None:
            continue
        mark = "Baseline" if row.is_baseline else ""
        if row.change is not None and row.change.reliable:
            mark = row.change.words.capitalize()
        points.append(Point(row.measure.completed_on, float(row.measure.total), mark=mark))
    if not points:
        return None
    defn = h.defn
    lines = []
    if defn.cutoff is not None:
        lines.append(ReferenceLine(float(defn.cutoff), f"Cut-off {defn.cutoff:g}"))
    better = "higher is better" if defn.higher_is_better else "lower is better"
    return LineChart(
        title=f"{defn.name} scores over time",
        y_label="Score",
        y_min=float(defn.lowest),
        y_max=float(defn.highest),
        series=[Series(defn.name, points)],
        lines=lines,
        description=f"{defn.name} scores from {points[0].x:%-d %B %Y} to {points[-1].x:%-d %B %Y} ({better}). "
        "The figures are in the table.",
    )
