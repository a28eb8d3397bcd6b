"""DIALOG+: the 11 ratings and the chosen domains, the four-step conversation, the agreed actions
into the care plan in one step (through the plans service), read-only once recorded, audited,
access-checked and role-checked in the service."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.measures import licences, services
from waypoint.measures.models import DialogPlusSession, Measure
from waypoint.patients.factories import PersonFactory
from waypoint.plans.models import Plan, PlanKind

pytestmark = pytest.mark.django_db

KEYS = [
    "mental_health", "physical_health", "job", "accommodation", "leisure", "family",
    "friendships", "safety", "medication", "practical_help", "meetings",
]  # fmt: skip


def start_data(domains=("accommodation", "leisure"), **extra):
    today = timezone.localdate()
    data = {
        "timing": "review",
        "completed_on_day": str(today.day),
        "completed_on_month": str(today.month),
        "completed_on_year": str(today.year),
        "completed_by_who": "person",
        "mode": "with_person",
        "domains": list(domains),
    }
    data.update({f"item_{key}": "4" for key in KEYS})
    data.update(extra)
    return data


def conversation(**extra):
    data = {
        "accommodation__understanding": "The flat is damp and the landlord does not answer",
        "accommodation__looking_forward": "A dry flat where I can have my son to stay",
        "accommodation__options": "Housing officer; tenancy support; letter from the team",
        "accommodation__action_0_what": "Write to the housing officer about the damp",
        "accommodation__action_0_who": "Casey (care coordinator)",
        "accommodation__action_0_how_often": "By next Friday",
        "leisure__looking_forward": "Swim once a week",
    }
    data.update(extra)
    return data


def test_a_session_records_ratings_then_the_four_steps_and_actions_go_into_the_care_plan(
    coordinator_client, coordinator, person
):
    response = coordinator_client.post(reverse("measures:dialog_plus_new", args=[person.pk]), start_data())
    session = DialogPlusSession.objects.get(person=person)
    assert response.url == reverse("measures:dialog_plus", args=[person.pk, session.pk])
    assert session.measure.code == "dialog" and session.measure.total == 4
    assert session.domains == ["accommodation", "leisure"]
    page = coordinator_client.get(response.url).content.decode()
    assert "Understanding" in page and "Looking forward" in page and "Exploring options" in page
    assert "Agreeing actions" in page

    done = coordinator_client.post(response.url, conversation(add_to_plan="on"))
    assert done.url == response.url
    session.refresh_from_db()
    assert session.is_recorded
    assert session.discussion["accommodation"]["actions"] == [
        {
            "what": "Write to the housing officer about the damp",
            "who": "Casey (care coordinator)",
            "how_often": "By next Friday",
        }
    ]
    plan = Plan.objects.get(person=person, kind=PlanKind.CARE)
    revision = session.plan_revision
    assert revision.plan == plan and revision.is_draft
    [need] = revision.content["needs"]  # only the domain with agreed actions
    assert need["need"].startswith("Accommodation (from DIALOG+")
    assert need["goal"] == "A dry flat where I can have my son to stay"
    assert need["interventions"][0]["what"] == "Write to the housing officer about the damp"
    page = coordinator_client.get(response.url).content.decode()
    assert "A dry flat where I can have my son to stay" in page and "open the care plan draft" in page
    assert "Record the DIALOG+ session" not in page  # read-only now

    events = AuditEvent.objects.filter(record_type=RecordType.DIALOG_PLUS, record_id=str(session.pk))
    assert events.filter(action=Action.CREATE).exists()
    assert events.filter(action=Action.UPDATE, user=coordinator).exists()
    assert events.filter(action=Action.VIEW).exists()
    assert AuditEvent.objects.filter(record_type=RecordType.PLAN_REVISION, action=Action.UPDATE).exists()


def test_the_actions_join_an_open_care_plan_draft(coordinator, person, team):
    from waypoint.plans import services as plan_services

    by = Actor(user=coordinator, basis="team")
    plan = plan_services.start_plan(by=by, person=person, kind=PlanKind.CARE, team=team)
    draft = plan.revisions.get()
    plan_services.save_draft(
        by=by,
        revision=draft,
        content={"needs": [{"need": "Sleep", "goal": "Sleep through", "interventions": []}]},
        version=draft.version,
    )
    session = services.start_dialog_plus(
        by=by,
        person=person,
        defn=licences.definition("dialog"),
        answers={key: 3 for key in KEYS},
        domains=["job"],
        timing="review",
        completed_on=timezone.localdate(),
        completed_by_who="person",
        mode="with_person",
    )
    services.record_conversation(
        by=by,
        session=session,
        discussion={
            "job": {
                "looking_forward": "Volunteer",
                "actions": [{"what": "Call the IPS worker", "who": "Me", "how_often": "This week"}],
            }
        },
        add_to_plan=True,
        team=team,
    )
    draft.refresh_from_db()
    assert [n["need"].split(" (")[0] for n in draft.content["needs"]] == ["Sleep", "Job situation"]


def test_bad_input_is_beside_the_field_and_kept(coordinator_client, person):
    data = start_data(domains=("job", "family", "leisure", "safety"))
    data.pop("item_medication")
    page = coordinator_client.post(
        reverse("measures:dialog_plus_new", args=[person.pk]), data
    ).content.decode()
    assert "Select up to 3 areas" in page and "Select an answer to question 9" in page
    assert 'value="family" checked' in page or 'value="family"\n' in page or "checked" in page
    assert not Measure.objects.exists()
    coordinator_client.post(reverse("measures:dialog_plus_new", args=[person.pk]), start_data())
    session = DialogPlusSession.objects.get()
    url = reverse("measures:dialog_plus", args=[person.pk, session.pk])
    page = coordinator_client.post(
        url, conversation(accommodation__action_0_who="", add_to_plan="on")
    ).content.decode()
    assert "Enter who will do it (Accommodation, action 1)" in page
    assert "A dry flat where I can have my son to stay" in page  # kept
    session.refresh_from_db()
    assert not session.is_recorded and not Plan.objects.exists()
    page = coordinator_client.post(url, {"add_to_plan": "on"}).content.decode()
    assert "Agree at least one action to add to the care plan" in page
    assert "Write what was talked about for at least one area" in page
    session.refresh_from_db()
    assert not session.is_recorded


def test_a_recorded_session_is_not_recorded_again(coordinator_client, person, coordinator):
    coordinator_client.post(reverse("measures:dialog_plus_new", args=[person.pk]), start_data())
    session = DialogPlusSession.objects.get()
    url = reverse("measures:dialog_plus", args=[person.pk, session.pk])
    coordinator_client.post(url, conversation())
    with pytest.raises(services.ConversationAlreadyRecorded):
        services.record_conversation(
            by=Actor(user=coordinator, basis="team"), session=session, discussion={}, add_to_plan=False
        )


def test_no_relationship_is_404_before_any_audit_row(outsider_client, person, coordinator):
    session = services.start_dialog_plus(
        by=Actor(user=coordinator, basis="team"),
        person=person,
        defn=licences.definition("dialog"),
        answers={key: 3 for key in KEYS},
        domains=["job"],
        timing="review",
        completed_on=timezone.localdate(),
        completed_by_who="person",
        mode="with_person",
    )
    before = AuditEvent.objects.count()
    assert (
        outsider_client.get(reverse("measures:dialog_plus", args=[person.pk, session.pk])).status_code == 404
    )
    assert outsider_client.get(reverse("measures:dialog_plus_new", args=[person.pk])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_another_persons_session_is_404(coordinator_client, person, coordinator):
    other = PersonFactory()
    session = services.start_dialog_plus(
        by=Actor(user=coordinator, basis="team"),
        person=other,
        defn=licences.definition("dialog"),
        answers={key: 3 for key in KEYS},
        domains=["job"],
        timing="review",
        completed_on=timezone.localdate(),
        completed_by_who="person",
        mode="with_person",
    )
    assert (
        coordinator_client.get(reverse("measures:dialog_plus", args=[person.pk, session.pk])).status_code
        == 404
    )


def test_the_services_check_roles(person, team, coordinator):
    records = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records.dp")
    with pytest.raises(PermissionRefused):
        services.start_dialog_plus(
            by=Actor(user=records, basis="team"),
            person=person,
            defn=licences.definition("dialog"),
            answers={key: 3 for key in KEYS},
            domains=["job"],
            timing="review",
            completed_on=timezone.localdate(),
            completed_by_who="person",
            mode="with_person",
        )
    student = make_staff(team=team, roles=[RoleCode.STUDENT], username="student.dp")
    session = services.start_dialog_plus(
        by=Actor(user=student, basis="team"),
        person=person,
        defn=licences.definition("dialog"),
        answers={key: 3 for key in KEYS},
        domains=["job"],
        timing="review",
        completed_on=timezone.localdate(),
        completed_by_who="person",
        mode="with_person",
    )
    with pytest.raises(PermissionRefused):  # a student records the session, not the care plan
        services.record_conversation(
            by=Actor(user=student, basis="team"),
            session=session,
            discussion={"job": {"actions": [{"what": "x", "who": "y", "how_often": "z"}]}},
            add_to_plan=True,
            team=team,
        )
    session.refresh_from_db()
    assert not session.is_recorded  # nothing half-done


def test_list_query_count_does_not_grow_with_sessions(
    coordinator_client, person, coordinator, django_assert_max_num_queries
):
    def add():
        services.start_dialog_plus(
            by=Actor(user=coordinator, basis="team"),
            person=person,
            defn=licences.definition("dialog"),
            answers={key: 3 for key in KEYS},
            domains=["job"],
            timing="review",
            completed_on=timezone.localdate(),
            completed_by_who="person",
            mode="with_person",
        )

    add()
    url = reverse("measures:list", args=[person.pk])
    with django_assert_max_num_queries(40) as few:
        coordinator_client.get(url)
    for _ in range(4):
        add()
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)
