"""Worklist providers: no risk formulation (in assessment or care-coordinated), and reviews due."""

import datetime

import pytest
from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status
from waypoint.risk.factories import RiskFormulationFactory
from waypoint.risk.worklist import no_risk_formulation, risk_formulation_review
from waypoint.worklist.registry import Severity, due_for, registered_providers


def _coordinated(person, team, worker):
    return Allocation.objects.create(
        person=person, team=team, worker=worker, kind=AllocationKind.CARE_COORDINATOR, allocated_by=worker
    )


@pytest.mark.django_db
class TestNoRiskFormulation:
    def test_people_in_assessment_or_coordinated_without_a_formulation(self, team, coordinator, settings):
        in_assessment = ReferralFactory(team=team, status=Status.IN_ASSESSMENT).person
        awaiting_triage = ReferralFactory(team=team).person
        coordinated = PersonFactory()
        _coordinated(coordinated, team, coordinator)
        has_one = PersonFactory()
        _coordinated(has_one, team, coordinator)
        RiskFormulationFactory(person=has_one)
        ids = [in_assessment.pk, awaiting_triage.pk, coordinated.pk, has_one.pk]
        items = list(no_risk_formulation(ids, timezone.localdate()))
        assert {item.person_id for item in items} == {in_assessment.pk, coordinated.pk}
        assert all(item.what == "No risk formulation" for item in items)
        due = {item.person_id: (item.due, item.severity) for item in items}
        assert due[in_assessment.pk] == (None, Severity.DUE_SOON)
        # Expected WAYPOINT_SAFETY_ITEMS_DAYS (14 by default) after care coordination started.
        expected_by = timezone.localdate() + datetime.timedelta(days=settings.WAYPOINT_SAFETY_ITEMS_DAYS)
        assert due[coordinated.pk] == (expected_by, Severity.DUE_SOON)
        assert items[0].url.endswith("/risk-formulation/write/")

    def test_missing_once_the_configured_days_since_allocation_have_passed_is_overdue(
        self, team, coordinator, settings
    ):
        settings.WAYPOINT_SAFETY_ITEMS_DAYS = 10
        person = PersonFactory()
        allocation = _coordinated(person, team, coordinator)
        Allocation.objects.filter(pk=allocation.pk).update(
            started_at=timezone.now() - datetime.timedelta(days=11)
        )
        [item] = no_risk_formulation([person.pk], timezone.localdate())
        assert (item.what, item.severity) == ("No risk formulation (overdue)", Severity.OVERDUE)

    def test_fixed_number_of_queries(self, team, coordinator, django_assert_num_queries):
        people = [PersonFactory() for _ in range(6)]
        for person in people:
            _coordinated(person, team, coordinator)
        with django_assert_num_queries(3):
            list(no_risk_formulation([p.pk for p in people], timezone.localdate()))


@pytest.mark.django_db
class TestReviewDue:
    def test_overdue_and_due_soon_by_the_current_revision(self):
        today = timezone.localdate()
        overdue = RiskFormulationFactory(review_date=today - datetime.timedelta(days=1))
        soon = RiskFormulationFactory(review_date=today + datetime.timedelta(days=10))
        later = RiskFormulationFactory(review_date=today + datetime.timedelta(days=100))
        revised = RiskFormulationFactory(review_date=today - datetime.timedelta(days=30))
        RiskFormulationFactory(person=revised.person, review_date=today + datetime.timedelta(days=100))
        ids = [overdue.person_id, soon.person_id, later.person_id, revised.person_id]
        items = {item.person_id: item for item in risk_formulation_review(ids, today)}
        assert set(items) == {overdue.person_id, soon.person_id}
        assert items[overdue.person_id].severity == Severity.OVERDUE
        assert items[overdue.person_id].what == "Risk formulation review overdue"
        assert items[soon.person_id].what == "Risk formulation review due"

    def test_one_query_whatever_the_number_of_people(self, django_assert_num_queries):
        ids = [RiskFormulationFactory(review_date=timezone.localdate()).person_id for _ in range(5)]
        with django_assert_num_queries(1):
            assert len(list(risk_formulation_review(ids, timezone.localdate()))) == 5

    def test_registered(self):
        assert {"risk_formulation_missing", "risk_formulation_review"} <= set(registered_providers())

    def test_shown_through_the_registry(self):
        formulation = RiskFormulationFactory(review_date=timezone.localdate() - datetime.timedelta(days=2))
        kinds = [
            item.kind
            for item in due_for([formulation.person_id], timezone.localdate())[formulation.person_id]
        ]
        assert "risk_formulation_review" in kinds
