"""Search lists only people in the user's relationships; anyone else needs a deliberate trace (issue 8, item 1).

Run as `student`, a student in North CMHT, against people on South CMHT's books with whom the
student has no relationship.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

BORN = datetime.date(1978, 4, 6)
REASON = "Phoned the duty line in crisis, not known to North"


@pytest.fixture
def student(team):
    return make_staff(team=team, roles=[RoleCode.STUDENT], username="student", first_name="Sam")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def south_person(other_team):
    """A person on South CMHT's books: the student has no relationship with them."""
    person = PersonFactory(
        given_name="Alwyn", family_name="Southwick", date_of_birth=BORN, postcode="SO1 2AB"
    )
    TeamRegistrationFactory(person=person, team=other_team)
    return person


@pytest.fixture
def north_person(team):
    """A person on North CMHT's books, born the same day: the student works with them."""
    person = PersonFactory(given_name="Anwen", family_name="Northey", date_of_birth=BORN)
    TeamRegistrationFactory(person=person, team=team)
    return person


def trace_post(**values):
    data = {"reason": REASON}
    if "date_of_birth" in values:
        born = values.pop("date_of_birth")
        data.update(
            {
                "date_of_birth_day": str(born.day),
                "date_of_birth_month": str(born.month),
                "date_of_birth_year": str(born.year),
            }
        )
    data.update(values)
    return data


def shows(body, person, typed=()):
    """Whether the page shows the person, once anything the user typed (echoed back) is taken out."""
    for text in typed:
        body = body.replace(escape(text), "")
    digits = person.nhs_number
    return any(
        sign in body
        for sign in (
            digits,
            f"{digits[:3]} {digits[3:6]} {digits[6:]}",
            person.listing_name,
            person.full_name,
            reverse("patients:detail", args=[person.pk]),
        )
    )


@pytest.mark.django_db
class TestSearchSweepAsStudent:
    """Before this change `/people/?q=a+06/04/1978` listed the South CMHT person to the student."""

    def test_search_lists_nobody_outside_the_students_relationships(
        self, student_client, south_person, north_person
    ):
        queries = [
            "a 06/04/1978",  # one letter and a date of birth: the reproduction
            "s 06/04/1978",
            "w 06/04/1978",
            "Sou 06/04/1978",  # family-name prefix and a date of birth
            "south 6/4/1978",
            "Southwick 06/04/1978",  # even the whole family name and date of birth
            "Alwyn Southwick 06/04/1978",
            "06/04/1978 Southwick",
            "Alwyn 06/04/1978",
            "06/04/1978",  # a date of birth alone, however written
            "6 April 1978",
            "06 Apr 1978",
            "1978-04-06",
            "06 04 1978",
            "a",
            "Southwick",
            south_person.nhs_number,  # an exact NHS number: that is a trace now, with a reason
            f"{south_person.nhs_number[:3]} {south_person.nhs_number[3:6]} {south_person.nhs_number[6:]}",
        ]
        for query in queries:
            body = student_client.get(reverse("patients:search"), {"q": query}).content.decode()
            assert not shows(body, south_person, typed=[query]), query
            assert "Request emergency access" not in body, query
        assert not AuditEvent.objects.filter(person=south_person).exists()

    def test_search_within_relationships_keeps_working(self, student_client, south_person, north_person):
        for query in ("a 06/04/1978", "nwe", "North", "06/04/1978", north_person.nhs_number):
            body = student_client.get(reverse("patients:search"), {"q": query}).content.decode()
            assert north_person.given_name in body, query
            assert reverse("patients:detail", args=[north_person.pk]) in body, query

    def test_trace_with_partial_details_lists_nobody(self, student_client, south_person):
        url = reverse("patients:trace")
        for values in (
            {"family_name": "a", "date_of_birth": BORN},  # one letter and a date of birth
            {"family_name": "Sou", "date_of_birth": BORN},  # family-name prefix and a date of birth
            {"family_name": "Southwic", "date_of_birth": BORN},
            {"family_name": "Southwick", "date_of_birth": BORN + datetime.timedelta(days=1)},
            {"family_name": "Southwick", "date_of_birth": BORN, "given_name": "Al"},
            {"family_name": "Southwick", "date_of_birth": BORN, "postcode": "SO1"},
            {"nhs_number": south_person.nhs_number, "family_name": "Other"},
        ):
            response = student_client.post(url, trace_post(**values))
            body = response.content.decode()
            assert response.status_code == 200, values
            assert "No one matches these details exactly" in body, values
            assert not shows(body, south_person, typed=[str(v) for v in values.values()]), values
        assert not AuditEvent.objects.filter(person=south_person).exists()

    def test_trace_needs_exact_details(self, student_client, south_person):
        url = reverse("patients:trace")
        for values, message in (
            ({"date_of_birth": BORN}, "Enter the last name, as well as the date of birth"),
            ({"family_name": "Southwick"}, "Enter the full date of birth, as well as the last name"),
            ({}, "Enter the NHS number, or the last name and full date of birth"),
            ({"given_name": "Alwyn", "postcode": "SO1 2AB"}, "Enter the NHS number"),
        ):
            body = student_client.post(url, trace_post(**values)).content.decode()
            assert message in body, values
            assert "Error:" in body
            assert south_person.nhs_number not in body
        assert not AuditEvent.objects.filter(person=south_person).exists()


