import datetime

import pytest

from waypoint.access.actor import Actor
from waypoint.audit.models import AuditEvent
from waypoint.patients import services
from waypoint.patients.factories import PersonFactory
from waypoint.patients.models import Person


def person_data(**overrides):
    data = {
        "nhs_number": "9990000018",
        "given_name": "Newly",
        "family_name": "Registered",
        "date_of_birth": datetime.date(1990, 4, 3),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestRegisterPerson:
    def test_registers_on_the_users_team_with_a_local_id(self, coordinator, team):
        person = services.register_person(by=Actor(coordinator, basis="registration"), data=person_data())
        assert person.local_id.startswith("WP")
        assert person.team_registrations.get().team == team
        event = AuditEvent.objects.get(person=person)
        assert event.action == "create" and event.basis == "registration"
        assert "nhs_number" in event.fields_changed

    def test_duplicate_nhs_number_is_refused_with_the_existing_record(self, coordinator, person):
        with pytest.raises(services.DuplicateNHSNumber) as caught:
            services.register_person(
                by=Actor(coordinator, basis="registration"), data=person_data(nhs_number=person.nhs_number)
            )
        assert caught.value.existing == person
        assert Person.objects.count() == 1

    def test_people_without_nhs_numbers_can_be_registered(self, coordinator):
        services.register_person(
            by=Actor(coordinator, basis="registration"), data=person_data(nhs_number=None)
        )
        services.register_person(
            by=Actor(coordinator, basis="registration"),
            data=person_data(nhs_number=None, given_name="Second"),
        )
        assert Person.objects.filter(nhs_number__isnull=True).count() == 2


@pytest.mark.django_db
class TestUpdatePerson:
    def test_records_changed_field_names_and_bumps_version(self, coordinator, person):
        updated = services.update_person(
            by=Actor(coordinator, basis="team"),
            person=person,
            data={"phone": "07700 900123"},
            version=person.version,
        )
        assert updated.version == person.version + 1
        event = AuditEvent.objects.get(action="update")
        assert event.fields_changed == ["phone"]

    def test_stale_version_is_refused_and_nothing_changes(self, coordinator, person):
        services.update_person(
            by=Actor(coordinator, basis="team"),
            person=person,
            data={"phone": "1"},
            version=1,
        )
        with pytest.raises(services.StaleEdit) as caught:
            services.update_person(
                by=Actor(coordinator, basis="team"),
                person=person,
                data={"phone": "2"},
                version=1,
            )
        assert caught.value.current_version == 2
        person.refresh_from_db()
        assert person.phone == "1"

    def test_changing_to_someone_elses_nhs_number_is_refused(self, coordinator, person):
        other = PersonFactory()
        with pytest.raises(services.DuplicateNHSNumber):
            services.update_person(
                by=Actor(coordinator, basis="team"),
                person=person,
                data={"nhs_number": other.nhs_number},
                version=None,
            )
