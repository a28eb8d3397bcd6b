"""Self-completion: the device handed to the person shows only the questionnaire, one question a
screen; answers are saved as given; finishing records the measure; only the member of staff's
password hands the record back. Audited, access-checked and role-checked in the service."""

import re

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.measures import handover, licences, services
from waypoint.measures.models import Measure, Mode, SelfCompletion, SelfCompletionStatus
from waypoint.patients.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


def start(client, person, code="phq9"):
    return client.post(reverse("measures:self_start", args=[person.pk]), {"code": code, "timing": "baseline"})


def answer(client, number, value):
    return client.post(reverse("measures:self_question", args=[number]), {"answer": str(value)})


def test_handing_over_locks_the_session_to_the_questionnaire(coordinator_client, person):
    response = start(coordinator_client, person)
    assert response.status_code == 302 and response.url == reverse("measures:self_question")
    sc = SelfCompletion.objects.get(person=person)
    assert coordinator_client.session[handover.SESSION_KEY] == sc.pk
    # Every other page of Waypoint sends the device back to the questionnaire.
    for url in [
        reverse("patients:detail", args=[person.pk]),
        reverse("measures:list", args=[person.pk]),
        reverse("patients:search"),
        "/",
        reverse("accounts:sign_out"),
    ]:
        got = coordinator_client.get(url)
        assert got.status_code == 302 and got.url == reverse("measures:self_question"), url
    assert coordinator_client.post(reverse("accounts:sign_out")).url == reverse("measures:self_question")
    page = coordinator_client.get(reverse("measures:self_question", args=[1])).content.decode()
    assert person.full_name not in page and person.family_name not in page
    assert "Find a person" not in page and "Sign out" not in page
    assert "Question 1 of 9" in page


def test_answers_are_saved_as_given_and_finishing_records_the_measure(
    coordinator_client, coordinator, person
):
    start(coordinator_client, person)
    sc = SelfCompletion.objects.get(person=person)
    bad = coordinator_client.post(reverse("measures:self_question", args=[1]), {})
    assert "Choose the answer that fits best" in bad.content.decode()
    for number in range(1, 10):
        response = answer(coordinator_client, number, 2 if number < 9 else 0)
        sc.refresh_from_db()
        assert sc.answers[str(number)] == (2 if number < 9 else 0)
    assert response.url == reverse("measures:self_finish")
    assert Measure.objects.filter(person=person).count() == 0  # not until they finish
    done = coordinator_client.post(reverse("measures:self_finish"))
    assert done.url == reverse("measures:self_done")
    sc.refresh_from_db()
    measure = sc.measure
    assert sc.status == SelfCompletionStatus.FINISHED and measure.total == 16
    assert (
        measure.mode == Mode.SELF
        and measure.completed_by_who == "person"
        and measure.recorded_by == coordinator
    )
    thanks = coordinator_client.get(reverse("measures:self_done")).content.decode()
    # The score is not shown to the person; the page's random CSP nonce may contain "16", so it
    # is taken out before looking.
    shown = re.sub(r'nonce="[^"]*"', "", thanks)
    assert "Please give the device back to Casey" in shown and "16" not in shown
    # A finished questionnaire cannot be changed from the device.
    assert answer(coordinator_client, 1, 0).url == reverse("measures:self_done")
    sc.refresh_from_db()
    assert sc.answers["1"] == 2
    events = AuditEvent.objects.filter(record_type=RecordType.SELF_COMPLETION, record_id=str(sc.pk))
    assert events.filter(action=Action.CREATE).count() == 1
    assert events.filter(action=Action.UPDATE).count() == 9
    assert events.filter(action=Action.COMPLETE).count() == 1
    assert AuditEvent.objects.filter(
        record_type=RecordType.OUTCOME_MEASURE, action=Action.CREATE, record_id=str(measure.pk)
    ).exists()


def test_finish_lists_what_is_unanswered(coordinator_client, person):
    start(coordinator_client, person, "core10")  # CORE-10 may leave one unanswered
    for number in range(1, 9):
        answer(coordinator_client, number, 1)
    page = coordinator_client.get(reverse("measures:self_finish")).content.decode()
    assert "Answer question 9" in page and "Answer question 10" in page
    assert coordinator_client.post(reverse("measures:self_finish")).status_code == 200
    assert not Measure.objects.filter(person=person).exists()
    answer(coordinator_client, 9, 1)
    assert coordinator_client.post(reverse("measures:self_finish")).url == reverse("measures:self_done")
    assert Measure.objects.get(person=person).prorated


