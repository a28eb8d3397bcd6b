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
    """The figures for the history chart. PARTIAL: drawn by the shared SVG chart once it is on main;
    until then the page shows the table (which carries every figure the chart would)."""
    return None
