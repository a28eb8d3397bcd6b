"""The FHIR API: the same access rules and audit as the pages, standard searches, errors as
OperationOutcome, and every resource valid FHIR (checked with fhir.resources' R4B models)."""

import datetime

import pytest
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.auditevent import AuditEvent as FhirAuditEvent
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.relatedperson import RelatedPerson
from fhir.resources.R4B.task import Task

from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir.factories import staff_token, system_client_token
from waypoint.measures.factories import MeasureFactory
from waypoint.medicines.factories import AdministrationFactory, MedicineFactory
from waypoint.patients.factories import AlertFactory, CarerFactory, GPPracticeFactory, TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind, RevisionStatus
from waypoint.tasks.factories import TaskFactory

MODELS = {
    "Patient": Patient,
    "EpisodeOfCare": EpisodeOfCare,
    "Flag": Flag,
    "RelatedPerson": RelatedPerson,
    "CarePlan": CarePlan,
    "Encounter": Encounter,
    "Appointment": Appointment,
    "Task": Task,
    "Observation": Observation,
    "QuestionnaireResponse": QuestionnaireResponse,
    "MedicationStatement": MedicationStatement,
    "MedicationAdministration": MedicationAdministration,
}
PER_PERSON = [name for name in MODELS if name != "Patient"]


def get(client, url, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **headers)


@pytest.fixture
def token(coordinator):
    return staff_token(coordinator)


@pytest.fixture
def full_person(person, team, coordinator):
    person.gp_practice = GPPracticeFactory(ods_code="Y01234", name="Testville Surgery")
    person.preferred_name = "Sam"
    person.save()
    episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
    CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
    AlertFactory(person=person, created_by=coordinator)
    CarerFactory(person=person)
    plan = PlanFactory(person=person, team=team, kind=PlanKind.CARE, created_by=coordinator)
    PlanRevisionFactory(
        plan=plan,
        status=RevisionStatus.AGREED,
        agreed_on=timezone.localdate(),
        agreed_with_person=True,
        content={
            "needs": [
                {
                    "need": "Sleep",
                    "goal": "I want to sleep through the night",
                    "interventions": [{"what": "Sleep diary", "who": "Casey", "how_often": "Weekly"}],
                }
            ]
        },
        created_by=coordinator,
        updated_by=coordinator,
    )
    booked = AppointmentFactory(person=person, team=team, booked_by=coordinator)
    ContactFactory(person=person, team=team, appointment=booked, recorded_by=coordinator)
    TaskFactory(person=person, team=team, plan=plan)
    MeasureFactory(person=person, recorded_by=coordinator)
    MedicineFactory(person=person, recorded_by=coordinator)
    AdministrationFactory(prescription__person=person, prescription__team=team, given_by=coordinator)
    return person