def test_only_the_staff_password_hands_the_record_back(coordinator_client, person):
    start(coordinator_client, person)
    answer(coordinator_client, 1, 3)
    wrong = coordinator_client.post(reverse("measures:self_hand_back"), {"password": "not-it"})
    assert wrong.status_code == 200 and "That is not your password" in wrong.content.decode()
    assert coordinator_client.get(reverse("patients:detail", args=[person.pk])).status_code == 302
    right = coordinator_client.post(reverse("measures:self_hand_back"), {"password": PASSWORD})
    assert right.url == reverse("measures:list", args=[person.pk])
    assert handover.SESSION_KEY not in coordinator_client.session
    assert coordinator_client.get(reverse("patients:detail", args=[person.pk])).status_code == 200
    sc = SelfCompletion.objects.get(person=person)
    assert sc.handed_back_at is not None and sc.answers == {"1": 3}  # kept, not finished
    assert AuditEvent.objects.filter(
        record_type=RecordType.SELF_COMPLETION, action=Action.UPDATE, fields_changed=["handed_back_at"]
    ).exists()
    page = coordinator_client.get(reverse("measures:list", args=[person.pk])).content.decode()
    assert "Hand the tablet back to the person to carry on" in page
    resumed = coordinator_client.post(reverse("measures:self_resume", args=[person.pk, sc.pk]))
    assert resumed.url == reverse("measures:self_question")
    assert coordinator_client.get(reverse("measures:self_question")).url == reverse(
        "measures:self_question", args=[2]
    )


def test_finished_hand_back_opens_the_recorded_measure(coordinator_client, person):
    start(coordinator_client, person, "gad7")
    for number in range(1, 8):
        answer(coordinator_client, number, 1)
    coordinator_client.post(reverse("measures:self_finish"))
    measure = Measure.objects.get(person=person)
    right = coordinator_client.post(reverse("measures:self_hand_back"), {"password": PASSWORD})
    assert right.url == reverse("measures:detail", args=[person.pk, measure.pk])


def test_five_wrong_passwords_sign_the_session_out(coordinator_client, person):
    start(coordinator_client, person)
    answer(coordinator_client, 1, 1)
    for _ in range(handover.MAX_FAILURES):
        response = coordinator_client.post(reverse("measures:self_hand_back"), {"password": "guess"})
    assert response.url == reverse("accounts:sign_in")
    assert coordinator_client.get(reverse("patients:detail", args=[person.pk])).url.startswith(
        reverse("accounts:sign_in")
    )
    assert SelfCompletion.objects.get(person=person).answers == {"1": 1}  # kept


def test_the_device_pages_are_404_without_a_handover(coordinator_client):
    for name in ["self_question", "self_finish", "self_done", "self_hand_back"]:
        assert coordinator_client.get(reverse(f"measures:{name}")).status_code == 404


def test_no_relationship_cannot_start_or_resume(outsider_client, person, coordinator):
    before = AuditEvent.objects.count()
    assert start(outsider_client, person).status_code == 404
    sc = SelfCompletion.objects.create(person=person, code="phq9", timing="baseline", started_by=coordinator)
    assert outsider_client.post(reverse("measures:self_resume", args=[person.pk, sc.pk])).status_code == 404
    assert AuditEvent.objects.count() == before and handover.SESSION_KEY not in outsider_client.session


def test_another_persons_questionnaire_is_not_resumed(coordinator_client, person, coordinator):
    other = PersonFactory()
    sc = SelfCompletion.objects.create(person=other, code="phq9", timing="baseline", started_by=coordinator)
    assert (
        coordinator_client.post(reverse("measures:self_resume", args=[person.pk, sc.pk])).status_code == 404
    )


def test_losing_the_relationship_mid_way_ends_the_handover(coordinator_client, person, coordinator):
    start(coordinator_client, person)
    SelfCompletion.objects.filter(person=person).update(person=PersonFactory())
    assert coordinator_client.get(reverse("measures:self_question", args=[1])).status_code == 404
    assert handover.SESSION_KEY not in coordinator_client.session


def test_the_service_refuses_a_role_that_may_not_record(person, team):
    from waypoint.access.actor import Actor

    records = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records.sc")
    with pytest.raises(PermissionRefused):
        services.start_self_completion(
            by=Actor(user=records, basis="team"),
            person=person,
            defn=licences.definition("phq9"),
            timing="baseline",
        )


def test_staff_choose_only_self_report_measures(coordinator_client, person):
    page = coordinator_client.get(reverse("measures:self_start", args=[person.pk])).content.decode()
    assert "PHQ-9" in page and "DIALOG" in page and "Goal-Based" not in page
    assert start(coordinator_client, person, "gbo").status_code == 200
    assert not SelfCompletion.objects.exists()


@pytest.mark.parametrize("number", ["0", "99"])
def test_an_odd_question_number_is_404(coordinator_client, person, number):
    start(coordinator_client, person)
    assert coordinator_client.get(f"/self-completion/{number}/").status_code == 404
