import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from . import rules, seeds
from .models import (
    Aftercare,
    AssessmentRequest,
    LibertyAuthorisation,
    LibertyKind,
    MhaPeriod,
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
