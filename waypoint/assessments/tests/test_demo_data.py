"""The synthetic Trust has assessments of every kind, fast, each with its revision."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from waypoint.assessments.models import Assessment, AssessmentRevision, Kind, Status
from waypoint.assessments.schema import HAS_CAPACITY, LACKS_CAPACITY
from waypoint.patients.models import Carer
from waypoint.worklist.registry import due_for


@pytest.mark.django_db
def test_demo_trust_has_assessments():
    started = time.perf_counter()
    call_command("build_demo_trust", size=300, verbosity=0)
    assert time.perf_counter() - started < 60
    completed = Assessment.objects.filter(status=Status.COMPLETED)
    assert completed.filter(kind=Kind.INITIAL, referral__isnull=False).count() > 50
    assert completed.filter(kind=Kind.HOLISTIC).count() > 30
    assert Assessment.objects.filter(kind=Kind.HOLISTIC, status=Status.DRAFT).exists()
    carers = Assessment.objects.filter(kind=Kind.CARER)
    assert {a.carer_state for a in carers} == {"offered", "declined", "completed"}
    for assessment in carers.select_related("carer"):
        assert assessment.carer.carer_assessment == assessment.carer_state
    outcomes = {a.capacity_outcome for a in Assessment.objects.filter(kind=Kind.CAPACITY)}
    assert outcomes == {HAS_CAPACITY, LACKS_CAPACITY}
    assert AssessmentRevision.objects.count() == Assessment.objects.count()
    people = list(Carer.objects.values_list("person_id", flat=True))
    kinds = {item.kind for items in due_for(people, timezone.localdate()).values() for item in items}
    assert {"carer_assessment_not_offered", "carer_assessment_review"} <= kinds
