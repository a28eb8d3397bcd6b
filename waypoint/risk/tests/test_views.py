"""Risk formulation pages: write, revise, history, read-only revisions, stale edits, errors, access, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.risk.factories import RiskFormulationFactory
from waypoint.risk.models import RiskFormulation


def _post(**overrides):
    review = timezone.localdate() + datetime.timedelta(days=90)
    data = {
        "based_on": "0",
        "history": "Typed history (synthetic)",
        "concerns_to_self": "Typed concern to self (synthetic)",
        "concerns_to_others": "None identified",
        "concerns_from_others": "",
        "concerns_self_neglect": "",
        "triggers": "Typed triggers",
        "protective_factors": "Typed protective factors",
        "what_helps": "Typed what helps",
        "management_plan": "Typed plan",
        "review_date_day": str(review.day),
        "review_date_month": str(review.month),
        "review_date_year": str(review.year),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestWriteAndRevise:
    def test_write_the_first_formulation(self, coordinator_client, person):
        url = reverse("risk:write", args=[person.pk])
        page = coordinator_client.get(url)
        assert page.status_code == 200 and "Write a risk formulation" in page.content.decode()
        response = coordinator_client.post(url, _post())
        assert response.status_code == 302 and response["Location"] == reverse(
            "risk:current", args=[person.pk]
        )
        formulation = RiskFormulation.objects.get(person=person)
        assert formulation.revision == 1 and formulation.protective_factors == "Typed protective factors"
        page = coordinator_client.get(reverse("risk:current", args=[person.pk])).content.decode()
        assert "Typed concern to self" in page and "Revise this formulation" in page

    def test_revise_starts_from_the_current_text_and_adds_a_revision(
        self, coordinator_client, person, coordinator
    ):
        RiskFormulationFactory(person=person, written_by=coordinator, triggers="Old triggers (synthetic)")
        page = coordinator_client.get(reverse("risk:write", args=[person.pk])).content.decode()
        assert "Old triggers (synthetic)" in page and 'name="based_on" value="1"' in page
        coordinator_client.post(reverse("risk:write", args=[person.pk]), _post(based_on="1"))
        assert list(
            RiskFormulation.objects.filter(person=person)
            .order_by("revision")
            .values_list("revision", "triggers")
        ) == [(1, "Old triggers (synthetic)"), (2, "Typed triggers")]

    def test_a_stale_save_is_refused_with_the_text_kept(self, coordinator_client, person, coordinator):
        RiskFormulationFactory(person=person, written_by=coordinator)
        RiskFormulationFactory(person=person, written_by=coordinator)  # someone saved revision 2 meanwhile
        response = coordinator_client.post(
            reverse("risk:write", args=[person.pk]), _post(based_on="1", triggers="My unsaved triggers")
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: " in page and "newer version of this risk formulation (revision 2)" in page
        assert "My unsaved triggers" in page and 'name="based_on" value="2"' in page
        assert RiskFormulation.objects.filter(person=person).count() == 2

    def test_errors_beside_the_fields_and_nothing_typed_is_lost(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("risk:write", args=[person.pk]),
            _post(
                management_plan="",
                concerns_to_self="",
                concerns_to_others="",
                review_date_day="31",
                review_date_month="2",
            ),
        )
        page = response.content.decode()
        assert "<title>Error: " in page
        assert "Enter the management plan" in page
        assert "Describe the current concerns in at least one area" in page
        assert "Review date must be a real date" in page
        assert "Typed protective factors" in page and "Typed what helps" in page
        assert not RiskFormulation.objects.exists()

    def test_review_date_in_the_past_is_refused(self, coordinator_client, person):
        past = timezone.localdate() - datetime.timedelta(days=1)
        response = coordinator_client.post(
            reverse("risk:write", args=[person.pk]),
            _post(
                review_date_day=str(past.day),
                review_date_month=str(past.month),
                review_date_year=str(past.year),
            ),
        )
        assert "Review date must be today or in the future" in response.content.decode()


@pytest.mark.django_db
class TestHistory:
    def test_history_lists_revisions_and_each_is_shown_read_only(
        self, coordinator_client, person, coordinator
    ):
        first = RiskFormulationFactory(person=person, written_by=coordinator, triggers="First triggers")
        RiskFormulationFactory(person=person, written_by=coordinator, triggers="Second triggers")
        page = coordinator_client.get(reverse("risk:history", args=[person.pk])).content.decode()
        assert "Revision 2" in page and "Revision 1" in page and "Current" in page
        assert '<td class="nhsuk-table__cell">Triggers</td>' in page and "First formulation" in page
        page = coordinator_client.get(reverse("risk:revision", args=[person.pk, first.pk])).content.decode()
        assert "First triggers" in page and "This is not the current formulation" in page
        assert (
            "Revise this formulation" not in page
            and "<form" not in page.split("<main")[1].split("</main>")[0]
        )

    def test_a_revision_of_another_person_is_404(self, coordinator_client, person, team):
        someone_else = TeamRegistrationFactory(team=team).person
        theirs = RiskFormulationFactory(person=someone_else)
        response = coordinator_client.get(reverse("risk:revision", args=[person.pk, theirs.pk]))
        assert response.status_code == 404

    def test_history_query_count_does_not_grow(
        self, coordinator_client, person, coordinator, django_assert_max_num_queries
    ):
        RiskFormulationFactory(person=person, written_by=coordinator)
        url = reverse("risk:history", args=[person.pk])
        with django_assert_max_num_queries(40) as baseline:
            coordinator_client.get(url)
        for _ in range(9):
            RiskFormulationFactory(person=person)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)


@pytest.mark.django_db
class TestAccessAndAudit:
    @pytest.mark.parametrize("name", ["risk:current", "risk:write", "risk:history"])
    def test_outsider_gets_404(self, outsider_client, person, name):
        assert outsider_client.get(reverse(name, args=[person.pk])).status_code == 404

    def test_viewing_a_revision_is_audited_against_that_revision(
        self, coordinator_client, person, coordinator
    ):
        formulation = RiskFormulationFactory(person=person, written_by=coordinator)
        coordinator_client.get(reverse("risk:revision", args=[person.pk, formulation.pk]))
        event = AuditEvent.objects.filter(action="view").order_by("-id").first()
        assert (event.person, event.record_type, event.record_id) == (
            person,
            "risk_formulation",
            str(formulation.pk),
        )


@pytest.mark.django_db
class TestRecordSection:
    def test_the_record_page_shows_the_current_summary(self, coordinator_client, person, coordinator):
        RiskFormulationFactory(person=person, written_by=coordinator, protective_factors="Old factors")
        RiskFormulationFactory(
            person=person,
            written_by=coordinator,
            protective_factors="Her allotment (synthetic)",
            review_date=timezone.localdate() - datetime.timedelta(days=3),
        )
        page = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert (
            "Risk formulation" in page and "Her allotment (synthetic)" in page and "Old factors" not in page
        )
        assert (
            "Risk to self: Thoughts of self-harm" in page
            and "Risk to others" not in page.split("risk-formulation-heading")[1].split("</section>")[0]
        )
        assert "Overdue" in page and "revision 2" in page

    def test_without_a_formulation_the_section_offers_to_write_one(self, coordinator_client, person):
        page = coordinator_client.get(reverse("patients:detail", args=[person.pk])).content.decode()
        assert "No risk formulation yet" in page
