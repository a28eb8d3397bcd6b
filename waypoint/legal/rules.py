"""The rules in force on a date, and the dates they give (domain rule 6: legal periods are data).

For a date, the rule for a section is the one from the latest rule set in force on that date
(`commences_on` on or before it) that defines the section; a rule set with no commencement date
is not in force. A period's dates follow the rule in force on the day it started.

A period "of six months beginning with" the day it starts ends at the end of the day before the
same date six months on (admitted 1 January: the last day is 30 June). When the later month has
no such date (31 March + 6 months), the period ends on the last day of that month (30 September).
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import SectionRule, TermRule

DEFAULT_TERMS = {"relative": "nearest relative", "cto_clinician": "responsible clinician"}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(starts_on: date, months: int) -> date:
    """The last day of a period of `months` months beginning with `starts_on`."""
    corresponding = add_months(starts_on, months)
    if corresponding.day < starts_on.day:  # no corresponding date: the end of that month
        return corresponding
    return corresponding - timedelta(days=1)


def _in_force(queryset, on: date, prefix: str = "ruleset__"):
    return queryset.filter(**{f"{prefix}commences_on__lte": on}).order_by(
        f"-{prefix}commences_on", f"-{prefix}id"
    )


def section_rule(code: str, on: date) -> SectionRule | None:
    """The rule for section `code` in force on `on`, or None if the Act then had no such section."""
    return _in_force(SectionRule.objects.select_related("ruleset").filter(code=code), on).first()


def sections_in_force(on: date) -> list[SectionRule]:
    """One rule per section, as in force on `on` (one query)."""
    chosen: dict[str, SectionRule] = {}
    for rule in _in_force(SectionRule.objects.select_related("ruleset"), on):
        chosen.setdefault(rule.code, rule)
    return sorted(chosen.values(), key=lambda r: (r.kind, _code_key(r.code)))


def all_section_codes() -> list[tuple[str, str]]:
    """Every section any rule set defines, for a form (the service checks it was in force)."""
    seen: dict[str, str] = {}
    for code, label in SectionRule.objects.order_by("ruleset__commences_on").values_list("code", "label"):
        seen.setdefault(code, label)
    return sorted(seen.items(), key=lambda item: _code_key(item[0]))


def _code_key(code: str):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


def term(key: str, on: date) -> str:
    """The wording in force on `on` ("nearest relative" or "nominated person")."""
    found = _in_force(TermRule.objects.filter(key=key), on).values_list("wording", flat=True).first()
    return found or DEFAULT_TERMS.get(key, key)


def provision_in_force(key: str, on: date) -> bool:
    """Whether a rule set that defines term `key` (a provision with no sections of its own, such as
    advance choice documents or statutory care and treatment plans) is in force on `on`."""
    return _in_force(TermRule.objects.filter(key=key), on).exists()


def first_expiry(rule: SectionRule, starts_on: date, start_time: time | None = None):
    """(expires_on, expires_at) of a period under `rule` starting then. Hours need a start time."""
    if rule.first_hours:
        if start_time is None:
            return None, None
        start = timezone.make_aware(datetime.combine(starts_on, start_time))
        ends = start + timedelta(hours=rule.first_hours)
        return timezone.localdate(ends), ends
    if rule.first_months:
        return period_end(starts_on, rule.first_months), None
    if rule.first_days:
        return starts_on + timedelta(days=rule.first_days - 1), None
    return None, None


def renewal_months(rule: SectionRule, number: int) -> int | None:
    """The length in months of renewal `number` (1 is the first renewal), or None if not renewable."""
    listed = list(rule.renewal_months or [])
    if number <= len(listed):
        return int(listed[number - 1])
    return rule.then_every_months


def renewed_expiry(rule: SectionRule, expires_on: date, number: int) -> date | None:
    """The new last day after renewal `number`: the renewal begins the day after the old expiry."""
    months = renewal_months(rule, number)
    if months is None:
        return None
    return period_end(expires_on + timedelta(days=1), months)


def describe_length(rule: SectionRule) -> str:
    if rule.first_hours:
        return f"{rule.first_hours} hours"
    if rule.first_days:
        return f"{rule.first_days} days"
    if rule.first_months:
        parts = [rule.first_months, *(rule.renewal_months or [])]
        text = " + ".join(str(p) for p in parts) + " months"
        if rule.then_every_months:
            text += f", then {rule.then_every_months} months at a time"
        return text
    return "Until discharged"
