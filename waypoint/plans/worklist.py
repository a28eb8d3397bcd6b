"""What plans make due, for the worklist. Each provider answers for many people in a fixed number of queries.

- "care_plan_review_date": the agreed care plan's review date is within 28 days or has passed;
- "care_plan_agreed": someone with a care coordinator has no agreed care plan;
- "safety_plan": someone with a care coordinator has no agreed safety plan, or it was agreed
  more than 12 months ago.
"""

from datetime import timedelta

from django.urls import reverse

from waypoint.episodes.selectors import safety_items_due
from waypoint.worklist.registry import DueItem, Severity, severity_for

from . import selectors
from .models import PlanKind

REVIEW_SHOWN_DAYS = 28
SAFETY_PLAN_REVIEW_DAYS = 365


def _plan_url(person_id, plan):
    if plan is None:
        return reverse("plans:index", args=[person_id])
    return reverse("plans:plan", args=[person_id, plan.pk])


def care_plan_review_due(person_ids, today):
    for person_id, revision in selectors.agreed_revisions_for(person_ids, PlanKind.CARE).items():
        due = revision.review_on
        if due is None or (due - today).days > REVIEW_SHOWN_DAYS:
            continue
        severity = severity_for(due, today)
        what = "Care plan review overdue" if severity == Severity.OVERDUE else "Care plan review due"
        yield DueItem(
            person_id, "care_plan_review_date", what, due, severity, _plan_url(person_id, revision.plan)
        )


def no_agreed_care_plan(person_ids, today):
    coordinated = selectors.people_with_a_care_coordinator(person_ids)
    if not coordinated:
        return
    agreed = selectors.agreed_revisions_for(person_ids, PlanKind.CARE)  # one read for every kind
    plans = selectors.plans_for(person_ids, PlanKind.CARE)
    for person_id in sorted(coordinated - set(agreed)):  # only the coordinated are listed
        plan = plans.get(person_id)
        what = "No agreed care plan (draft in progress)" if plan else "No agreed care plan"
        yield DueItem(
            person_id, "care_plan_agreed", what, None, Severity.DUE_SOON, _plan_url(person_id, plan)
        )


def safety_plan_due(person_ids, today):
    coordinated = selectors.people_with_a_care_coordinator(person_ids)
    if not coordinated:
        return
    agreed = selectors.agreed_revisions_for(person_ids, PlanKind.SAFETY)  # one read for every kind
    plans = selectors.plans_for(person_ids, PlanKind.SAFETY)
    expected_by = safety_items_due(person_ids)  # the same shared read as "who has a care coordinator"
    for person_id in sorted(coordinated):
        revision = agreed.get(person_id)
        if revision is None:
            plan = plans.get(person_id)
            what = "Safety plan not yet agreed (draft in progress)" if plan else "No safety plan"
            due = expected_by.get(person_id)  # allocation + WAYPOINT_SAFETY_ITEMS_DAYS
            overdue = due is not None and due < today
            severity = Severity.OVERDUE if overdue else Severity.DUE_SOON
            yield DueItem(person_id, "safety_plan", what, due, severity, _plan_url(person_id, plan))
            continue
        due = revision.agreed_on + timedelta(days=SAFETY_PLAN_REVIEW_DAYS)
        if due <= today:
            yield DueItem(
                person_id,
                "safety_plan",
                "Safety plan not reviewed for 12 months",
                due,
                Severity.OVERDUE,
                _plan_url(person_id, revision.plan),
            )
