"""Display of an assessment's answers: the schema's sections as NHS.UK summary-list rows."""

from datetime import date

from markupsafe import Markup, escape

from waypoint.config.jinja2 import nhs_date

from .models import Kind
from .schema import CAPACITY_OUTCOME_LABELS, SCHEMAS, capacity_outcome

NOT_ANSWERED = "Not answered"


def _text(value):
    lines = str(value).strip().splitlines()
    return Markup("<br>").join(escape(line) for line in lines)


def display_value(question, value):
    if value in (None, "", []):
        return NOT_ANSWERED
    if question.type == "date":
        try:
            return nhs_date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if question.type in ("yesno", "choice"):
        return dict(question.choices).get(value, value)
    if question.type == "checkboxes":
        labels = dict(question.choices)
        return Markup("<br>").join(escape(labels.get(item, item)) for item in value)
    return _text(value)


def sections(kind, answers: dict):
    """[(heading, intro, rows)] for every section with at least one question."""
    found = []
    for section in SCHEMAS[kind]:
        if not section.questions:
            continue
        rows = [
            {
                "key": {"text": question.label},
                "value": {"html": escape(display_value(question, answers.get(question.name)))},
            }
            for question in section.questions
        ]
        found.append((section.heading, rows))
    return found


def capacity_outcome_label(answers):
    return CAPACITY_OUTCOME_LABELS[capacity_outcome(answers)]


def summary_line(assessment):
    """A short plain description for lists: the decision, the carer, or the needs identified."""
    answers = assessment.answers or {}
    if assessment.kind == Kind.CAPACITY:
        decision = (answers.get("decision") or "").strip()
        return (decision[:80] + "…") if len(decision) > 80 else decision
    if assessment.kind == Kind.CARER:
        return assessment.carer.name if assessment.carer_id else ""
    if assessment.kind == Kind.HOLISTIC:
        from .schema import HOLISTIC_DOMAINS

        needs = [label for key, label in HOLISTIC_DOMAINS if answers.get(f"{key}_need") == "yes"]
        if needs:
            return "Needs identified: " + ", ".join(needs)
        return "No needs identified" if all(answers.get(f"{key}_need") for key, _ in HOLISTIC_DOMAINS) else ""
    return ""
