"""Registrations at the same moment: distinct local IDs, and "already registered", never a 500.

The deterministic tests make the race happen on purpose (on both databases): the next local ID
is one another registration has just taken, or the NHS number check runs before the other
registration is saved. The threaded tests are the real thing, on PostgreSQL only (SQLite's
in-memory test database cannot be shared between threads, and SQLite takes writers one at a time).
"""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from waypoint.access.actor import Actor
from waypoint.audit.models import AuditEvent
from waypoint.patients import services
from waypoint.patients.factories import PersonFactory, valid_test_nhs_number
from waypoint.patients.models import Person

FRESH = [valid_test_nhs_number(900_000 + n) for n in range(2)]  # far from the factories' sequence

PERSON = {
    "given_name": "Race",
    "family_name": "Synthetic",
    "date_of_birth": "1990-04-03",
    "sex": "X",
    "gender_identity": "X",
    "ethnicity": "99",
    "preferred_language": "English",
    "accommodation_status": "not_known",
    "employment_status": "ZZ",
}

FORM = {
    "given_name": "Race",
    "family_name": "Synthetic",
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


@pytest.mark.django_db
class TestSimulatedRaces:
    def test_a_local_id_taken_meanwhile_is_skipped(self, monkeypatch, coordinator):
        taken = PersonFactory(local_id="WP0009999")
        real = services._next_local_id
        answers = iter([taken.local_id])
        monkeypatch.setattr(services, "_next_local_id", lambda: next(answers, None) or real())
        person = services.register_person(
            by=Actor(coordinator, basis="registration"), data=dict(PERSON, nhs_number=FRESH[0])
        )
        assert person.local_id not in {"", taken.local_id}
        assert Person.objects.filter(local_id=person.local_id).count() == 1

    def test_an_nhs_number_saved_meanwhile_is_already_registered(
        self, monkeypatch, coordinator_client, person
    ):
        # The check before saving runs while the other registration is not yet saved: it finds nothing.
        real = services._check_nhs_number_free
        calls = []

        def check_too_early(nhs_number, exclude_pk=None):
            calls.append(nhs_number)
            if len(calls) > 1:
                real(nhs_number, exclude_pk)

        monkeypatch.setattr(services, "_check_nhs_number_free", check_too_early)
        response = coordinator_client.post(
            reverse("patients:register"), dict(FORM, nhs_number=person.nhs_number, given_name="Keepme")
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "A person with this NHS number is already registered" in body
        assert 'value="Keepme"' in body
        assert Person.objects.filter(nhs_number=person.nhs_number).count() == 1
        assert len(calls) == 2

    def test_the_service_says_already_registered_and_saves_nothing(self, monkeypatch, coordinator, person):
        real = services._check_nhs_number_free
        calls = []
        monkeypatch.setattr(
            services,
            "_check_nhs_number_free",
            lambda number, exclude_pk=None: (
                calls.append(number) or (len(calls) > 1 and real(number, exclude_pk))
            ),
        )
        before = AuditEvent.objects.count()
        with pytest.raises(services.DuplicateNHSNumber) as caught:
            services.register_person(
                by=Actor(coordinator, basis="registration"), data=dict(PERSON, nhs_number=person.nhs_number)
            )
        assert caught.value.existing == person
        assert AuditEvent.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared between threads")
@pytest.mark.django_db(transaction=True)
class TestRealRaces:
    def _at_once(self, count, work):
        barrier = threading.Barrier(count)
        outcomes = []

        def run(index):
            try:
                barrier.wait(timeout=10)
                outcomes.append(work(index))
            except services.DuplicateNHSNumber:
                outcomes.append("already registered")
            except Exception as exc:  # noqa: BLE001 - the test reports any other failure
                outcomes.append(f"error: {exc!r}")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes

    def test_two_registrations_at_once_both_succeed(self, coordinator):
        outcomes = self._at_once(
            2,
            lambda i: (
                services.register_person(
                    by=Actor(coordinator, basis="registration"), data=dict(PERSON, nhs_number=FRESH[i])
                ).local_id
            ),
        )
        assert len(outcomes) == 2 and not any(str(o).startswith("error") for o in outcomes), outcomes
        assert len(set(outcomes)) == 2

    def test_three_with_one_nhs_number_register_one(self, coordinator):
        outcomes = self._at_once(
            3,
            lambda i: (
                services.register_person(
                    by=Actor(coordinator, basis="registration"), data=dict(PERSON, nhs_number=FRESH[0])
                ).local_id
            ),
        )
        assert len(outcomes) == 3 and outcomes.count("already registered") == 2, outcomes
        assert Person.objects.filter(nhs_number=FRESH[0]).count() == 1
