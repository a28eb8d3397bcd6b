"""Worklist providers: carers' assessments not offered, and reviews due or overdue."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waypoint.assessments import worklist
from waypoint.assessments.factories import CarerAssessmentFactory
from waypoint.patients.factories import CarerFactory, PersonFactory
from waypoint.worklist.registry import Severity, due_for, registered_providers

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_providers_are_registered():
    assert {worklist.NOT_OFFERED, worklist.REVIEW} <= set(registered_providers())


def test_carer_not_offered(coordinator):
    person = PersonFactory()
    carer = CarerFactory(person=person, name="Synthetic Mum")
    CarerFactory(person=person, is_carer=False)  # a relative who does not provide care
    CarerFactory(person=person, carer_assessment="declined")  # recorded by hand on the carer
    offered = CarerFactory(person=person)
    CarerAssessmentFactory(person=person, carer=offered, created_by=coordinator)
    items = list(worklist.carers_not_offered([person.pk], TODAY))
    assert [(item.what, item.severity, item.due) for item in items] == [
        ("Carer's assessment not offered to Synthetic Mum", Severity.DUE_SOON, None)
    ]
    assert items[0].url.endswith(f"?carer={carer.pk}")


def test_review_due_and_overdue(coordinator):
    person = PersonFactory()
    overdue = CarerAssessmentFactory(
        person=person, created_by=coordinator, completed=True, review_on=TODAY - datetime.timedelta(days=1)
    )
    soon = CarerAssessmentFactory(
        person=person, created_by=coordinator, completed=True, review_on=TODAY + datetime.timedelta(days=10)
    )
    CarerAssessmentFactory(
        person=person, created_by=coordinator, completed=True, review_on=TODAY + datetime.timedelta(days=200)
    )
    CarerAssessmentFactory(person=person, created_by=coordinator, review_on=TODAY)  # a draft: no review yet
    items = sorted(worklist.carer_reviews([person.pk], TODAY), key=lambda item: item.severity)
    assert [(item.severity, item.due) for item in items] == [
        (Severity.OVERDUE, overdue.review_on),
        (Severity.DUE_SOON, soon.review_on),
    ]
    assert items[0].what == f"Carer's assessment review overdue for {overdue.carer.name}"


def test_a_later_assessment_of_the_same_carer_supersedes_the_review(coordinator):
    person = PersonFactory()
    carer = CarerFactory(person=person)
    CarerAssessmentFactory(
        person=person,
        carer=carer,
        created_by=coordinator,
        completed=True,
        review_on=TODAY - datetime.timedelta(days=5),
    )
    CarerAssessmentFactory(
        person=person,
        carer=carer,
        created_by=coordinator,
        completed=True,
        review_on=TODAY + datetime.timedelta(days=300),
    )
    assert list(worklist.carer_reviews([person.pk], TODAY)) == []


def _queries(person_ids):
    with CaptureQueriesContext(connection) as captured:
        list(worklist.carers_not_offered(person_ids, TODAY))
        list(worklist.carer_reviews(person_ids, TODAY))
    return len(captured.captured_queries)


def test_a_fixed_number_of_queries_for_many_people(coordinator):
    def make(n):
        ids = []
        for _ in range(n):
            person = PersonFactory()
            CarerFactory(person=person)
            CarerAssessmentFactory(
                person=person,
                created_by=coordinator,
                completed=True,
                review_on=TODAY - datetime.timedelta(days=1),
            )
            ids.append(person.pk)
        return ids

    one = make(1)
    many = make(15)
    assert _queries(one) == _queries(many) == 2
    found = due_for(many, TODAY)
    assert all(
        len([i for i in items if i.kind.startswith("carer_assessment")]) == 2 for items in found.values()
    )
