"""Legal status pages: each audited, each 404 without a relationship, bad input kept beside the field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.legal.factories import (
    AdvanceDecisionFactory,
    AftercareFactory,
    BestInterestsDecisionFactory,
    CapacityAssessmentFactory,
    ImcaReferralFactory,
    LibertyAuthorisationFactory,
    MhaPeriodFactory,
    PowerOfAttorneyFactory,
    RelativeEventFactory,
)
from waypoint.legal.models import Aftercare, EventKind, LibertyAuthorisation, MhaPeriod, RightsExplanation

TODAY = timezone.localdate()


def date_post(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def last_audit(person):
    return AuditEvent.objects.filter(person=person).order_by("-id").first()


@pytest.mark.django_db
class TestLegalTab:
    def test_informal_in_the_banner_and_the_tab_is_audited(self, coordinator_client, person):
        response = coordinator_client.get(reverse("legal:index", args=[person.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Legal status:" in body and "Informal" in body
        event = last_audit(person)
        assert (event.record_type, event.action) == (RecordType.LEGAL_STATUS, Action.VIEW)

    def test_banner_on_the_overview_shows_the_cto(self, coordinator_client, person, coordinator):
        period = MhaPeriodFactory(person=person, section="17A", created_by=coordinator, starts_on=TODAY)
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert f"CTO (s17A) until {period.expires_on:%-d %B %Y}" in body

    def test_an_expired_period_with_nothing_recorded_says_so(self, coordinator_client, person, coordinator):
        MhaPeriodFactory(
            person=person, section="2", starts_on=TODAY - datetime.timedelta(days=40), created_by=coordinator
        )
        body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
        assert "no renewal or discharge recorded" in body

    def test_outsider_gets_404_before_any_audit(self, outsider_client, person):
        before = AuditEvent.objects.count()
        assert outsider_client.get(reverse("legal:index", args=[person.pk])).status_code == 404
        assert AuditEvent.objects.count() == before

    def test_the_tab_page_does_not_grow_with_rows(
        self, coordinator_client, person, coordinator, django_assert_max_num_queries
    ):
        def fill():
            MhaPeriodFactory(person=person, created_by=coordinator)
            AftercareFactory(person=person, created_by=coordinator)
            LibertyAuthorisationFactory(person=person, created_by=coordinator)
            RelativeEventFactory(person=person, recorded_by=coordinator)
            AdvanceDecisionFactory(person=person, created_by=coordinator)
            assessment = CapacityAssessmentFactory(person=person, assessor=coordinator)
            BestInterestsDecisionFactory(
                person=person, created_by=coordinator, capacity_assessment=assessment
            )
            PowerOfAttorneyFactory(person=person, created_by=coordinator)
            ImcaReferralFactory(person=person, created_by=coordinator)

        fill()
        url = reverse("legal:index", args=[person.pk])
        coordinator_client.get(url)
        with django_assert_max_num_queries(40) as one:
            coordinator_client.get(url)
        for _ in range(5):
            fill()
        with django_assert_max_num_queries(len(one.captured_queries)):
            coordinator_client.get(url)


@pytest.mark.django_db
class TestRecordingAPeriod:
    def post(self, client, person, **extra):
        data = {
            "section": "3",
            "responsible_clinician": "Dr Ada Example (synthetic)",
            "hospital": "Example Ward",
        }
        data.update(date_post("starts_on", datetime.date(2026, 1, 1)))
        data.update(extra)
        return client.post(reverse("legal:new_period", args=[person.pk]), data)

    def test_section_3_gets_its_expiry_from_the_rules_and_is_audited(self, coordinator_client, person):
        response = self.post(coordinator_client, person)
        period = MhaPeriod.objects.get(person=person)
        assert response.status_code == 302
        assert period.expires_on == datetime.date(2026, 6, 30) and period.rule.ruleset.code == "mha-1983"
        event = last_audit(person)
        assert (event.record_type, event.action) == (RecordType.MHA_PERIOD, Action.CREATE)
        assert "expires_on" in event.fields_changed

    def test_a_section_the_rules_then_did_not_have_is_refused_beside_the_field(
        self, coordinator_client, person
    ):
        response = self.post(coordinator_client, person, **date_post("starts_on", datetime.date(1980, 5, 1)))
        body = response.content.decode()
        assert response.status_code == 200 and not MhaPeriod.objects.exists()
        assert "The rules in force on 1 May 1980 have no section 3" in body
        assert 'id="id_section--error-message"' in body or "nhsuk-error-message" in body
        assert "Dr Ada Example (synthetic)" in body  # typed values kept

    def test_a_cto_without_a_responsible_clinician_is_refused(self, coordinator_client, person):
        response = self.post(
            coordinator_client,
            person,
            section="17A",
            responsible_clinician="",
            conditions="Live at the address given (synthetic)",
        )
        body = response.content.decode()
        assert response.status_code == 200 and not MhaPeriod.objects.exists()
        assert "Enter the responsible clinician" in body and "Live at the address given (synthetic)" in body

    def test_a_holding_power_needs_a_time(self, coordinator_client, person):
        response = self.post(coordinator_client, person, section="5(2)")
        assert "Enter the start time" in response.content.decode()
        self.post(coordinator_client, person, section="5(2)", start_time="22:15")
        period = MhaPeriod.objects.get(person=person)
        assert timezone.localtime(period.expires_at).hour == 22

    def test_outsider_cannot_record(self, outsider_client, person):
        assert self.post(outsider_client, person).status_code == 404
        assert not MhaPeriod.objects.exists()


@pytest.mark.django_db
class TestChangingAPeriod:
    @pytest.fixture
    def period(self, person, coordinator):
        return MhaPeriodFactory(
            person=person, created_by=coordinator, starts_on=TODAY - datetime.timedelta(days=170)
        )

    def test_view_is_audited(self, coordinator_client, person, period):
        assert coordinator_client.get(reverse("legal:period", args=[person.pk, period.pk])).status_code == 200
        event = last_audit(person)
        assert (event.record_type, event.record_id, event.action) == (
            RecordType.MHA_PERIOD,
            str(period.pk),
            Action.VIEW,
        )

    def test_renewal_uses_the_rule_and_keeps_the_old_expiry(self, coordinator_client, person, period):
        old = period.expires_on
        data = {
            "version": period.version,
            "detail": "Examined by the RC (synthetic)",
            **date_post("on", TODAY),
        }
        response = coordinator_client.post(reverse("legal:renew", args=[person.pk, period.pk]), data)
        assert response.status_code == 302
        period.refresh_from_db()
        event = period.events.get()
        assert (event.previous_expires_on, event.new_expires_on) == (old, period.expires_on)
        assert period.renewals == 1
        assert AuditEvent.objects.filter(
            record_type=RecordType.MHA_PERIOD_EVENT, action=Action.CREATE
        ).exists()

    def test_stale_renewal_is_refused(self, coordinator_client, person, period):
        data = {"version": period.version + 5, **date_post("on", TODAY)}
        response = coordinator_client.post(reverse("legal:renew", args=[person.pk, period.pk]), data)
        assert "Someone else changed this" in response.content.decode()
        period.refresh_from_db()
        assert period.renewals == 0

    def test_leave_and_a_hearing(self, coordinator_client, person, period):
        url = reverse("legal:new_event", args=[person.pk, period.pk])
        data = {
            "kind": EventKind.LEAVE,
            "detail": "Escorted, 2 hours (synthetic)",
            **date_post("on", TODAY),
            **date_post("until", TODAY),
        }
        assert coordinator_client.post(url, data).status_code == 302
        data = {
            "kind": EventKind.LEAVE,
            **date_post("on", TODAY),
            **date_post("until", TODAY - datetime.timedelta(days=2)),
        }
        response = coordinator_client.post(url, data)
        assert "The end date must be on or after the start date" in response.content.decode()
        data = {"kind": EventKind.RECALL, **date_post("on", TODAY)}
        assert (
            "Only a person on a community treatment order"
            in coordinator_client.post(url, data).content.decode()
        )

    def test_discharge_needs_who(self, coordinator_client, person, period):
        url = reverse("legal:end", args=[person.pk, period.pk])
        data = {"version": period.version, "reason": "discharged", **date_post("ended_on", TODAY)}
        assert "Say who discharged" in coordinator_client.post(url, data).content.decode()
        data["discharged_by"] = "tribunal"
        assert coordinator_client.post(url, data).status_code == 302
        period.refresh_from_db()
        assert period.ended_on == TODAY and period.discharged_by == "tribunal"
        assert last_audit(person).action == Action.DISCHARGE
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert "Informal" in body

    def test_entered_in_error_keeps_the_period(self, coordinator_client, person, period):
        url = reverse("legal:entered_in_error", args=[person.pk, period.pk])
        assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
        period.refresh_from_db()
        assert period.entered_in_error and MhaPeriod.objects.filter(pk=period.pk).exists()
        assert last_audit(person).action == Action.ENTERED_IN_ERROR

    def test_rights_not_understood_are_due_again_in_a_week(self, coordinator_client, person, period):
        url = reverse("legal:rights", args=[person.pk, period.pk])
        assert coordinator_client.get(url).status_code == 200
        data = {"method": "spoken", "understood": "no", **date_post("given_on", TODAY)}
        assert coordinator_client.post(url, data).status_code == 302
        given = RightsExplanation.objects.get()
        assert given.next_on == TODAY + datetime.timedelta(days=7) and given.given_by.username == "cc.north"
        event = last_audit(person)
        assert (event.record_type, event.action) == (RecordType.MHA_RIGHTS, Action.CREATE)


@pytest.mark.django_db
class TestAftercare:
    def test_record_then_end_only_by_joint_decision(self, coordinator_client, person):
        data = {
            "from_section": "3",
            "icb": "Example ICB",
            "local_authority": "Example Council",
            **date_post("eligible_from", TODAY),
        }
        assert (
            coordinator_client.post(reverse("legal:new_aftercare", args=[person.pk]), data).status_code == 302
        )
        aftercare = Aftercare.objects.get(person=person)
        url = reverse("legal:end_aftercare", args=[person.pk, aftercare.pk])
        data = {
            "version": aftercare.version,
            "ended_for_icb_by": "A Commissioner",
            **date_post("ended_on", TODAY),
        }
        body = coordinator_client.post(url, data).content.decode()
        assert (
            "Enter decided for the local authority by" in body
            or "Enter who decided for the local authority" in body
        )
        assert "A Commissioner" in body
        data.update(
            {"ended_for_local_authority_by": "A Manager", "end_reasons": "Well for two years (synthetic)"}
        )
        assert coordinator_client.post(url, data).status_code == 302
        aftercare.refresh_from_db()
        assert aftercare.ended_on == TODAY
        assert last_audit(person).record_type == RecordType.AFTERCARE


@pytest.mark.django_db
class TestLiberty:
    def test_expiry_before_start_is_refused_and_kept(self, coordinator_client, person):
        data = {
            "kind": "standard",
            "managing_authority": "Elm House (synthetic)",
            **date_post("starts_on", TODAY),
            **date_post("expires_on", TODAY - datetime.timedelta(days=1)),
        }
        body = coordinator_client.post(reverse("legal:new_liberty", args=[person.pk]), data).content.decode()
        assert (
            "The expiry date must be on or after the start date" in body and "Elm House (synthetic)" in body
        )
        data.update(date_post("expires_on", TODAY + datetime.timedelta(days=5)), kind="urgent")
        assert (
            coordinator_client.post(reverse("legal:new_liberty", args=[person.pk]), data).status_code == 302
        )
        assert LibertyAuthorisation.objects.get().kind == "urgent"
        assert last_audit(person).record_type == RecordType.LIBERTY_AUTHORISATION

    def test_urgent_is_at_most_7_days(self, coordinator_client, person):
        data = {
            "kind": "urgent",
            "managing_authority": "Elm House",
            **date_post("starts_on", TODAY),
            **date_post("expires_on", TODAY + datetime.timedelta(days=9)),
        }
        assert (
            "at most 7 days"
            in coordinator_client.post(reverse("legal:new_liberty", args=[person.pk]), data).content.decode()
        )


@pytest.mark.django_db
class TestLibertyAssessments:
    def test_six_assessments_each_with_its_assessor(self, coordinator_client, person, coordinator):
        found = LibertyAuthorisationFactory(person=person, created_by=coordinator)
        url = reverse("legal:liberty", args=[person.pk, found.pk])
        body = coordinator_client.get(url).content.decode()
        # Six assessments not yet recorded (the banner's "Allergies not recorded" is not one of them).
        assert body.count("not recorded") - body.count("Allergies not recorded") == 6
        assert last_audit(person).record_type == RecordType.LIBERTY_AUTHORISATION
        data = {
            "requirement": "age",
            "assessor": "Bailey BIA",
            "met": "yes",
            **date_post("completed_on", TODAY),
        }
        assert coordinator_client.post(url, data).status_code == 302
        assert found.assessments.get().assessor == "Bailey BIA"
        data.update(date_post("completed_on", TODAY + datetime.timedelta(days=3)))
        body = coordinator_client.post(url, data).content.decode()
        assert "must be today or in the past" in body

    def test_urgent_extended_once_by_up_to_7_days(self, coordinator_client, person, coordinator):
        found = LibertyAuthorisationFactory(
            person=person,
            created_by=coordinator,
            kind="urgent",
            starts_on=TODAY,
            expires_on=TODAY + datetime.timedelta(days=6),
        )
        url = reverse("legal:extend_liberty", args=[person.pk, found.pk])
        body = coordinator_client.post(
            url, date_post("extended_to", TODAY + datetime.timedelta(days=20))
        ).content.decode()
        assert "Extend by 1 to 7 days" in body
        assert (
            coordinator_client.post(
                url, date_post("extended_to", TODAY + datetime.timedelta(days=13))
            ).status_code
            == 302
        )
        body = coordinator_client.post(
            url, date_post("extended_to", TODAY + datetime.timedelta(days=13))
        ).content.decode()
        assert "only once" in body
        found.refresh_from_db()
        assert found.ends_on == TODAY + datetime.timedelta(days=13)
