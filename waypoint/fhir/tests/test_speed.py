"""What a FHIR read and search cost in queries (issue 16, speed): a fixed number, whatever the number
of people in the database, of people found or of relationships the caller has; and the basis each
audit row carries, now read in the record's own query (`with_access`), is the one the access policy
gives (`bases_for`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from waypoint.access.models import BreakGlass
from waypoint.access.policy import access_of, bases_for, with_access
from waypoint.audit.models import Action, AuditEvent, Basis
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir.factories import staff_token, system_client_token
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.models import Person
from waypoint.tasks.factories import TaskFactory

# A read: the token with its service account, the account's roles and team memberships, the record
# with its basis, its open Mental Health Act periods, and the audit row (with its transaction).
READ_QUERIES = 8


def get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def in_care(team, coordinator, n):
    people = []
    for _ in range(n):
        person = TeamRegistrationFactory(team=team).person
        episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
        CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
        people.append(person)
    return people


@pytest.mark.django_db
class TestQueryCounts:
    def test_a_system_clients_read_is_a_fixed_number_of_queries(
        self, client, team, coordinator, django_assert_num_queries
    ):
        token, _service = system_client_token()
        person = in_care(team, coordinator, 1)[0]
        get(client, f"/fhir/R4/Patient/{person.pk}", token)  # the first read in a process warms nothing
        with django_assert_num_queries(READ_QUERIES):
            assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 200
        in_care(team, coordinator, 15)
        PersonFactory.create_batch(10)
        with django_assert_num_queries(READ_QUERIES):
            assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 200

    def test_a_staff_read_does_not_grow_with_their_relationships(
        self, client, team, coordinator, django_assert_max_num_queries
    ):
        token = staff_token(coordinator)
        person = in_care(team, coordinator, 1)[0]
        with django_assert_max_num_queries(READ_QUERIES) as few:
            assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 200
        in_care(team, coordinator, 10)
        for other in in_care(team, coordinator, 3):
            TaskFactory(person=other, assigned_to=coordinator, assigned_by=coordinator)
        with django_assert_max_num_queries(READ_QUERIES) as many:
            assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 200
        assert len(many.captured_queries) == len(few.captured_queries)

    @pytest.mark.parametrize("resource", ["Patient", "EpisodeOfCare"])
    def test_a_search_does_not_grow_with_the_people_found(
        self, client, team, coordinator, django_assert_max_num_queries, resource
    ):
        token, _service = system_client_token()
        in_care(team, coordinator, 1)
        # The audit writes one INSERT per person returned (audit/services.py, unchanged here); the
        # reads are what must not grow.
        with django_assert_max_num_queries(60) as few:
            response = get(client, f"/fhir/R4/{resource}?_count=50", token)
        assert response.json()["total"] == 1
        in_care(team, coordinator, 12)
        with django_assert_max_num_queries(60) as many:
            response = get(client, f"/fhir/R4/{resource}?_count=50", token)
        assert response.json()["total"] == 13
        reads = lambda ctx: [q for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]  # noqa: E731
        assert len(reads(many)) == len(reads(few)) <= 12
        # Still one audit row per person returned.
        assert AuditEvent.objects.filter(action=Action.SEARCH).count() == 1 + 13

    def test_a_search_by_nhs_number_is_a_fixed_number_of_queries(
        self, client, team, coordinator, django_assert_max_num_queries
    ):
        token, _service = system_client_token()
        person = in_care(team, coordinator, 1)[0]
        url = f"/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C{person.nhs_number}"
        with django_assert_max_num_queries(12) as few:
            assert get(client, url, token).json()["total"] == 1
        in_care(team, coordinator, 10)
        with django_assert_max_num_queries(12) as many:
            assert get(client, url, token).json()["total"] == 1
        assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
class TestTheBasisInTheRecordsOwnQuery:
    """`with_access` answers exactly what `visible_to` and `bases_for` answer."""

    def test_the_same_people_and_bases_as_the_policy(self, team, other_team, coordinator, outsider):
        mine = in_care(team, coordinator, 2)
        on_books = TeamRegistrationFactory(team=team).person
        elsewhere = TeamRegistrationFactory(team=other_team).person
        tasked = TeamRegistrationFactory(team=other_team).person
        TaskFactory(person=tasked, assigned_to=coordinator, assigned_by=coordinator)
        glass = TeamRegistrationFactory(team=other_team).person
        now = timezone.now()
        BreakGlass.objects.create(
            user=coordinator,
            person=glass,
            reason="Crisis call overnight",
            expires_at=now + timedelta(hours=1),
        )
        people = [*mine, on_books, elsewhere, tasked, glass]
        for user in (coordinator, outsider, system_client_token()[1]):
            found = {p.pk: access_of(p) for p in with_access(Person.objects.all(), user)}
            assert set(found) == set(Person.objects.visible_to(user).values_list("pk", flat=True))
            assert found == bases_for(user, [p.pk for p in people])
        found = {p.pk: access_of(p) for p in with_access(Person.objects.all(), coordinator)}
        assert elsewhere.pk not in found
        assert found[glass.pk].basis == Basis.BREAK_GLASS
        assert found[glass.pk].break_glass_reason == "Crisis call overnight"
        assert found[tasked.pk].basis == Basis.TASK

    def test_a_read_is_audited_with_the_basis(self, client, team, coordinator):
        token, service = system_client_token()
        person = in_care(team, coordinator, 1)[0]
        assert get(client, f"/fhir/R4/Patient/{person.pk}", token).status_code == 200
        row = AuditEvent.objects.get(user=service, action=Action.VIEW)
        assert (row.person_id, row.basis) == (person.pk, Basis.SHARED_CARE_RECORD)
