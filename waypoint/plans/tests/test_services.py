"""Plan services: versioned drafts, read-only agreed revisions, new revisions, sharing, audit rows."""

import datetime

import pytest
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent, Basis
from waypoint.patients.factories import CarerFactory
from waypoint.patients.models import CarerConsent
from waypoint.plans import services
from waypoint.plans.models import PlanKind, PlanRevision, PlanShare, Recipient, RevisionStatus, ShareMethod

TODAY = timezone.localdate()
NEEDS = {
    "about_me": "",
    "needs": [
        {
            "need": "Isolated since moving (synthetic)",
            "goal": "I'd like to see my friends again",
            "interventions": [
                {"what": "Go to the walking group together", "who": "Support worker", "how_often": "Weekly"}
            ],
        }
    ],
}


def start(coordinator, person, team, kind=PlanKind.CARE):
    plan = services.start_plan(
        by=Actor(coordinator, basis=Basis.TEAM),
        person=person,
        kind=kind,
        team=team,
    )
    return plan, plan.revisions.get()


def save(coordinator, revision, content=NEEDS, review_on=TODAY + datetime.timedelta(days=90), version=None):
    return services.save_draft(
        by=Actor(coordinator, basis=Basis.TEAM),
        revision=revision,
        content=content,
        review_on=review_on,
        version=revision.version if version is None else version,
    )


def agree(coordinator, revision, **kwargs):
    values = {
        "agreed_with_person": True,
        "agreed_on": TODAY,
        "version": revision.version,
    }
    values.update(kwargs)
    return services.record_agreement(by=Actor(coordinator, basis="team"), revision=revision, **values)


@pytest.mark.django_db
class TestDrafts:
    def test_start_plan_makes_a_first_draft_and_audits(self, coordinator, person, team):
        plan, revision = start(coordinator, person, team)
        assert revision.number == 1 and revision.status == RevisionStatus.DRAFT and revision.version == 1
        actions = set(AuditEvent.objects.filter(person=person).values_list("record_type", "action"))
        assert actions == {("plan", Action.CREATE), ("plan_revision", Action.CREATE)}

    def test_starting_the_same_kind_again_returns_the_existing_plan(self, coordinator, person, team):
        plan, _ = start(coordinator, person, team)
        again, _ = start(coordinator, person, team)
        assert again.pk == plan.pk

    def test_save_bumps_the_version_and_audits_field_names_only(self, coordinator, person, team):
        _, revision = start(coordinator, person, team)
        saved = save(coordinator, revision)
        assert saved.version == 2 and saved.content == NEEDS
        event = AuditEvent.objects.get(person=person, action=Action.UPDATE)
        assert event.fields_changed == ["needs", "review_on"]
        assert "walking" not in str(event.fields_changed) and "friends" not in event.path

    def test_stale_save_is_refused(self, coordinator, person, team):
        _, revision = start(coordinator, person, team)
        opened_version = revision.version
        save(coordinator, revision)  # someone else saves first
        with pytest.raises(services.StaleEdit) as caught:
            save(coordinator, revision, content={"needs": []}, version=opened_version)
        assert caught.value.current_version == 2
        revision.refresh_from_db()
        assert revision.content == NEEDS

    def test_content_keys_of_another_kind_are_dropped(self, coordinator, person, team):
        _, revision = start(coordinator, person, team, kind=PlanKind.SAFETY)
        saved = save(coordinator, revision, content={"warning_signs": "Pacing (synthetic)", "needs": ["x"]})
        assert saved.content == {"warning_signs": "Pacing (synthetic)"} and saved.review_on is None


@pytest.mark.django_db
class TestAgreement:
    def test_agreed_revision_is_read_only(self, coordinator, person, team):
        _, revision = start(coordinator, person, team)
        revision = save(coordinator, revision)
        agreed = agree(coordinator, revision)
        assert agreed.status == RevisionStatus.AGREED and agreed.agreed_with_person
        with pytest.raises(services.NotADraft):
            save(coordinator, agreed, content={"needs": []})
        with pytest.raises(services.NotADraft):
            agree(coordinator, agreed)
        agreed.refresh_from_db()
        assert agreed.content == NEEDS
        event = AuditEvent.objects.get(person=person, action=Action.AGREE)
        assert event.record_id == str(agreed.pk)

    def test_an_unfinished_care_plan_cannot_be_agreed(self, coordinator, person, team):
        _, revision = start(coordinator, person, team)
        with pytest.raises(services.PlanIncomplete) as caught:
            agree(coordinator, revision)
        assert "Add at least one need before recording agreement" in caught.value.problems
        assert "Add a review date before recording agreement" in caught.value.problems

    def test_not_agreed_needs_a_reason_and_records_carers(self, coordinator, person, team):
        carer = CarerFactory(person=person)
        _, revision = start(coordinator, person, team)
        revision = save(coordinator, revision)
        with pytest.raises(services.PlanIncomplete):
            agree(coordinator, revision, agreed_with_person=False)
        agreed = agree(
            coordinator,
            revision,
            agreed_with_person=False,
            not_agreed_reason="Wants to think about the medication part (synthetic)",
            carers=[carer],
            carer_involvement="Sister came to the meeting",
        )
        assert list(agreed.carers_involved.all()) == [carer]
        assert agreed.not_agreed_reason.startswith("Wants to think")
        event = AuditEvent.objects.get(person=person, action=Action.AGREE)
        assert "not_agreed_reason" in event.fields_changed and "Wants" not in str(event.fields_changed)

    def test_new_revision_copies_the_latest_and_agreement_supersedes_the_old(self, coordinator, person, team):
        plan, first = start(coordinator, person, team)
        first = agree(coordinator, save(coordinator, first))
        second = services.start_new_revision(
            by=Actor(coordinator, basis=Basis.TEAM),
            plan=plan,
        )
        assert second.number == 2 and second.is_draft and second.content == NEEDS
        assert second.review_on == first.review_on
        # Asking again gives the same open draft, never two.
        assert (
            services.start_new_revision(
                by=Actor(coordinator, basis=Basis.TEAM),
                plan=plan,
            ).pk
            == second.pk
        )
        agree(coordinator, second)
        statuses = dict(PlanRevision.objects.filter(plan=plan).values_list("number", "status"))
        assert statuses == {1: RevisionStatus.SUPERSEDED, 2: RevisionStatus.AGREED}


