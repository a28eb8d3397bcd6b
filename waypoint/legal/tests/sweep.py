"""Records for the no-relationship sweep (waypoint/access/tests/test_no_relationship_sweep.py)."""

from waypoint.legal.factories import (
    AdvanceDecisionFactory,
    AftercareFactory,
    AssessmentRequestFactory,
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    CareTreatmentPlanFactory,
    ImcaReferralFactory,
    LibertyAuthorisationFactory,
    LibertyReviewFactory,
    MhaPeriodFactory,
    PowerOfAttorneyFactory,
    RelativeEventFactory,
)
from waypoint.legal.models import RequestStatus


def record_factories(person, coordinator, team):
    """The request is allocated to `coordinator`, so the sweeps that sign in as them (with every
    role) reach the AMHP's assessment form; the outsider still has no relationship."""
    return {
        "mha_period_id": lambda: MhaPeriodFactory(person=person, created_by=coordinator).pk,
        "liberty_id": lambda: LibertyAuthorisationFactory(person=person, created_by=coordinator).pk,
        "liberty_review_id": lambda: (
            LibertyReviewFactory(
                authorisation=LibertyAuthorisationFactory(person=person, created_by=coordinator),
                recorded_by=coordinator,
            ).pk
        ),
        "aftercare_id": lambda: AftercareFactory(person=person, created_by=coordinator).pk,
        "relative_event_id": lambda: RelativeEventFactory(person=person, recorded_by=coordinator).pk,
        "advance_id": lambda: AdvanceDecisionFactory(person=person, created_by=coordinator).pk,
        "care_treatment_plan_id": lambda: (
            CareTreatmentPlanFactory(
                period=MhaPeriodFactory(person=person, created_by=coordinator), created_by=coordinator
            ).pk
        ),
        "capacity_id": lambda: CapacityAssessmentFactory(person=person, assessor=coordinator).pk,
        "best_interests_id": lambda: BestInterestsDecisionFactory(person=person, created_by=coordinator).pk,
        "attorney_id": lambda: PowerOfAttorneyFactory(person=person, created_by=coordinator).pk,
        "imca_id": lambda: ImcaReferralFactory(person=person, created_by=coordinator).pk,
        "amhp_request_id": lambda: (
            AssessmentRequestFactory(
                person=person, logged_by=coordinator, amhp=coordinator, status=RequestStatus.ALLOCATED
            ).pk
        ),
    }
