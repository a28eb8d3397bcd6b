"""Revoking a CTO (s17F, s17G): the CTO ends "CTO revoked" and the person is detained again under
the section it followed, as if from the day of revocation, with the expiry from the rules in
force on that day; rights are due again; the banner shows the detention."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.core.forms import VERSION_MISSING
from waypoint.legal import services
from waypoint.legal.factories import MhaPeriodFactory, RightsExplanationFactory
from waypoint.legal.models import EndReason, MhaPeriod, RuleSet
from waypoint.legal.worklist import rights_due

D = datetime.date
TODAY = timezone.localdate()
NOON = datetime.time(12, 0)


def date_post(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def by(coordinator):
    return Actor(user=coordinator)


def make_cto(person, coordinator, starts_on):
    """A section 3 that ended when a CTO was made, and the CTO (rights explained on it)."""
    s3 = MhaPeriodFactory(
        person=person, section="3", created_by=coordinator, starts_on=starts_on - datetime.timedelta(days=90)
    )
    MhaPeriod.objects.filter(pk=s3.pk).update(ended_on=starts_on, end_reason=EndReason.CTO_MADE)
    cto = MhaPeriodFactory(person=person, section="17A", created_by=coordinator, starts_on=starts_on)
    RightsExplanationFactory(period=cto, given_by=coordinator)
    return cto


def revoke(by, cto, on, **extra):
    data = {
        "period": cto,
        "revoked_on": on,
        "revoked_time": NOON,
        "section": "3",
        "responsible_clinician": "Dr Rowan Example (synthetic)",
        "hospital": "Example Ward (synthetic)",
        "amhp": "Alex Amhp (synthetic)",
        "version": cto.version,
    }
    data.update(extra)
    return services.revoke_cto(by=by, **data)


@pytest.mark.django_db
class TestRevokeService:
    def test_ends_the_cto_and_detains_again_from_the_day_of_revocation(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 5, 1))
        detention = revoke(by, cto, D(2026, 8, 31))
        cto.refresh_from_db()
        assert (cto.ended_on, cto.end_reason) == (D(2026, 8, 31), EndReason.REVOKED)
        assert "Alex Amhp (synthetic)" in cto.end_detail and "12:00" in cto.end_detail
        assert detention.rule.code == "3" and detention.revives == cto
        assert (detention.starts_on, detention.start_time) == (D(2026, 8, 31), NOON)
        # Six months beginning with 31 August 2026: no 31 February, so the end of that month.
        assert detention.expires_on == D(2027, 2, 28)
        assert detention.renewals == 0 and detention.hospital == "Example Ward (synthetic)"
        assert list(cto.revived_by.all()) == [detention]
        audit = AuditEvent.objects.filter(person=person, record_type=RecordType.MHA_PERIOD)
        assert audit.filter(record_id=str(cto.pk), action=Action.DISCHARGE).exists()
        created = audit.get(record_id=str(detention.pk), action=Action.CREATE)
        assert "revives" in created.fields_changed and "expires_on" in created.fields_changed

    def test_section_37_can_be_chosen(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        detention = revoke(by, cto, D(2026, 3, 1), section="37")
        assert detention.rule.code == "37" and detention.expires_on == D(2026, 8, 31)

    def test_a_section_a_cto_cannot_follow_is_refused(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        with pytest.raises(services.LegalProblem) as problem:
            revoke(by, cto, D(2026, 3, 1), section="2")
        assert problem.value.field == "section" and "s3 or s37" in problem.value.message
        assert MhaPeriod.objects.open().get() == cto

    def test_dates_before_the_cto_or_in_the_future_are_refused(self, by, person, coordinator):
        cto = make_cto(person, coordinator, TODAY - datetime.timedelta(days=20))
        for on, field in (
            (cto.starts_on - datetime.timedelta(days=1), "revoked_on"),
            (TODAY + datetime.timedelta(days=1), "revoked_on"),
        ):
            with pytest.raises(services.LegalProblem) as problem:
                revoke(by, cto, on)
            assert problem.value.field == field
        later = (timezone.localtime() + datetime.timedelta(hours=1)).time()
        if later > timezone.localtime().time():  # not just before midnight
            with pytest.raises(services.LegalProblem) as problem:
                revoke(by, cto, TODAY, revoked_time=later)
            assert problem.value.field == "revoked_time"
        assert MhaPeriod.objects.open().get() == cto

    def test_an_ended_cto_or_a_section_3_cannot_be_revoked(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        detention = revoke(by, cto, D(2026, 3, 1))
        cto.refresh_from_db()
        with pytest.raises(services.NotOpen):
            revoke(by, cto, D(2026, 3, 2))
        with pytest.raises(services.LegalProblem) as problem:
            revoke(by, detention, D(2026, 3, 2))
        assert "Only a community treatment order" in problem.value.message
        assert MhaPeriod.objects.filter(person=person).count() == 3

    def test_a_stale_version_is_refused(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        with pytest.raises(services.StaleEdit):
            revoke(by, cto, D(2026, 3, 1), version=cto.version + 1)

    def test_the_generic_end_refuses_revoked(self, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        with pytest.raises(services.LegalProblem) as problem:
            services.end_period(
                by=by, period=cto, ended_on=D(2026, 2, 1), reason=EndReason.REVOKED, version=cto.version
            )
        assert "Revoke the CTO" in problem.value.message

    def test_rights_must_be_explained_again(self, by, person, coordinator):
        cto = make_cto(person, coordinator, TODAY - datetime.timedelta(days=40))
        assert not [i for i in rights_due([person.pk], TODAY) if "not yet recorded" in i.what]
        detention = revoke(by, cto, TODAY - datetime.timedelta(days=1))
        items = list(rights_due([person.pk], TODAY))
        assert [(i.what, i.url) for i in items] == [
            (
                "Rights (s132) not yet recorded as explained",
                reverse("legal:rights", args=[person.pk, detention.pk]),
            )
        ]

    def test_the_section_the_cto_followed_is_found(self, person, coordinator):
        cto = make_cto(person, coordinator, D(2026, 1, 10))
        assert services.section_the_cto_followed(cto).rule.code == "3"
        other = MhaPeriodFactory(
            person=person, section="17A", created_by=coordinator, starts_on=D(2025, 1, 1)
        )
        assert services.section_the_cto_followed(other) is None


COMMENCEMENT = D(2026, 4, 1)  # in the past, so the revocation dates are not in the future


@pytest.fixture
def commenced(db):
    """The Trust sets the MHA 2025 section 3 periods commencement (3 + 3 + 6 months, then yearly)."""
    RuleSet.objects.filter(code="mha-2025-section-3-periods").update(commences_on=COMMENCEMENT)


@pytest.mark.django_db
class TestAcrossTheCommencement:
    def test_revoked_the_day_before_keeps_six_months(self, commenced, by, person, coordinator):
        cto = make_cto(person, coordinator, D(2025, 10, 1))
        detention = revoke(by, cto, COMMENCEMENT - datetime.timedelta(days=1))
        assert detention.rule.ruleset.code == "mha-1983"
        assert detention.expires_on == D(2026, 9, 30)  # 31 March + 6 months: no 31 September

    def test_revoked_on_commencement_is_three_months_under_the_new_rules(
        self, commenced, by, person, coordinator
    ):
        """A CTO made under the 1983 rules, revoked once the 2025 periods are in force: the s3 the
        person is detained under again follows the rules in force on the day of revocation."""
        cto = make_cto(person, coordinator, D(2025, 10, 1))
        assert cto.rule.ruleset.code == "mha-1983"
        detention = revoke(by, cto, COMMENCEMENT)
        assert detention.rule.ruleset.code == "mha-2025-section-3-periods"
        assert detention.expires_on == D(2026, 6, 30)  # 3 months
        assert services.renew_period(
            by=by, period=detention, renewed_on=D(2026, 6, 1), version=1
        ).new_expires_on == D(2026, 9, 30)  # then 3
        assert [r.code for r in services.sections_a_cto_can_follow(COMMENCEMENT)] == ["3", "37"]


@pytest.mark.django_db
class TestRevokePage:
    @pytest.fixture
    def cto(self, person, coordinator):
        return make_cto(person, coordinator, TODAY - datetime.timedelta(days=60))

    def url(self, person, cto):
        return reverse("legal:revoke", args=[person.pk, cto.pk])

    def post(self, cto, **extra):
        data = {
            "version": cto.version,
            "revoked_time": "09:15",
            "section": "3",
            "responsible_clinician": "Dr Rowan Example (synthetic)",
            "hospital": "Example Ward (synthetic)",
            "amhp": "Alex Amhp (synthetic)",
            **date_post("revoked_on", TODAY),
        }
        data.update(extra)
        return data

    def test_the_cto_page_offers_it_and_the_form_is_audited(self, coordinator_client, person, cto):
        page = coordinator_client.get(reverse("legal:period", args=[person.pk, cto.pk])).content.decode()
        assert "Revoke the CTO" in page and self.url(person, cto) in page
        body = coordinator_client.get(self.url(person, cto)).content.decode()
        assert "Section 3 (admission for treatment)" in body and "Section 37 (hospital order)" in body
        assert "s3, which ended on" in body  # the section it followed, found and chosen
        event = AuditEvent.objects.filter(person=person).order_by("-id").first()
        assert (event.record_type, event.record_id, event.action) == (
            RecordType.MHA_PERIOD,
            str(cto.pk),
            Action.VIEW,
        )

    def test_bad_input_is_refused_beside_the_field_and_kept(self, coordinator_client, person, cto):
        data = self.post(cto, **date_post("revoked_on", cto.starts_on - datetime.timedelta(days=1)))
        response = coordinator_client.post(self.url(person, cto), data)
        body = response.content.decode()
        assert response.status_code == 200
        assert "The date of revocation must be on or after the CTO began" in body
        assert "nhsuk-error-message" in body and "Alex Amhp (synthetic)" in body and "09:15" in body
        data = self.post(cto, amhp="", **date_post("revoked_on", TODAY + datetime.timedelta(days=2)))
        body = coordinator_client.post(self.url(person, cto), data).content.decode()
        assert "Enter the AMHP who agreed to the revocation in writing" in body
        data = self.post(cto, **date_post("revoked_on", TODAY + datetime.timedelta(days=2)))
        body = coordinator_client.post(self.url(person, cto), data).content.decode()
        assert "The date of revocation must be today or in the past" in body
        assert MhaPeriod.objects.open().get() == cto

    def test_revoking_shows_the_s3_in_the_banner_and_rights_due(self, coordinator_client, person, cto):
        response = coordinator_client.post(self.url(person, cto), self.post(cto, revoked_time="00:00"))
        detention = MhaPeriod.objects.open().get()
        assert response.status_code == 302
        assert response.url == reverse("legal:period", args=[person.pk, detention.pk])
        assert detention.revives == cto and detention.rule.code == "3"
        body = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert f"s3 until {detention.expires_on:%-d %B %Y}" in body and "CTO (s17A) until" not in body
        assert "Rights (s132) not yet recorded as explained" in body
        page = coordinator_client.get(response.url).content.decode()
        cto_url = reverse("legal:period", args=[person.pk, cto.pk])
        assert f'<a href="{cto_url}">The revocation of the CTO (s17A)' in page
        page = coordinator_client.get(reverse("legal:period", args=[person.pk, cto.pk])).content.decode()
        assert "CTO revoked on" in page
        assert f'<a href="{response.url}">Section 3 (admission for treatment), from' in page
        # The ended CTO cannot be revoked again
        again = coordinator_client.post(self.url(person, cto), self.post(cto, version=cto.version + 1))
        assert again.status_code == 302 and MhaPeriod.objects.filter(person=person).count() == 3

    def test_a_post_without_the_version_is_refused(self, coordinator_client, person, cto):
        data = self.post(cto, amhp="Typed by hand (synthetic)")
        del data["version"]
        body = coordinator_client.post(self.url(person, cto), data).content.decode()
        assert "someone else" in body and VERSION_MISSING.split(",")[0] in body
        assert "Typed by hand (synthetic)" in body
        assert MhaPeriod.objects.open().get() == cto

    def test_outsider_gets_404_and_nothing_changes(self, outsider_client, person, cto):
        before = AuditEvent.objects.count()
        assert outsider_client.get(self.url(person, cto)).status_code == 404
        assert outsider_client.post(self.url(person, cto), self.post(cto)).status_code == 404
        assert AuditEvent.objects.count() == before and MhaPeriod.objects.open().get() == cto
