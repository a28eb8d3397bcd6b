"""What assessments make due: carers' assessments to offer, and carers' assessment reviews.

Both providers answer for many people with one shared query (see `waypoint/worklist/registry.py`).
"""

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from . import selectors

NOT_OFFERED = "carer_assessment_not_offered"
REVIEW = "carer_assessment_review"


def _new_carer_assessment_url(person_id, carer_id):
    return reverse("assessments:new_carer", args=[person_id]) + f"?carer={carer_id}"


def carers_not_offered(person_ids, today):
    for carer in selectors.carers_without_assessment(person_ids):
        yield DueItem(
            person_id=carer.person_id,
            kind=NOT_OFFERED,
            what=f"Carer's assessment not offered to {carer.name}",
            due=None,
            severity=Severity.DUE_SOON,
            url=_new_carer_assessment_url(carer.person_id, carer.pk),
        )


def carer_reviews(person_ids, today):
    """A review of a carer's assessment falls due on its review date: shown from 14 days before."""
    for carer in selectors.carers_with_a_review_date(person_ids):
        severity = severity_for(carer.latest_review_on, today)
        if severity is Severity.UPCOMING:
            continue
        overdue = severity is Severity.OVERDUE
        yield DueItem(
            person_id=carer.person_id,
            kind=REVIEW,
            what=f"Carer's assessment review {'overdue' if overdue else 'due'} for {carer.name}",
            due=carer.latest_review_on,
            severity=severity,
            url=_new_carer_assessment_url(carer.person_id, carer.pk),
        )
