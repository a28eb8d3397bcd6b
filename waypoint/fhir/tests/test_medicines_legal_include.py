"""Medicines (MedicationStatement, MedicationAdministration), physical health Observations, the
legal status extension on Patient and `_include`: valid FHIR, the same access rules and the same
audit as every other resource, and a fixed number of queries however many results."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir import resources
from waypoint.fhir.factories import staff_token
from waypoint.fhir.search import INCLUDES_PATIENT, RESOURCE_TYPES
from waypoint.legal.factories import LibertyAuthorisationFactory, MhaPeriodFactory
from waypoint.medicines.factories import (
    AdministrationFactory,
    CheckFactory,
    DepotFactory,
    FlagFactory,
    MeasurementFactory,
    MedicineFactory,
    MedicineReferenceFactory,
)
from waypoint.medicines.models import AdministrationEnteredInError
from waypoint.patients.factories import TeamRegistrationFactory


def get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def token(coordinator):
    return staff_token(coordinator)


@pytest.fixture
def depot(person, team, coordinator):
    return DepotFactory(person=person, team=team, recorded_by=coordinator)


@pytest.mark.django_db
class TestMedicationStatement:
    def test_current_and_stopped_medicines_with_the_reference_code_and_depots(
        self, client, token, person, coordinator, depot
    ):
        real = MedicineReferenceFactory(code="1234567008", name="Aripiprazole", synthetic=False)
        current = MedicineFactory(person=person, reference=real, recorded_by=coordinator)
        stopped = MedicineFactory(
            person=person,
            reference=MedicineReferenceFactory(),
            stopped_on=timezone.localdate() - datetime.timedelta(days=1),
            reason_stopped="Weight gain",
            recorded_by=coordinator,
        )
        body = get(client, f"/fhir/R4/MedicationStatement?patient={person.pk}", token).json()
        Bundle.model_validate(body)
        by_id = {e["resource"]["id"]: e["resource"] for e in body["entry"]}
        assert set(by_id) == {str(current.pk), str(stopped.pk), f"depot-{depot.pk}"}
        for resource in by_id.values():
            MedicationStatement.model_validate(resource)
        assert by_id[str(current.pk)]["status"] == "active"
        assert by_id[str(current.pk)]["medicationCodeableConcept"]["coding"][0] == {
            "system": "http://snomed.info/sct",
            "code": "1234567008",
            "display": "Aripiprazole 10 mg",
        }
        assert by_id[str(stopped.pk)]["status"] == "stopped"
        assert by_id[str(stopped.pk)]["statusReason"] == [{"text": "Weight gain"}]
        # The demo's made-up codes never pose as dm+d.
        assert by_id[str(stopped.pk)]["medicationCodeableConcept"]["coding"][0]["system"] == (
            resources.MEDICINE_SYNTHETIC
        )
        assert by_id[f"depot-{depot.pk}"]["dosage"][0]["timing"]["repeat"]["period"] == 28
        active = get(client, f"/fhir/R4/MedicationStatement?patient={person.pk}&status=active", token).json()
        assert {e["resource"]["id"] for e in active["entry"]} == {str(current.pk), f"depot-{depot.pk}"}
        rows = AuditEvent.objects.filter(action=Action.SEARCH)
        assert {(r.record_type, r.person_id, r.basis) for r in rows} == {
            (RecordType.MEDICINE, person.pk, Basis.TEAM),
            (RecordType.DEPOT, person.pk, Basis.TEAM),
        }

    def test_each_kind_reads_by_its_id_and_an_odd_id_is_404(self, client, token, person, coordinator, depot):
        medicine = MedicineFactory(person=person, recorded_by=coordinator)
        for record_id in (str(medicine.pk), f"depot-{depot.pk}"):
            response = get(client, f"/fhir/R4/MedicationStatement/{record_id}", token)
            assert response.status_code == 200, record_id
            MedicationStatement.model_validate(response.json())
        for record_id in ("depot-", "depot-x", f"ph-{depot.pk}", "depot-99999999"):
            assert get(client, f"/fhir/R4/MedicationStatement/{record_id}", token).status_code == 404


@pytest.mark.django_db
class TestMedicationAdministration:
    def test_given_missed_refused_and_entered_in_error(self, client, token, person, coordinator, depot):
        given = AdministrationFactory(prescription=depot, given_by=coordinator)
        missed = AdministrationFactory(
            prescription=depot,
            outcome="missed",
            follow_up="Phoned, rebooked",
            site="",
            side="",
            batch_number="",
            batch_expiry=None,
            dose=None,
            given_by=coordinator,
        )
        refused = AdministrationFactory(prescription=depot, outcome="refused", site="", given_by=coordinator)
        wrong = AdministrationFactory(prescription=depot, given_by=coordinator)
        AdministrationEnteredInError.objects.create(
            administration=wrong, reason="Wrong person", by=coordinator
        )
        body = get(client, f"/fhir/R4/MedicationAdministration?patient={person.pk}", token).json()
        by_id = {e["resource"]["id"]: e["resource"] for e in body["entry"]}
        for resource in by_id.values():
            MedicationAdministration.model_validate(resource)
        done = by_id[str(given.pk)]
        assert done["status"] == "completed"
        assert done["dosage"]["site"] == {"text": "Left Deltoid"}
        assert done["contained"][0]["batch"]["lotNumber"] == "SYN123"
        assert done["medicationReference"] == {"reference": "#medication"}
        assert by_id[str(missed.pk)]["status"] == "not-done"
        assert by_id[str(missed.pk)]["statusReason"][0]["coding"][0]["code"] == "missed"
        assert by_id[str(refused.pk)]["statusReason"][0]["coding"][0]["code"] == "refused"
        assert by_id[str(wrong.pk)]["status"] == "entered-in-error"
        assert {"text": "Entered in error: Wrong person"} in by_id[str(wrong.pk)]["note"]
        not_done = get(
            client, f"/fhir/R4/MedicationAdministration?patient={person.pk}&status=not-done", token
        ).json()
        assert {e["resource"]["id"] for e in not_done["entry"]} == {str(missed.pk), str(refused.pk)}
        read = get(client, f"/fhir/R4/MedicationAdministration/{wrong.pk}", token)
        assert read["ETag"] == 'W/"2"'
        row = AuditEvent.objects.filter(action=Action.VIEW).get()
        assert (row.record_type, row.person_id, row.basis) == (
            RecordType.DEPOT_ADMINISTRATION,
            person.pk,
            Basis.TEAM,
        )


@pytest.mark.django_db
class TestPhysicalHealthObservations:
    def test_measurements_with_codes_components_and_the_red_zone_flag(
        self, client, token, person, coordinator
    ):
        check = CheckFactory(person=person, recorded_by=coordinator)
        bmi = MeasurementFactory(check_record=check, element="bmi", value=Decimal("27.1"))
        bp = MeasurementFactory(
            check_record=check, element="blood_pressure", value=Decimal("150"), value_2=Decimal("95")
        )
        smoking = MeasurementFactory(check_record=check, element="smoking", value=None, text="smoker")
        hba1c = MeasurementFactory(check_record=check, element="hba1c", value=Decimal("40"))
        FlagFactory(check_record=check, element="bmi", reason="BMI 27.1 is 25 or more")
        body = get(client, f"/fhir/R4/Observation?patient={person.pk}", token).json()
        by_id = {e["resource"]["id"]: e["resource"] for e in body["entry"]}
        assert set(by_id) == {f"ph-{m.pk}" for m in (bmi, bp, smoking, hba1c)}
        for resource in by_id.values():
            Observation.model_validate(resource)
        flagged = by_id[f"ph-{bmi.pk}"]
        assert {"system": "http://loinc.org", "code": "39156-5", "display": "Body mass index"} in (
            flagged["code"]["coding"]
        )
        assert flagged["valueQuantity"]["code"] == "kg/m2"
        assert flagged["interpretation"][0]["coding"][0]["code"] == "A"
        assert flagged["interpretation"][0]["text"] == "BMI 27.1 is 25 or more"
        assert "interpretation" not in by_id[f"ph-{hba1c.pk}"]
        components = {
            c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"]
            for c in by_id[f"ph-{bp.pk}"]["component"]
        }
        assert components == {"8480-6": 150.0, "8462-4": 95.0}
        assert by_id[f"ph-{smoking.pk}"]["valueCodeableConcept"]["coding"][0]["code"] == "77176002"
        coded = get(client, f"/fhir/R4/Observation?patient={person.pk}&code=http://loinc.org|39156-5", token)
        assert [e["resource"]["id"] for e in coded.json()["entry"]] == [f"ph-{bmi.pk}"]
        named = get(client, f"/fhir/R4/Observation?patient={person.pk}&code=blood_pressure", token).json()
        assert [e["resource"]["id"] for e in named["entry"]] == [f"ph-{bp.pk}"]
        assert get(client, f"/fhir/R4/Observation/ph-{bmi.pk}", token).status_code == 200
        rows = AuditEvent.objects.filter(record_type=RecordType.PHYSICAL_HEALTH_CHECK)
        assert {(r.action, r.person_id, r.basis) for r in rows} == {
            (Action.SEARCH, person.pk, Basis.TEAM),
            (Action.VIEW, person.pk, Basis.TEAM),
        }

    def test_a_check_entered_in_error_is_not_served(self, client, token, person, coordinator):
        from waypoint.medicines.models import CheckEnteredInError

        check = CheckFactory(person=person, recorded_by=coordinator)
        measurement = MeasurementFactory(check_record=check)
        CheckEnteredInError.objects.create(check_record=check, reason="Wrong person", by=coordinator)
        assert get(client, f"/fhir/R4/Observation?patient={person.pk}", token).json()["total"] == 0
        assert get(client, f"/fhir/R4/Observation/ph-{measurement.pk}", token).status_code == 404

    def test_paging_walks_measures_and_measurements_together(self, client, token, person, coordinator):
        from waypoint.measures.factories import MeasureFactory

        for _ in range(3):
            MeasureFactory(person=person, recorded_by=coordinator)
        check = CheckFactory(person=person, recorded_by=coordinator)
        for element in ("bmi", "weight", "waist"):
            MeasurementFactory(check_record=check, element=element)
        seen, url = [], f"/fhir/R4/Observation?patient={person.pk}&_count=2"
        while url:
            body = get(client, url, token).json()
            assert body["total"] == 6
            seen += [e["resource"]["id"] for e in body["entry"]]
            url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
        assert len(seen) == len(set(seen)) == 6
        assert sum(1 for s in seen if s.startswith("ph-")) == 3


@pytest.mark.django_db
class TestLegalStatus:
    def test_an_open_section_and_a_dols_are_extensions_and_nothing_recorded_is_informal(
        self, client, token, team, person, coordinator
    ):
        MhaPeriodFactory(person=person, section="3", created_by=coordinator)
        LibertyAuthorisationFactory(person=person, created_by=coordinator)
        body = get(client, f"/fhir/R4/Patient/{person.pk}", token).json()
        Patient.model_validate(body)
        statuses = [e for e in body["extension"] if e["url"] == resources.LEGAL_STATUS]
        kinds = [
            next(x for x in e["extension"] if x["url"] == "kind")["valueCoding"]["code"] for e in statuses
        ]
        assert kinds == ["detention", "dols_standard"]
        section = next(x for x in statuses[0]["extension"] if x["url"] == "section")
        assert section["valueCodeableConcept"]["coding"][0]["code"] == "3"
        other = TeamRegistrationFactory(team=team).person
        informal = get(client, f"/fhir/R4/Patient/{other.pk}", token).json()
        assert [x["valueCoding"]["code"] for x in informal["extension"][0]["extension"]] == ["informal"]

    def test_an_ended_section_is_not_current(self, client, token, person, coordinator):
        MhaPeriodFactory(
            person=person,
            section="2",
            ended_on=timezone.localdate(),
            end_reason="discharged",
            created_by=coordinator,
        )
        body = get(client, f"/fhir/R4/Patient/{person.pk}", token).json()
        kinds = [x["valueCoding"]["code"] for x in body["extension"][0]["extension"] if x["url"] == "kind"]
        assert kinds == ["informal"]


@pytest.mark.django_db
class TestInclude:
    @pytest.fixture
    def in_care(self, person, team, coordinator):
        episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
        CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
        return person

    def test_include_adds_each_patient_once_and_audits_them(self, client, token, in_care):
        body = get(client, "/fhir/R4/EpisodeOfCare?_include=EpisodeOfCare:patient", token).json()
        Bundle.model_validate(body)
        modes = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in body["entry"]]
        assert modes == [("EpisodeOfCare", "match"), ("Patient", "include")]
        assert body["total"] == 1  # the matches only, as FHIR says
        Patient.model_validate(body["entry"][1]["resource"])
        rows = AuditEvent.objects.filter(action=Action.SEARCH)
        assert {(r.record_type, r.person_id, r.basis) for r in rows} == {
            (RecordType.EPISODE, in_care.pk, Basis.TEAM),
            (RecordType.PERSON, in_care.pk, Basis.TEAM),
        }

    def test_include_needs_the_patient_scope_and_is_refused_where_not_offered(
        self, client, coordinator, in_care
    ):
        narrow = staff_token(coordinator, scope="user/EpisodeOfCare.read")
        body = get(client, "/fhir/R4/EpisodeOfCare?_include=EpisodeOfCare:patient", narrow).json()
        assert [e["search"]["mode"] for e in body["entry"]] == ["match"]
        token = staff_token(coordinator)
        for url in [
            "/fhir/R4/EpisodeOfCare?_include=EpisodeOfCare:careManager",
            "/fhir/R4/EpisodeOfCare?_include=*",
            "/fhir/R4/Patient?_include=Patient:general-practitioner",
        ]:
            response = get(client, url, token)
            assert response.status_code == 400, url
            assert response.json()["resourceType"] == "OperationOutcome"

    def test_offered_on_every_type_searched_by_patient_but_the_audit(self):
        assert {"EpisodeOfCare", "Appointment", "MedicationAdministration", "Observation"} <= INCLUDES_PATIENT
        assert "AuditEvent" not in INCLUDES_PATIENT and "Patient" not in INCLUDES_PATIENT

    def test_no_relationship_includes_nobody(self, client, outsider, in_care):
        body = get(
            client, "/fhir/R4/EpisodeOfCare?_include=EpisodeOfCare:patient", staff_token(outsider)
        ).json()
        assert body["total"] == 0 and body.get("entry", []) == []
        assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_every_part_of_a_type_takes_the_same_parameters():
    for resource_type in RESOURCE_TYPES.values():
        for part in resource_type.more:
            assert set(part.parameters) == set(resource_type.parameters), part.name
            assert part.id_prefix


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/fhir/R4/MedicationStatement?_count=50",
        "/fhir/R4/MedicationAdministration?_count=50&_include=MedicationAdministration:patient",
        "/fhir/R4/Observation?_count=50",
        "/fhir/R4/Patient?_count=50",
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_results(
    client, token, team, coordinator, url, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            person = TeamRegistrationFactory(team=team).person
            MedicineFactory(person=person, recorded_by=coordinator)
            depot = DepotFactory(person=person, team=team, recorded_by=coordinator)
            AdministrationFactory(prescription=depot, given_by=coordinator)
            check = CheckFactory(person=person, recorded_by=coordinator)
            MeasurementFactory(check_record=check)
            FlagFactory(check_record=check)
            MhaPeriodFactory(person=person, created_by=coordinator)

    add(1)
    with django_assert_max_num_queries(60) as few:
        get(client, url, token)
    add(8)
    with django_assert_max_num_queries(60) as many:
        get(client, url, token)
    reads = lambda ctx: [q for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]  # noqa: E731
    assert len(reads(many)) == len(reads(few))


@pytest.mark.django_db
def test_no_relationship_reads_of_the_new_kinds_are_404_and_not_audited(
    client, outsider, person, team, coordinator
):
    medicine = MedicineFactory(person=person, recorded_by=coordinator)
    depot = DepotFactory(person=person, team=team, recorded_by=coordinator)
    given = AdministrationFactory(prescription=depot, given_by=coordinator)
    measurement = MeasurementFactory(check_record=CheckFactory(person=person, recorded_by=coordinator))
    MhaPeriodFactory(person=person, created_by=coordinator)
    token = staff_token(outsider)
    for url in [
        f"/fhir/R4/MedicationStatement/{medicine.pk}",
        f"/fhir/R4/MedicationStatement/depot-{depot.pk}",
        f"/fhir/R4/MedicationAdministration/{given.pk}",
        f"/fhir/R4/Observation/ph-{measurement.pk}",
        f"/fhir/R4/Patient/{person.pk}",
    ]:
        response = get(client, url, token)
        assert response.status_code == 404, url
        assert response.json()["resourceType"] == "OperationOutcome"
    for name in ("MedicationStatement", "MedicationAdministration", "Observation"):
        body = get(client, f"/fhir/R4/{name}?patient={person.pk}&_include={name}:patient", token).json()
        assert body["total"] == 0 and body.get("entry", []) == [], name
    assert not AuditEvent.objects.exists()


def test_every_resource_type_has_its_oauth_scopes():
    from django.conf import settings

    scopes = set(settings.OAUTH2_PROVIDER["SCOPES"])
    for name in RESOURCE_TYPES:
        assert {f"user/{name}.read", f"system/{name}.read"} <= scopes, name