@pytest.mark.django_db
class TestRead:
    def test_a_patient_reads_as_uk_core_with_the_nhs_number_and_gp_and_is_audited(
        self, client, token, full_person
    ):
        response = get(client, f"/fhir/R4/Patient/{full_person.pk}", token)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/fhir+json")
        body = response.json()
        Patient.model_validate(body)
        assert body["identifier"][0] == {
            "system": "https://fhir.nhs.uk/Id/nhs-number",
            "value": full_person.nhs_number,
            "extension": body["identifier"][0]["extension"],
        }
        assert body["generalPractitioner"][0]["identifier"]["value"] == "Y01234"
        assert body["meta"]["versionId"] == str(full_person.version)
        assert response["ETag"] == f'W/"{full_person.version}"'
        event = AuditEvent.objects.get()
        assert (event.action, event.record_type, event.person_id, event.basis) == (
            Action.VIEW,
            RecordType.PERSON,
            full_person.pk,
            Basis.TEAM,
        )
        assert event.path == f"/fhir/R4/Patient/{full_person.pk}"

    @pytest.mark.parametrize("resource_type", PER_PERSON)
    def test_each_resource_reads_and_is_valid(self, client, token, full_person, resource_type):
        search = get(client, f"/fhir/R4/{resource_type}?patient={full_person.pk}", token).json()
        record_id = search["entry"][0]["resource"]["id"]
        body = get(client, f"/fhir/R4/{resource_type}/{record_id}", token).json()
        MODELS[resource_type].model_validate(body)
        assert body["resourceType"] == resource_type

    def test_if_none_match_answers_304(self, client, token, person):
        first = get(client, f"/fhir/R4/Patient/{person.pk}", token)
        again = get(client, f"/fhir/R4/Patient/{person.pk}", token, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304

    def test_no_relationship_is_404_as_for_a_record_that_does_not_exist_and_nothing_is_audited(
        self, client, outsider, full_person
    ):
        token = staff_token(outsider)
        for url in [
            f"/fhir/R4/Patient/{full_person.pk}",
            f"/fhir/R4/Patient/{full_person.pk + 1000}",
            f"/fhir/R4/EpisodeOfCare/{full_person.episodes.get().pk}",
            f"/fhir/R4/Flag/{full_person.alerts.get().pk}",
        ]:
            response = get(client, url, token)
            assert response.status_code == 404, url
            OperationOutcome.model_validate(response.json())
        assert not AuditEvent.objects.exists()

    def test_no_relationship_searches_answer_an_empty_bundle(self, client, outsider, full_person):
        token = staff_token(outsider)
        for url in [
            f"/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{full_person.nhs_number}",
            f"/fhir/R4/Patient?family={full_person.family_name}",
            *[f"/fhir/R4/{name}?patient={full_person.pk}" for name in PER_PERSON],
            *[f"/fhir/R4/{name}" for name in MODELS],
        ]:
            body = get(client, url, token).json()
            assert body["total"] == 0 and body.get("entry", []) == [], url
        assert not AuditEvent.objects.exists()


@pytest.mark.django_db
class TestSearch:
    def test_by_nhs_number_and_by_name_and_birthdate(self, client, token, full_person):
        for query in [
            f"identifier=https://fhir.nhs.uk/Id/nhs-number|{full_person.nhs_number}",
            f"identifier={full_person.nhs_number}",
            f"family={full_person.family_name[:3].lower()}",
            f"given={full_person.given_name}&birthdate={full_person.date_of_birth.isoformat()}",
            f"birthdate=ge{full_person.date_of_birth.isoformat()}",
        ]:
            response = get(client, f"/fhir/R4/Patient?{query}", token)
            assert response.status_code == 200, query
            body = response.json()
            Bundle.model_validate(body)
            assert [e["resource"]["id"] for e in body["entry"]] == [str(full_person.pk)], query

    def test_one_audit_row_per_person_returned(self, client, token, team, full_person):
        others = [TeamRegistrationFactory(team=team).person for _ in range(2)]
        body = get(client, "/fhir/R4/Patient", token).json()
        assert body["total"] == 3
        rows = AuditEvent.objects.filter(action=Action.SEARCH)
        assert sorted(rows.values_list("person_id", flat=True)) == sorted(
            [full_person.pk, *[p.pk for p in others]]
        )

    def test_paging_links_walk_every_result(self, client, token, team, person):
        for _ in range(4):
            TeamRegistrationFactory(team=team)
        seen, url = [], "/fhir/R4/Patient?_count=2"
        while url:
            body = get(client, url, token).json()
            seen += [e["resource"]["id"] for e in body["entry"]]
            url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
        assert len(seen) == len(set(seen)) == 5

    def test_unknown_and_bad_parameters_are_refused_with_an_operation_outcome(self, client, token, person):
        for query, status in [
            ("nickname=x", 400),
            ("birthdate=yesterday", 400),
            ("birthdate=2026-02-30", 400),
            ("_count=lots", 400),
            ("_count=-1", 400),
            ("family=", 400),
        ]:
            response = get(client, f"/fhir/R4/Patient?{query}", token)
            assert response.status_code == status, query
            OperationOutcome.model_validate(response.json())

    def test_odd_ids_and_unknown_types_never_fail(self, client, token):
        for url in [
            "/fhir/R4/Patient/abc",
            "/fhir/R4/Patient/99999999999999999999999",
            "/fhir/R4/Patient/١٢",
            "/fhir/R4/Observation",
            "/fhir/R4/Patient/1/_history/1",
            "/fhir/R4/Flag?patient=Patient/abc",
        ]:
            response = get(client, url, token)
            assert response.status_code in (200, 404), url
            assert response.json()["resourceType"] in ("OperationOutcome", "Bundle")

    def test_the_number_of_queries_does_not_grow_with_the_results(
        self, client, token, team, coordinator, django_assert_max_num_queries
    ):
        def add(n):
            for _ in range(n):
                person = TeamRegistrationFactory(team=team).person
                episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
                CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)

        add(1)
        with django_assert_max_num_queries(40) as few:
            get(client, "/fhir/R4/EpisodeOfCare?_count=50", token)
        add(10)
        with django_assert_max_num_queries(40) as many:
            get(client, "/fhir/R4/EpisodeOfCare?_count=50", token)
        reads = lambda ctx: [q for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]  # noqa: E731
        assert len(reads(many)) == len(reads(few))


