import pytest
from django.urls import reverse

from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import AlertFactory, CarerFactory
from waypoint.patients.models import Person


@pytest.mark.django_db
class TestRecordPage:
    def test_shows_demographics_carers_and_alert_banner(self, coordinator_client, person):
        CarerFactory(person=person, name="Morgan Testcarer", consent_to_share="crisis_only")
        AlertFactory(person=person, summary="Do not visit alone")
        response = coordinator_client.get(reverse("patients:record_details", args=[person.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert person.given_name in body
        assert "Morgan Testcarer" in body
        assert "Crisis plan and appointments only" in body
        assert "Do not visit alone" in body
        assert response["Cache-Control"] == "no-store"

    def test_no_relationship_gets_404(self, outsider_client, person):
        response = outsider_client.get(reverse("patients:detail", args=[person.pk]))
        assert response.status_code == 404

    def test_view_is_audited_with_basis(self, coordinator_client, coordinator, person):
        coordinator_client.get(reverse("patients:detail", args=[person.pk]))
        event = AuditEvent.objects.get(person=person, action="view")
        assert event.user == coordinator
        assert event.basis == "team"
        assert event.record_type == "person"


@pytest.mark.django_db
class TestSearch:
    def test_finds_by_partial_name_nhs_number_and_date_of_birth(self, coordinator_client, person):
        url = reverse("patients:search")
        spaced = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
        for query in [person.given_name[2:].upper(), spaced, person.nhs_number, "17/05/1980"]:
            response = coordinator_client.get(url, {"q": query})
            assert person.given_name in response.content.decode(), query

    def test_partial_name_never_shows_people_outside_relationship(self, outsider_client, person):
        response = outsider_client.get(reverse("patients:search"), {"q": person.given_name})
        body = response.content.decode()
        assert reverse("patients:detail", args=[person.pk]) not in body
        assert person.nhs_number not in body
        assert "0 people your team works with" in body

    def test_a_date_of_birth_alone_never_shows_people_outside_relationship(self, outsider_client, person):
        born = person.date_of_birth
        for query in (
            born.strftime("%d/%m/%Y"),
            born.strftime("%d %B %Y"),
            born.strftime("%d %m %Y"),
            born.strftime("%d %b %Y"),
        ):
            body = outsider_client.get(reverse("patients:search"), {"q": query}).content.decode()
            assert person.nhs_number not in body, query
            assert "Request emergency access" not in body, query

    def test_search_points_to_the_trace_for_anyone_else(self, outsider_client, person):
        body = outsider_client.get(reverse("patients:search"), {"q": person.nhs_number}).content.decode()
        assert reverse("patients:trace") in body
        assert person.full_name not in body and "0 people your team works with" in body
        assert "Request emergency access" not in body


@pytest.mark.django_db
class TestRegister:
    def form_data(self, **overrides):
        data = {
            "nhs_number": "999 000 0018",
            "given_name": "Newly",
            "family_name": "Registered",
            "date_of_birth_day": "3",
            "date_of_birth_month": "4",
            "date_of_birth_year": "1990",
            "sex": "X",
            "gender_identity": "X",
            "ethnicity": "99",
            "preferred_language": "English",
            "accommodation_status": "not_known",
            "employment_status": "ZZ",
        }
        data.update(overrides)
        return data

    def test_registers_and_audits(self, coordinator_client, coordinator, team):
        response = coordinator_client.post(reverse("patients:register"), self.form_data())
        person = Person.objects.get(nhs_number="9990000018")
        assert response.status_code == 302
        assert person.team_registrations.get().team == team
        assert AuditEvent.objects.filter(person=person, action="create", user=coordinator).exists()

    def test_bad_input_keeps_what_was_typed(self, coordinator_client):
        response = coordinator_client.post(
            reverse("patients:register"),
            self.form_data(nhs_number="999 000 0019", date_of_birth_month="13", given_name="Keepme"),
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Error:" in body
        assert "NHS number is not valid" in body
        assert "Date of birth must be a real date" in body
        assert 'value="Keepme"' in body
        assert 'value="999 000 0019"' in body
        assert not Person.objects.filter(given_name="Keepme").exists()

    def test_a_postcode_is_checked_and_tidied_as_it_is_typed(self, coordinator_client):
        response = coordinator_client.post(
            reverse("patients:register"), self.form_data(postcode="LS1 1UR2", given_name="Keepme")
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Enter a real postcode, like SW1A 1AA" in body and 'value="LS1 1UR2"' in body
        assert not Person.objects.filter(given_name="Keepme").exists()
        response = coordinator_client.post(reverse("patients:register"), self.form_data(postcode="ls11ur"))
        assert response.status_code == 302
        assert Person.objects.get(nhs_number="9990000018").postcode == "LS1 1UR"

    def test_duplicate_nhs_number_links_to_existing_record(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("patients:register"), self.form_data(nhs_number=person.nhs_number)
        )
        body = response.content.decode()
        assert "already registered" in body
        assert reverse("patients:detail", args=[person.pk]) in body


def test_the_carer_form_does_not_offer_a_completed_carers_assessment():
    """Issue 18, item 12: "Completed" comes from recording the carer's assessment itself."""
    from waypoint.patients.forms import CarerForm
    from waypoint.patients.models import Carer, CarerAssessmentStatus

    offered = [value for value, _label in CarerForm().fields["carer_assessment"].choices]
    assert CarerAssessmentStatus.COMPLETED not in offered and CarerAssessmentStatus.OFFERED in offered
    done = Carer(carer_assessment=CarerAssessmentStatus.COMPLETED)
    kept = [value for value, _label in CarerForm(instance=done).fields["carer_assessment"].choices]
    assert CarerAssessmentStatus.COMPLETED in kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ods_code", "postcode", "valid"),
    [
        ("B86001", "LS1 1UR", True),
        ("b86001", "", True),
        ("B8600", "LS1 1UR", False),
        ("B86001", "LS1", False),
    ],
)
def test_the_gp_practice_form_checks_the_ods_code_and_postcode(ods_code, postcode, valid):
    """Reference data typed in the admin meets the formats the data quality report checks."""
    from waypoint.patients.forms import GPPracticeForm

    form = GPPracticeForm(data={"ods_code": ods_code, "name": "Synthetic Practice", "postcode": postcode})
    if valid:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["ods_code"] == ods_code.upper()
    else:
        assert not form.is_valid()
        assert set(form.errors) & {"ods_code", "postcode"}
