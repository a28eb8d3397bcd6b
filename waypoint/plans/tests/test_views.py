"""Plan pages: build, save, stale saves, agreement, sharing, the person's copy; audited and scoped."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent
from waypoint.patients.factories import CarerFactory, TeamRegistrationFactory
from waypoint.patients.models import CarerConsent
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory, PlanShareFactory
from waypoint.plans.models import Plan, PlanKind, PlanRevision, PlanShare, RevisionStatus, TeamContactNumbers

TODAY = timezone.localdate()


def care_plan_post(
    version, need="Money worries (synthetic)", goal="I want to stop dreading the post", **extra
):
    review = TODAY + datetime.timedelta(days=120)
    data = {
        "version": str(version),
        "need_count": "1",
        "need_0_need": need,
        "need_0_goal": goal,
        "need_0_int_count": "1",
        "need_0_int_0_what": "Benefits check with welfare rights",
        "need_0_int_0_who": "Care coordinator",
        "need_0_int_0_how_often": "Once, then as needed",
        "review_on_day": str(review.day),
        "review_on_month": str(review.month),
        "review_on_year": str(review.year),
    }
    data.update(extra)
    return data


@pytest.fixture
def draft(person, team, coordinator):
    plan = PlanFactory(person=person, team=team, created_by=coordinator)
    return PlanRevisionFactory(plan=plan, content={"needs": []}, review_on=None)


@pytest.mark.django_db
class TestBuildingACarePlan:
    def test_start_then_edit_then_view(self, coordinator_client, person):
        response = coordinator_client.post(reverse("plans:start", args=[person.pk, "care"]))
        revision = PlanRevision.objects.get(plan__person=person)
        assert response.url == reverse("plans:edit", args=[person.pk, revision.pk])
        page = coordinator_client.get(response.url)
        assert page.status_code == 200 and "Add a need (optional)" in page.content.decode()
        response = coordinator_client.post(response.url, care_plan_post(revision.version))
        assert response.status_code == 302
        revision.refresh_from_db()
        assert revision.content["needs"][0]["goal"] == "I want to stop dreading the post"
        body = coordinator_client.get(
            reverse("plans:plan", args=[person.pk, revision.plan.pk])
        ).content.decode()
        assert "Money worries (synthetic)" in body and "Benefits check with welfare rights" in body

    def test_save_and_add_more_offers_empty_rows_again(self, coordinator_client, person, draft):
        url = reverse("plans:edit", args=[person.pk, draft.pk])
        response = coordinator_client.post(url, {**care_plan_post(draft.version), "keep_editing": "1"})
        assert response.url == url
        body = coordinator_client.get(url).content.decode()
        assert 'name="need_1_need"' in body and 'name="need_0_int_1_what"' in body

    def test_errors_beside_the_field_and_nothing_lost(self, coordinator_client, person, draft):
        url = reverse("plans:edit", args=[person.pk, draft.pk])
        data = care_plan_post(draft.version, need_0_int_0_who="")
        body = coordinator_client.post(url, data).content.decode()
        assert "<title>Error: " in body and "Enter who will do it" in body
        assert "I want to stop dreading the post" in body

    def test_stale_save_is_refused_and_the_typed_text_stays(self, coordinator_client, person, draft):
        url = reverse("plans:edit", args=[person.pk, draft.pk])
        opened = draft.version
        coordinator_client.post(url, care_plan_post(opened, goal="First person's words"))
        response = coordinator_client.post(url, care_plan_post(opened, goal="Second person's words"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Someone else saved this plan after you opened this page" in body
        assert "Second person&#39;s words" in body or "Second person's words" in body
        draft.refresh_from_db()
        assert draft.content["needs"][0]["goal"] == "First person's words"
        assert 'name="version" value="2"' in body

    def test_sections_plan_saves(self, coordinator_client, person, team, coordinator):
        plan = PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.CRISIS)
        revision = PlanRevisionFactory(plan=plan, content={})
        url = reverse("plans:edit", args=[person.pk, revision.pk])
        body = coordinator_client.get(url).content.decode()
        assert "the crisis team responds, not the community mental health team" in body
        coordinator_client.post(
            url, {"version": str(revision.version), "out_of_hours": "Call the crisis team (synthetic)"}
        )
        revision.refresh_from_db()
        assert revision.content["out_of_hours"] == "Call the crisis team (synthetic)"


@pytest.mark.django_db
class TestAgreementAndRevisions:
    def test_record_agreement_then_read_only_then_new_revision(
        self, coordinator_client, person, team, coordinator
    ):
        carer = CarerFactory(person=person)
        plan = PlanFactory(person=person, team=team, created_by=coordinator)
        revision = PlanRevisionFactory(plan=plan)
        url = reverse("plans:agree", args=[person.pk, revision.pk])
        body = coordinator_client.get(url).content.decode()
        assert carer.name in body and "What the person agrees we share: Not yet asked" in body
        response = coordinator_client.post(
            url,
            {
                "version": str(revision.version),
                "agreed_with_person": "yes",
                "agreed_on_day": str(TODAY.day),
                "agreed_on_month": str(TODAY.month),
                "agreed_on_year": str(TODAY.year),
                "carers_involved": [str(carer.pk)],
            },
        )
        assert response.status_code == 302
        revision.refresh_from_db()
        assert revision.status == RevisionStatus.AGREED and list(revision.carers_involved.all()) == [carer]
        # Read-only: the edit page sends you back, and a post changes nothing.
        edit = reverse("plans:edit", args=[person.pk, revision.pk])
        assert (
            coordinator_client.post(edit, care_plan_post(revision.version, goal="Changed")).status_code == 302
        )
        revision.refresh_from_db()
        assert revision.content["needs"][0]["goal"] != "Changed"
        response = coordinator_client.post(reverse("plans:new_revision", args=[person.pk, plan.pk]))
        second = PlanRevision.objects.get(plan=plan, number=2)
        assert response.url == reverse("plans:edit", args=[person.pk, second.pk])
        body = coordinator_client.get(reverse("plans:plan", args=[person.pk, plan.pk])).content.decode()
        assert (
            "Revision 2 (shown)" in body and reverse("plans:revision", args=[person.pk, revision.pk]) in body
        )
        assert "Until this draft is agreed, the plan in use is" in body

    def test_not_agreed_without_a_reason_is_an_error(self, coordinator_client, person, team, coordinator):
        revision = PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator))
        body = coordinator_client.post(
            reverse("plans:agree", args=[person.pk, revision.pk]),
            {"version": str(revision.version), "agreed_with_person": "no", "agreed_on_day": "1"},
        ).content.decode()
        assert (
            "Say why the person did not agree to the plan" in body
            and "Date agreed must include a day, month and year" in body
        )
        revision.refresh_from_db()
        assert revision.is_draft

    def test_unfinished_plan_shows_what_is_missing(self, coordinator_client, person, draft):
        body = coordinator_client.post(
            reverse("plans:agree", args=[person.pk, draft.pk]),
            {
                "version": str(draft.version),
                "agreed_with_person": "yes",
                "agreed_on_day": str(TODAY.day),
                "agreed_on_month": str(TODAY.month),
                "agreed_on_year": str(TODAY.year),
            },
        ).content.decode()
        assert "Add at least one need before recording agreement" in body
        draft.refresh_from_db()
        assert draft.is_draft

    def test_stale_agreement_is_refused(self, coordinator_client, person, team, coordinator):
        revision = PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator))
        body = coordinator_client.post(
            reverse("plans:agree", args=[person.pk, revision.pk]),
            {
                "version": str(revision.version - 1 if revision.version > 1 else 99),
                "agreed_with_person": "yes",
                "agreed_on_day": str(TODAY.day),
                "agreed_on_month": str(TODAY.month),
                "agreed_on_year": str(TODAY.year),
            },
        ).content.decode()
        assert "Someone else changed the draft" in body
        revision.refresh_from_db()
        assert revision.is_draft


@pytest.mark.django_db
class TestSharing:
    def agreed(self, person, team, coordinator):
        return PlanRevisionFactory(
            plan=PlanFactory(person=person, team=team, created_by=coordinator), agreed=True
        )

    def post(self, client, person, revision, **extra):
        data = {
            "recipient": "gp",
            "method": "secure_email",
            "shared_on_day": str(TODAY.day),
            "shared_on_month": str(TODAY.month),
            "shared_on_year": str(TODAY.year),
        }
        data.update(extra)
        return client.post(reverse("plans:share", args=[person.pk, revision.pk]), data)

    def test_share_with_the_gp_uses_the_practice_name(self, coordinator_client, person, team, coordinator):
        revision = self.agreed(person, team, coordinator)
        assert self.post(coordinator_client, person, revision).status_code == 302
        share = PlanShare.objects.get()
        assert share.recipient_name == person.gp_practice.name and share.shared_by == coordinator
        assert AuditEvent.objects.filter(action=Action.SHARE, person=person).count() == 1

    def test_carer_without_consent_is_warned_and_must_confirm(
        self, coordinator_client, person, team, coordinator
    ):
        carer = CarerFactory(person=person, consent_to_share=CarerConsent.NOTHING)
        revision = self.agreed(person, team, coordinator)
        page = coordinator_client.get(reverse("plans:share", args=[person.pk, revision.pk])).content.decode()
        assert "Nothing without asking the person first" in page and "does not cover this plan" in page
        body = self.post(
            coordinator_client, person, revision, recipient="carer", carer=str(carer.pk)
        ).content.decode()
        assert "No recorded consent for this carer" in body and not PlanShare.objects.exists()
        response = self.post(
            coordinator_client,
            person,
            revision,
            recipient="carer",
            carer=str(carer.pk),
            confirm_without_consent="on",
        )
        assert response.status_code == 302
        assert PlanShare.objects.get().shared_without_recorded_consent

    def test_a_draft_cannot_be_shared(self, coordinator_client, person, draft):
        assert self.post(coordinator_client, person, draft).status_code == 302
        assert not PlanShare.objects.exists()


@pytest.mark.django_db
class TestMyPlan:
    def test_letter_to_the_person_with_crisis_numbers_audited_as_print(
        self, coordinator_client, person, team, coordinator
    ):
        person.preferred_name = "Jo"
        person.save()
        TeamContactNumbers.objects.create(
            team=team, working_hours_phone="01632 960000", crisis_team_phone="01632 960999"
        )
        PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator), agreed=True)
        crisis = PlanFactory(person=person, team=team, created_by=coordinator, kind=PlanKind.SAFETY)
        PlanRevisionFactory(
            plan=crisis, agreed=True, content={"reasons_for_living": "My dog, Biscuit (synthetic)"}
        )
        body = coordinator_client.get(reverse("plans:my_plan", args=[person.pk])).content.decode()
        for text in (
            "Your care plan",
            "Dear Jo,",
            "I want to sleep through the night",
            "Your safety plan",
            "My dog, Biscuit",
            "NHS 111 and choose option 2",
            "999",
            "116 123",
            "01632 960000",
            "Monday to Friday, 09:00 to 17:00",
            "the crisis team helps you instead",
            "01632 960999",
            "waypoint-no-print",
        ):
            assert text in body, text
        assert (
            AuditEvent.objects.filter(person=person, action=Action.PRINT, record_type="my_plan").count() == 1
        )

    def test_drafts_are_not_printed(self, coordinator_client, person, draft):
        body = coordinator_client.get(reverse("plans:my_plan", args=[person.pk])).content.decode()
        assert "We have not yet agreed a plan with you" in body


@pytest.mark.django_db
class TestAccessAndAudit:
    def test_outsider_gets_404(self, outsider_client, person, draft):
        for url in (
            reverse("plans:index", args=[person.pk]),
            reverse("plans:plan", args=[person.pk, draft.plan.pk]),
            reverse("plans:revision", args=[person.pk, draft.pk]),
            reverse("plans:my_plan", args=[person.pk]),
        ):
            assert outsider_client.get(url).status_code == 404, url

    def test_record_of_another_person_in_the_url_is_404(self, coordinator_client, team, draft):
        other = TeamRegistrationFactory(team=team).person
        assert coordinator_client.get(reverse("plans:revision", args=[other.pk, draft.pk])).status_code == 404
        assert (
            coordinator_client.get(reverse("plans:plan", args=[other.pk, draft.plan.pk])).status_code == 404
        )

    def test_viewing_is_audited_against_the_revision(self, coordinator_client, person, draft):
        coordinator_client.get(reverse("plans:revision", args=[person.pk, draft.pk]))
        event = AuditEvent.objects.get(person=person, action=Action.VIEW)
        assert event.record_type == "plan_revision" and event.record_id == str(draft.pk)


@pytest.mark.django_db
class TestQueryCounts:
    def test_plan_page_does_not_grow_with_revisions_and_shares(
        self, coordinator_client, person, team, coordinator, django_assert_max_num_queries
    ):
        plan = PlanFactory(person=person, team=team, created_by=coordinator)
        first = PlanRevisionFactory(plan=plan, agreed=True, status=RevisionStatus.SUPERSEDED)
        latest = PlanRevisionFactory(plan=plan, agreed=True)
        PlanShareFactory(revision=latest)
        url = reverse("plans:plan", args=[person.pk, plan.pk])
        with django_assert_max_num_queries(30) as baseline:
            coordinator_client.get(url)
        PlanRevision.objects.filter(pk__in=[first.pk, latest.pk]).update(status=RevisionStatus.SUPERSEDED)
        for _ in range(8):
            PlanRevisionFactory(plan=plan, agreed=True, status=RevisionStatus.SUPERSEDED)
        newest = PlanRevisionFactory(plan=plan, agreed=True)
        for _ in range(8):
            PlanShareFactory(revision=newest, recipient="carer", carer=CarerFactory(person=person))
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            body = coordinator_client.get(url).content.decode()
        assert "Revision 11 (shown)" in body

    def test_record_section_and_index_do_not_grow(
        self, coordinator_client, person, team, coordinator, django_assert_max_num_queries
    ):
        PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator), agreed=True)
        urls = [reverse("patients:detail", args=[person.pk]), reverse("plans:index", args=[person.pk])]
        counts = []
        for url in urls:
            with django_assert_max_num_queries(120) as baseline:
                coordinator_client.get(url)
            counts.append(len(baseline.captured_queries))
        for kind in (PlanKind.CRISIS, PlanKind.SAFETY, PlanKind.WELLNESS, PlanKind.RELAPSE_PREVENTION):
            plan = PlanFactory(person=person, team=team, created_by=coordinator, kind=kind)
            PlanRevisionFactory(plan=plan, agreed=True, status=RevisionStatus.SUPERSEDED)
            PlanRevisionFactory(plan=plan, agreed=True)
            PlanRevisionFactory(plan=plan)
        for url, count in zip(urls, counts, strict=True):
            with django_assert_max_num_queries(count):
                body = coordinator_client.get(url).content.decode()
            assert "No safety plan" not in body
        assert Plan.objects.count() == 5


@pytest.mark.django_db
def test_another_persons_plan_in_the_url_is_404_and_writes_no_view_row(
    coordinator_client, person, team, coordinator
):
    other = TeamRegistrationFactory(team=team).person
    plan = PlanFactory(person=other, team=team, created_by=coordinator)
    before = AuditEvent.objects.count()
    response = coordinator_client.get(reverse("plans:plan", args=[person.pk, plan.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_plan_with_no_revision_is_not_found_rather_than_a_server_error(
    coordinator_client, person, team, coordinator
):
    # services.start_plan always makes the first revision; a bare plan row is broken data.
    plan = PlanFactory(person=person, team=team, created_by=coordinator)
    response = coordinator_client.get(reverse("plans:plan", args=[person.pk, plan.pk]))
    assert response.status_code == 404