@pytest.mark.django_db
class TestSecurity:
    def test_no_token_or_a_bad_token_is_401(self, client, person):
        for token in [None, "not-a-token"]:
            response = get(client, f"/fhir/R4/Patient/{person.pk}", token)
            assert response.status_code == 401
            assert "Bearer" in response["WWW-Authenticate"]
            OperationOutcome.model_validate(response.json())

    def test_a_session_is_not_enough(self, coordinator_client, person):
        assert coordinator_client.get(f"/fhir/R4/Patient/{person.pk}").status_code == 401

    def test_an_expired_token_is_401(self, client, coordinator, person):
        from oauth2_provider.models import AccessToken

        token = staff_token(coordinator)
        AccessToken.objects.filter(token=token).update(expires=timezone.now() - datetime.timedelta(seconds=1))
        assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 401

    def test_a_token_without_the_resource_scope_is_403(self, client, coordinator, full_person):
        token = staff_token(coordinator, scope="user/Flag.read")
        assert get(client, f"/fhir/R4/Patient/{full_person.pk}", token).status_code == 403
        assert get(client, f"/fhir/R4/Flag?patient={full_person.pk}", token).status_code == 200

    def test_a_staff_token_of_a_deactivated_account_is_refused(self, client, coordinator, person):
        token = staff_token(coordinator)
        coordinator.is_active = False
        coordinator.save()
        assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 401

    def test_a_system_client_sees_only_people_in_care_now_under_its_own_basis(
        self, client, team, coordinator, full_person
    ):
        waiting = TeamRegistrationFactory(team=team).person  # on the books, no episode of care
        token, service = system_client_token()
        assert get(client, f"/fhir/R4/Patient/{full_person.pk}", token).status_code == 200
        assert get(client, f"/fhir/R4/Patient/{waiting.pk}", token).status_code == 404
        event = AuditEvent.objects.get()
        assert (event.user, event.basis) == (service, Basis.SHARED_CARE_RECORD)

    def test_a_system_client_token_cannot_use_staff_scopes(self, client, full_person):
        token, _ = system_client_token(scope="user/Patient.read")
        assert get(client, f"/fhir/R4/Patient/{full_person.pk}", token).status_code == 403

    def test_the_capability_statement_is_public_and_says_what_is_supported(self, client):
        response = client.get("/fhir/R4/metadata")
        assert response.status_code == 200
        body = response.json()
        CapabilityStatement.model_validate(body)
        served = {r["type"]: {p["name"] for p in r["searchParam"]} for r in body["rest"][0]["resource"]}
        assert served["Patient"] >= {"identifier", "family", "given", "birthdate", "_count"}
        assert set(served) == {*MODELS, "AuditEvent"}


@pytest.mark.django_db
class TestOutcomeMeasures:
    def test_a_phq9_is_an_observation_with_its_snomed_code_and_its_answers_a_response(
        self, client, token, full_person
    ):
        body = get(
            client,
            f"/fhir/R4/Observation?patient={full_person.pk}&code=http://snomed.info/sct|720433000",
            token,
        ).json()
        observation = body["entry"][0]["resource"]
        assert observation["code"]["coding"][0] == {
            "system": "http://snomed.info/sct",
            "code": "720433000",
            "display": "PHQ-9",
        }
        assert observation["valueQuantity"]["value"] >= 0
        response = get(client, f"/fhir/R4/QuestionnaireResponse/{observation['id']}", token).json()
        assert len(response["item"]) == 9
        assert (
            get(client, f"/fhir/R4/Observation?patient={full_person.pk}&code=GAD7", token).json()["total"]
            == 0
        )


@pytest.mark.django_db
class TestAuditEvents:
    def test_a_privacy_officer_reads_who_saw_a_record_and_break_glass_is_a_security_alert(
        self, client, token, privacy_officer, full_person, coordinator
    ):
        from waypoint.access.actor import Actor
        from waypoint.audit import services as audit

        get(client, f"/fhir/R4/Patient/{full_person.pk}", token)  # the coordinator's view, audited
        from django.db import transaction

        with transaction.atomic():
            audit.write(
                Actor(coordinator, Basis.BREAK_GLASS, "Crisis call out of hours", "/people/1/"),
                action=Action.BREAK_GLASS,
                record_type=RecordType.BREAK_GLASS,
                person=full_person,
            )
        officer = staff_token(privacy_officer, scope="user/AuditEvent.read")
        body = get(client, f"/fhir/R4/AuditEvent?patient={full_person.pk}", officer).json()
        events = [entry["resource"] for entry in body["entry"]]
        for event in events:
            FhirAuditEvent.model_validate(event)
        alert = next(e for e in events if e["type"]["code"] == "110113")
        assert alert["subtype"][0]["code"] == "110127"
        assert alert["purposeOfEvent"][0]["coding"][0]["code"] == "ETREAT"
        assert any(e["type"]["code"] == "110110" for e in events)
        read = AuditEvent.objects.filter(record_type=RecordType.ACCESS_HISTORY).get()
        assert (read.user, read.basis) == (privacy_officer, Basis.PRIVACY_REVIEW)

    def test_nobody_else_sees_the_audit(self, client, coordinator, full_person):
        token = staff_token(coordinator, scope="user/AuditEvent.read")
        get(client, f"/fhir/R4/Patient/{full_person.pk}", staff_token(coordinator))
        body = get(client, f"/fhir/R4/AuditEvent?patient={full_person.pk}", token).json()
        assert body["total"] == 0
