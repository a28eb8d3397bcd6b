import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.patients.factories import PersonFactory

from .models import Plan, PlanKind, PlanRevision, PlanShare, Recipient, RevisionStatus, ShareMethod

CARE_PLAN_CONTENT = {
    "needs": [
        {
            "need": "Low mood and not sleeping (synthetic)",
            "goal": "I want to sleep through the night and get back to the allotment (synthetic)",
            "interventions": [
                {"what": "Sleep hygiene sessions", "who": "Care coordinator", "how_often": "Every two weeks"}
            ],
        }
    ]
}


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    kind = PlanKind.CARE
    created_by = factory.SubFactory(UserFactory)


class PlanRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRevision

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda o: o.plan.revisions.count() + 1)
    status = RevisionStatus.DRAFT
    content = factory.LazyAttribute(
        lambda o: (
            CARE_PLAN_CONTENT
            if o.plan.kind == PlanKind.CARE
            else {"warning_signs": "Not sleeping (synthetic)"}
        )
    )
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    created_by = factory.LazyAttribute(lambda o: o.plan.created_by)
    updated_by = factory.LazyAttribute(lambda o: o.plan.created_by)

    class Params:
        agreed = factory.Trait(
            status=RevisionStatus.AGREED,
            agreed_on=factory.LazyFunction(timezone.localdate),
            agreed_with_person=True,
            agreement_recorded_by=factory.LazyAttribute(lambda o: o.plan.created_by),
        )


class PlanShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanShare

    revision = factory.SubFactory(PlanRevisionFactory, agreed=True)
    recipient = Recipient.GP
    recipient_name = "Testville Surgery"
    method = ShareMethod.SECURE_EMAIL
    shared_on = factory.LazyFunction(timezone.localdate)
    shared_by = factory.LazyAttribute(lambda o: o.revision.plan.created_by)
