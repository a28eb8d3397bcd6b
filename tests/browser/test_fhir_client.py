"""A real FHIR client (fhirpy) against the live server: it reads and searches every resource
served for a person, with a member of staff's token, as another system of the Trust's would."""

import pytest
from fhirpy import SyncFHIRClient

from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir.factories import staff_token
from waypoint.fhir.search import RESOURCE_TYPES
from waypoint.legal.factories import MhaPeriodFactory
from waypoint.measures.factories import MeasureFactory
from waypoint.medicines.factories import (
    AdministrationFactory,
    CheckFactory,
    MeasurementFactory,
    MedicineFactory,
)
from waypoint.patients.factories import AlertFactory, CarerFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.tasks.factories import TaskFactory

pytestmark = pytest.mark.browser  # a live-server test: the browser tests' database handling applies


@pytest.fixture
def in_care(person, team, coordinator):
    episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
    CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
    AlertFactory(person=person, created_by=coordinator)
    CarerFactory(person=person)
    PlanRevisionFactory(plan=PlanFactory(person=person, team=team, created_by=coordinator))
    booked = AppointmentFactory(person=person, team=team, booked_by=coordinator)
    ContactFactory(person=person, team=team, appointment=booked, recorded_by=coordinator)
    TaskFactory(person=person, team=team)
    MeasureFactory(person=person, recorded_by=coordinator)
    MedicineFactory(person=person, recorded_by=coordinator)
    AdministrationFactory(prescription__person=person, prescription__team=team, given_by=coordinator)
    MeasurementFactory(check_record=CheckFactory(person=person, recorded_by=coordinator))
    MhaPeriodFactory(person=person, section="17A", created_by=coordinator)
    return person


def test_the_fhirpy_client_reads_and_searches_every_resource_served(live_server, coordinator, in_care):
    token = staff_token(coordinator)
    fhir = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {token}")
    patients = (
        fhir.resources("Patient")
        .search(identifier=f"https://fhir.nhs.uk/Id/nhs-number|{in_care.nhs_number}")
        .fetch()
    )
    assert [p["id"] for p in patients] == [str(in_care.pk)]
    patient = fhir.reference("Patient", str(in_care.pk)).to_resource()
    assert patient["birthDate"] == in_care.date_of_birth.isoformat()
    legal = [e for e in patient["extension"] if e["url"].endswith("Extension-Waypoint-LegalStatus")]
    assert legal[0]["extension"][0]["valueCoding"]["code"] == "cto"
    # Observation holds a measure and a physical health measurement; MedicationStatement a medicine
    # and the depot prescription; every other type one record.
    expected = {"Observation": 2, "MedicationStatement": 2}
    for resource_type in [name for name in RESOURCE_TYPES if name not in ("Patient", "AuditEvent")]:
        found = fhir.resources(resource_type).search(patient=str(in_care.pk)).fetch_all()
        assert len(found) == expected.get(resource_type, 1), resource_type
        for resource in found:
            again = fhir.reference(resource_type, resource["id"]).to_resource()
            assert again["resourceType"] == resource_type
    with_patients = (
        fhir.resources("MedicationAdministration")
        .search(patient=str(in_care.pk))
        .include("MedicationAdministration", "patient")
        .fetch_raw()
    )
    assert [e["resource"]["resourceType"] for e in with_patients["entry"]] == [
        "MedicationAdministration",
        "Patient",
    ]
    assert fhir.resources("Patient").search(family=in_care.family_name).count() == 1
