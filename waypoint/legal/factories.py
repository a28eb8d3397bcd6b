import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from . import rules, seeds
from .models import (
    AdvanceDecision,
    AdvanceKind,
    Aftercare,
    AssessmentRequest,
    AttorneyKind,
    BestInterestsDecision,
    CapacityAssessment,
    CareTreatmentPlan,
    ImcaReason,
    ImcaReferral,
    LibertyAuthorisation,
    LibertyKind,
    LibertyReview,
    MhaPeriod,
    PowerOfAttorney,
    RelativeEvent,
    RelativeEventKind,
    RelativeRole,
    ReviewOutcome,
    RightsExplanation,
    RuleSet,
    SectionRule,
    TermRule,
    Understood,
    Urgency,
)


def ensure_rules():
    """The shipped rules (migration 0002), again after a test database flush (browser tests)."""
    seeds.load(RuleSet, SectionRule, TermRule)


def _rule(o):
    ensure_rules()
    return rules.section_rule(o.section, o.starts_on)


class MhaPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MhaPeriod
        exclude = ["section"]

    section = "3"
    person = factory.SubFactory(PersonFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    rule = factory.LazyAttribute(_rule)
    expires_on = factory.LazyAttribute(lambda o: rules.first_expiry(o.rule, o.starts_on)[0])
    responsible_clinician = "Dr Rowan Example (synthetic)"
    created_by = factory.SubFactory(UserFactory)


class RightsExplanationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsExplanation

    period = factory.SubFactory(MhaPeriodFactory)
    person = factory.LazyAttribute(lambda o: o.period.person)
    given_on = factory.LazyAttribute(lambda o: o.period.starts_on)
    given_by = factory.SubFactory(UserFactory)
    method = "spoken_and_written"
    understood = Understood.YES
    next_on = factory.LazyAttribute(lambda o: o.given_on + datetime.timedelta(days=90))


class AftercareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aftercare

    person = factory.SubFactory(PersonFactory)
    from_section = "3"
    eligible_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    icb = "NHS Example Integrated Care Board (synthetic)"
    local_authority = "Example City Council (synthetic)"
    created_by = factory.SubFactory(UserFactory)


class AssessmentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRequest

    person = factory.SubFactory(PersonFactory)
    requested_by = "Dr Morgan Example, GP (synthetic)"
    requester_role = "GP"
    urgency = Urgency.URGENT
    reason = "Not eating or sleeping, refusing all help (synthetic)"
    received_at = factory.LazyFunction(timezone.now)
    logged_by = factory.SubFactory(UserFactory)


class LibertyAuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibertyAuthorisation

    person = factory.SubFactory(PersonFactory)
    kind = LibertyKind.STANDARD
    managing_authority = "Elm House Care Home (synthetic)"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=300))
    expires_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=320))
    created_by = factory.SubFactory(UserFactory)


class LibertyReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibertyReview

    authorisation = factory.SubFactory(LibertyAuthorisationFactory)
    person = factory.LazyAttribute(lambda o: o.authorisation.person)
    reviewed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    reviewer = "Bea Assessor, BIA (synthetic)"
    reviewed_conditions = True
    outcome = ReviewOutcome.NO_CHANGE
    recorded_by = factory.SubFactory(UserFactory)


class RelativeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelativeEvent

    person = factory.SubFactory(PersonFactory)
    role = RelativeRole.NEAREST_RELATIVE
    term = "nearest relative"
    kind = RelativeEventKind.IDENTIFIED
    on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    name = "Sam Example (synthetic)"
    relationship = "Mother"
    recorded_by = factory.SubFactory(UserFactory)


class AdvanceDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvanceDecision

    person = factory.SubFactory(PersonFactory)
    kind = AdvanceKind.STATEMENT
    made_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    wishes = "If I become unwell, please contact my sister first (synthetic)"
    held_where = "Scanned in the record; the person keeps the original"
    created_by = factory.SubFactory(UserFactory)


class CareTreatmentPlanFactory(factory.django.DjangoModelFactory):
    """A plan as if the MHA 2025 provisions were in force (the factory does not check)."""

    class Meta:
        model = CareTreatmentPlan

    period = factory.SubFactory(MhaPeriodFactory)
    person = factory.LazyAttribute(lambda o: o.period.person)
    prepared_on = factory.LazyAttribute(lambda o: o.period.starts_on + datetime.timedelta(days=7))
    prepared_by = "Dr Rowan Example (synthetic)"
    treatment = "Antipsychotic medication to reduce distressing voices (synthetic)"
    person_views = "Wants to try a lower dose first; agreed to review in a month (synthetic)"
    created_by = factory.SubFactory(UserFactory)


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    person = factory.SubFactory(PersonFactory)
    decision = "Whether to move to supported accommodation (synthetic)"
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    assessor = factory.SubFactory(UserFactory)
    support_given = "Explained with pictures, at home, with the person's sister present"
    impairment = True
    impairment_detail = "Dementia (synthetic)"
    understands = False
    retains = False
    uses_or_weighs = False
    communicates = True
    because_of_impairment = True
    reasons = "Could not recall the options after a few minutes (synthetic)"
    lacks_capacity = True


class BestInterestsDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BestInterestsDecision

    person = factory.SubFactory(PersonFactory)
    decision = "Whether to move to supported accommodation (synthetic)"
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    decision_maker = "Care coordinator (synthetic)"
    wishes = "Wants to stay near the park and keep the cat"
    consulted = "Sister (agrees); GP (agrees)"
    less_restrictive = "More home care visits: tried for 3 months"
    outcome = "Move to supported accommodation near the park, with the cat"
    reasons = "Safest option that keeps what matters to the person"
    created_by = factory.SubFactory(UserFactory)


class PowerOfAttorneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PowerOfAttorney

    person = factory.SubFactory(PersonFactory)
    kind = AttorneyKind.LPA_HEALTH
    attorney = "Jo Example (synthetic)"
    registered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
    created_by = factory.SubFactory(UserFactory)


class ImcaReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImcaReferral

    person = factory.SubFactory(PersonFactory)
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    reason = ImcaReason.ACCOMMODATION
    decision = "Whether to move to supported accommodation (synthetic)"
    service = "Example Advocacy (synthetic)"
    created_by = factory.SubFactory(UserFactory)