@pytest.mark.django_db
class TestTrace:
    def test_exact_nhs_number_lists_one_person_with_an_audit_row_against_them(
        self, student_client, student, south_person, privacy_officer, client
    ):
        response = student_client.post(
            reverse("patients:trace"), trace_post(nhs_number=south_person.nhs_number)
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "One person matches" in body
        assert south_person.full_name in body and "6 April 1978" in body
        assert south_person.postcode not in body  # only what confirms identity
        assert reverse("patients:detail", args=[south_person.pk]) not in body
        assert f"{reverse('access:break_glass')}?nhs_number={south_person.nhs_number}" in body
        event = AuditEvent.objects.get(person=south_person)
        assert (event.user, event.action, event.record_type, event.basis, event.break_glass_reason) == (
            student,
            "search",
            "person_trace",
            "none",
            REASON,
        )
        assert event.record_id == str(south_person.pk)
        # It is in the person's access history, with the reason.
        client.force_login(privacy_officer)
        history = client.get(reverse("audit:access_history", args=[south_person.pk])).content.decode()
        assert "person trace" in history and REASON in history and student.display_name in history

    def test_family_name_and_date_of_birth_find_one(self, student_client, south_person):
        body = student_client.post(
            reverse("patients:trace"), trace_post(family_name="SOUTHWICK ", date_of_birth=BORN)
        ).content.decode()
        assert "One person matches" in body and south_person.nhs_number in body.replace(" ", "")
        assert AuditEvent.objects.filter(person=south_person, record_type="person_trace").count() == 1

    def test_more_than_one_match_shows_none(self, student_client, south_person, other_team):
        twin = PersonFactory(
            given_name="Bryn", family_name="Southwick", date_of_birth=BORN, postcode="SO9 9ZZ"
        )
        TeamRegistrationFactory(person=twin, team=other_team)
        url = reverse("patients:trace")
        body = student_client.post(
            url, trace_post(family_name="Southwick", date_of_birth=BORN)
        ).content.decode()
        assert "More than one person matches: add the given name or postcode" in body
        for someone in (south_person, twin):
            assert someone.nhs_number not in body.replace(" ", "")
            assert someone.given_name not in body
        assert not AuditEvent.objects.filter(person__in=[south_person, twin]).exists()
        assert AuditEvent.objects.filter(person=None, record_type="person_trace").count() == 1
        # Adding the given name or the postcode (spaces and case do not matter) finds one.
        body = student_client.post(
            url, trace_post(family_name="Southwick", date_of_birth=BORN, given_name="bryn")
        ).content.decode()
        assert "One person matches" in body and twin.full_name in body
        body = student_client.post(
            url, trace_post(family_name="Southwick", date_of_birth=BORN, postcode="so12ab")
        ).content.decode()
        assert "One person matches" in body and south_person.full_name in body

    def test_a_reason_is_required_and_what_was_typed_is_kept(self, student_client, south_person):
        response = student_client.post(
            reverse("patients:trace"),
            {"nhs_number": south_person.nhs_number, "family_name": "Keptname", "reason": "  short  "},
        )
        body = response.content.decode()
        assert "Reason must be at least 10 characters" in body
        assert 'value="Keptname"' in body and f'value="{south_person.nhs_number}"' in body
        assert "One person matches" not in body
        body = student_client.post(
            reverse("patients:trace"), {"nhs_number": south_person.nhs_number}
        ).content.decode()
        assert "Enter why you need to trace this person" in body
        assert not AuditEvent.objects.filter(person=south_person).exists()

    def test_a_person_in_the_users_relationships_links_to_their_record(self, student_client, north_person):
        body = student_client.post(
            reverse("patients:trace"), trace_post(nhs_number=north_person.nhs_number)
        ).content.decode()
        assert reverse("patients:detail", args=[north_person.pk]) in body
        assert AuditEvent.objects.get(person=north_person, record_type="person_trace").basis == "team"

    def test_rate_limit_refuses_with_a_plain_message(self, student_client, settings, other_team):
        settings.WAYPOINT_TRACE_LIMIT = 3
        settings.WAYPOINT_TRACE_WINDOW_MINUTES = 15
        people = [PersonFactory(family_name="Southwick", date_of_birth=BORN) for _ in range(4)]
        url = reverse("patients:trace")
        # Time stands still, so that the test never straddles the end of a rate-limit window.
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            for someone in people[:3]:
                response = student_client.post(url, trace_post(nhs_number=someone.nhs_number))
                assert "One person matches" in response.content.decode()
            response = student_client.post(url, trace_post(nhs_number=people[3].nhs_number))
        body = response.content.decode()
        assert response.status_code == 429
        assert "You have traced 3 people in the last 15 minutes, which is the most allowed" in body
        assert "One person matches" not in body
        assert f'value="{people[3].nhs_number}"' in body  # what was typed is kept
        assert not AuditEvent.objects.filter(person=people[3]).exists()
        # Another member of staff is not limited by the student's traces.
        other = make_staff(team=other_team, username="other.tracer")
        student_client.force_login(other)
        with time_machine.travel(now, tick=False):
            response = student_client.post(url, trace_post(nhs_number=people[3].nhs_number))
        assert response.status_code == 200 and "One person matches" in response.content.decode()

    def test_search_page_is_still_audited_without_a_person(self, student_client, student, south_person):
        student_client.get(reverse("patients:search"), {"q": "a 06/04/1978"})
        event = AuditEvent.objects.get(user=student)
        assert (event.action, event.record_type, event.person) == ("search", "person_search", None)
