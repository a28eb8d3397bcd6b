"""What medicines and physical health make due on the worklist. Each provider answers for many
people with a fixed number of queries (reads shared through `@per_request`).

- `depot_due`: a depot dose inside its window today, or late (past the window).
- `depot_escalated`: a dose more than WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS (7) days late. This is a
  worklist item on the person, so it is on the care coordinator's "My caseload" and the record
  overview: the escalation to the care coordinator is a worklist item, not a message.
- `physical_health_check`: the annual check (all six core checks within 12 months), for people
  taking an antipsychotic or a depot, or who have had a check before.
- `health_flag_unactioned`: a red-zone result with no intervention recorded.
- `antipsychotic_monitoring`: the baseline, 12-week and annual monitoring after starting an
  antipsychotic (NICE CG178).
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from . import selectors
from .models import CORE_CHECKS

DEPOT_DUE = "depot_due"
DEPOT_ESCALATED = "depot_escalated"
CHECK_DUE = "physical_health_check"
FLAG_UNACTIONED = "health_flag_unactioned"
MONITORING = "antipsychotic_monitoring"


def depot_items(person_ids, today):
    for status in selectors.depot_statuses_for(person_ids, today):
        depot = status.depot
        url = reverse("medicines:depot", args=[depot.person_id, depot.pk])
        if status.late:
            yield DueItem(
                depot.person_id,
                DEPOT_DUE,
                f"{depot.drug} depot late ({status.days_late} days past due)",
                status.next_due,
                Severity.OVERDUE,
                url,
            )
        elif status.window_from <= today:
            yield DueItem(
                depot.person_id, DEPOT_DUE, f"{depot.drug} depot due", status.next_due, Severity.DUE_SOON, url
            )


def depot_escalations(person_ids, today):
    days = settings.WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS
    for status in selectors.depot_statuses_for(person_ids, today):
        if status.escalate:
            depot = status.depot
            yield DueItem(
                depot.person_id,
                DEPOT_ESCALATED,
                f"Care coordinator: {depot.drug} depot more than {days} days late, follow up",
                status.next_due,
                Severity.OVERDUE,
                reverse("medicines:depot", args=[depot.person_id, depot.pk]),
            )


def check_items(person_ids, today):
    depots = {s.depot.person_id for s in selectors.depot_statuses_for(person_ids, today)}
    antipsychotics = {m.person_id for m in selectors.current_antipsychotics_for(person_ids, today)}
    checked = selectors.check_dates_for(person_ids, today)
    in_scope = sorted(depots | antipsychotics | set(checked))
    if not in_scope:
        return
    latest = selectors.core_dates_for(in_scope, since=today - timedelta(days=730))
    for person_id in in_scope:
        dates = latest.get(person_id, {})
        url = reverse("medicines:new_check", args=[person_id])
        if len(dates) < len(CORE_CHECKS):
            missing = len(CORE_CHECKS) - len(dates)
            yield DueItem(
                person_id,
                CHECK_DUE,
                f"Physical health check: {missing} of the six checks not recorded",
                None,
                Severity.DUE_SOON,
                url,
            )
            continue
        due = min(dates.values()) + selectors.CHECK_INTERVAL
        severity = severity_for(due, today, soon_days=28)
        if severity is not Severity.UPCOMING:
            what = "Annual physical health check " + ("overdue" if severity is Severity.OVERDUE else "due")
            yield DueItem(person_id, CHECK_DUE, what, due, severity, url)


def flag_items(person_ids, today):
    for flag in selectors.unactioned_flags_for(person_ids, today):
        yield DueItem(
            flag.person_id,
            FLAG_UNACTIONED,
            f"Physical health flag with no action: {flag.reason}",
            flag.check_record.checked_on,
            Severity.OVERDUE,
            reverse("medicines:flag_action", args=[flag.person_id, flag.check_record_id, flag.pk]),
        )


def monitoring_items(person_ids, today):
    medicines = selectors.current_antipsychotics_for(person_ids, today)
    if not medicines:
        return
    checked = selectors.check_dates_for(person_ids, today)
    for medicine in medicines:
        for name, due, done in selectors.monitoring_schedule(medicine, checked.get(medicine.person_id, [])):
            if done is not None:
                continue
            severity = severity_for(due, today)
            if severity is not Severity.UPCOMING:
                yield DueItem(
                    medicine.person_id,
                    MONITORING,
                    f"{name} antipsychotic monitoring ({medicine.name})",
                    due,
                    severity,
                    reverse("medicines:new_check", args=[medicine.person_id]),
                )
            break  # one milestone at a time