@pytest.mark.django_db
class TestSharing:
    def agreed(self, coordinator, person, team, kind=PlanKind.CARE):
        _, revision = start(coordinator, person, team, kind=kind)
        content = NEEDS if kind == PlanKind.CARE else {"warning_signs": "Pacing (synthetic)"}
        return agree(coordinator, save(coordinator, revision, content=content))

    def share(self, coordinator, revision, **kwargs):
        values = {
            "recipient": Recipient.GP,
            "recipient_name": "Testville Surgery",
            "method": ShareMethod.SECURE_EMAIL,
            "shared_on": TODAY,
        }
        values.update(kwargs)
        return services.record_share(by=Actor(coordinator, basis="team"), revision=revision, **values)

    def test_share_is_logged_and_audited(self, coordinator, person, team):
        revision = self.agreed(coordinator, person, team)
        share = self.share(coordinator, revision)
        assert share.shared_by == coordinator and not share.shared_without_recorded_consent
        event = AuditEvent.objects.get(person=person, action=Action.SHARE)
        assert event.fields_changed == ["method", "recipient", "recipient_name", "shared_on"]

    def test_a_draft_is_not_shared(self, coordinator, person, team):
        _, revision = start(coordinator, person, team)
        with pytest.raises(services.NotADraft):
            self.share(coordinator, revision)

    def test_carer_without_consent_needs_confirmation(self, coordinator, person, team):
        carer = CarerFactory(person=person, consent_to_share=CarerConsent.NOT_ASKED)
        revision = self.agreed(coordinator, person, team)
        kwargs = {
            "recipient": Recipient.CARER,
            "recipient_name": "",
            "carer": carer,
            "method": ShareMethod.IN_PERSON,
        }
        with pytest.raises(services.ConsentNotRecorded):
            self.share(coordinator, revision, **kwargs)
        assert not PlanShare.objects.exists()
        share = self.share(coordinator, revision, confirmed_without_consent=True, **kwargs)
        assert share.shared_without_recorded_consent and share.recipient_name == carer.name
        assert share.carer_consent_at_the_time == CarerConsent.NOT_ASKED

    def test_crisis_only_consent_covers_the_safety_plan_not_the_care_plan(self, coordinator, person, team):
        carer = CarerFactory(person=person, consent_to_share=CarerConsent.CRISIS_ONLY)
        assert services.carer_consent_covers(carer, PlanKind.SAFETY)
        assert services.carer_consent_covers(carer, PlanKind.CRISIS)
        assert not services.carer_consent_covers(carer, PlanKind.CARE)
        revision = self.agreed(coordinator, person, team, kind=PlanKind.SAFETY)
        share = self.share(coordinator, revision, recipient=Recipient.CARER, carer=carer, recipient_name="")
        assert not share.shared_without_recorded_consent

    def test_carer_of_someone_else_is_refused(self, coordinator, person, team):
        stranger = CarerFactory()
        revision = self.agreed(coordinator, person, team)
        with pytest.raises(ValueError):
            self.share(
                coordinator,
                revision,
                recipient=Recipient.CARER,
                carer=stranger,
                confirmed_without_consent=True,
            )


@pytest.mark.django_db
class TestDatabaseBackstop:
    """The database refuses changes to an agreed revision even if the service is bypassed."""

    def test_update_of_agreed_content_is_refused(self, coordinator, person, team):
        from django.db import DatabaseError, transaction

        _, revision = start(coordinator, person, team)
        agreed = agree(coordinator, save(coordinator, revision))
        with pytest.raises(DatabaseError), transaction.atomic():
            PlanRevision.objects.filter(pk=agreed.pk).update(content={"needs": []})
        with pytest.raises(DatabaseError), transaction.atomic():
            PlanRevision.objects.filter(pk=agreed.pk).update(status=RevisionStatus.DRAFT)
        # Superseding is still allowed, and a draft can still be saved.
        PlanRevision.objects.filter(pk=agreed.pk).update(status=RevisionStatus.SUPERSEDED)
        with pytest.raises(DatabaseError), transaction.atomic():
            PlanRevision.objects.filter(pk=agreed.pk).update(status=RevisionStatus.AGREED)
        agreed.refresh_from_db()
        assert agreed.content == NEEDS and agreed.status == RevisionStatus.SUPERSEDED
