"""A record id under another person's URL is a 404 and writes NO audit row, for every record kind.

Grown from the URL patterns like the no-relationship sweep: every named URL with a `person_id`
and at least one other id is requested by a member of staff who may see BOTH people, with the
record ids of the first person under the second person's id. The record check happens in
`access.policy.open_record` before anything is audited, so a wrong URL leaves no false "viewed"
(or "printed", "exported") row. New URLs are picked up automatically.

The other known false-row cases, where the URL's person is right but the record is not the
user's to open, are tested below it, and so are the records passed in the query string
(`?contact=` on a new note, `?plan_id=` on a new task), checked before the page is audited.
"""

import pytest
from django.urls import reverse

from waypoint.access.tests.test_no_relationship_sweep import (
    _converters,
    id_taking_url_names,
    record_factories,
)
from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent
from waypoint.contacts.factories import ContactFactory
from waypoint.episodes.factories import EpisodeFactory, TransferFactory
from waypoint.notes.factories import NoteFactory
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.tasks.factories import TaskFactory

# URLs whose other id is not a record OF the person: the person is named in something shared.
NOT_THE_PERSONS_RECORD = {
    # An MDT meeting belongs to a team: the chair may discuss anyone on its books that they may see
    # (open_record checks the person); the meeting is checked against the team (meetings.selectors).
    "meetings:discuss",
}


def mismatch_url_names():
    names = []
    for name in id_taking_url_names():
        if name in NOT_THE_PERSONS_RECORD:
            continue
        keys = _converters(name)
        if "person_id" in keys and any(k.endswith("_id") and k != "person_id" for k in keys):
            names.append(name)
    return names


def test_the_sweep_finds_the_record_pages():
    names = mismatch_url_names()
    for expected in (
        "assessments:detail",
        "assessments:edit",
        "assessments:revision",
        "patients:end_alert",
        "notes:detail",
        "tasks:cancel",
        "episodes:decide_transfer",
        "episodes:discharge_letter_gp",
        "plans:revision",
    ):
        assert expected in names


def _get_or_post(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", mismatch_url_names())
def test_a_record_under_another_persons_url_is_404_with_no_audit_row(
    url_name, coordinator_client, person, coordinator, team
):
    other = TeamRegistrationFactory(team=team).person  # the coordinator may see both people
    factories = record_factories(person, coordinator, team)
    kwargs = {}
    for key in _converters(url_name):
        assert key in factories, f"Add {key!r} to the sweep factories so {url_name} is swept"
        kwargs[key] = other.pk if key == "person_id" else factories[key]()
    url = reverse(url_name, kwargs=kwargs)
    before = AuditEvent.objects.count()
    response = _get_or_post(coordinator_client, url)
    assert response.status_code == 404, f"{url_name} ({url}) answered {response.status_code}"
    assert AuditEvent.objects.count() == before, f"{url_name} ({url}) wrote an audit row before its 404"


@pytest.mark.django_db
class TestNotTheUsersToOpen:
    """The person in the URL is right, but the record is not this user's to open: 404, no row."""

    def _assert_404_no_row(self, client, url):
        before = AuditEvent.objects.count()
        response = _get_or_post(client, url)
        assert response.status_code == 404
        assert AuditEvent.objects.count() == before

    def test_another_authors_draft_note(self, coordinator_client, person, team):
        draft = NoteFactory(person=person, team=team, author=make_staff(team=team, username="other.author"))
        for name in ("notes:detail", "notes:edit", "notes:autosave"):
            self._assert_404_no_row(coordinator_client, reverse(name, args=[person.pk, draft.pk]))

    def test_cancelling_a_task_someone_else_delegated(self, client, person, team, coordinator):
        support = make_staff(team=team, roles=[RoleCode.SUPPORT_WORKER], username="support.worker")
        task = TaskFactory(person=person, team=team, assigned_by=coordinator, assigned_to=support)
        colleague = make_staff(team=team, username="colleague")
        client.force_login(colleague)
        self._assert_404_no_row(client, reverse("tasks:cancel", args=[person.pk, task.pk]))

    def test_deciding_another_teams_transfer(self, coordinator_client, person, team, coordinator):
        transfer = TransferFactory(
            from_episode__person=person,
            from_episode__team=team,
            from_episode__opened_by=coordinator,
            to_team=TeamFactory(name="Early Intervention"),
        )
        self._assert_404_no_row(
            coordinator_client, reverse("episodes:decide_transfer", args=[person.pk, transfer.pk])
        )

    def test_discharge_letters_before_a_discharge(self, coordinator_client, person, team, coordinator):
        episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
        for name in ("episodes:discharge_letter_gp", "episodes:discharge_letter_person"):
            self._assert_404_no_row(coordinator_client, reverse(name, args=[person.pk, episode.pk]))

    def test_referral_letter_before_triage(self, coordinator_client, person, team, coordinator):
        referral = ReferralFactory(person=person, team=team, recorded_by=coordinator)
        assert not referral.decision
        self._assert_404_no_row(coordinator_client, reverse("referrals:letter", args=[referral.pk]))


@pytest.mark.django_db
class TestQueryStringRecords:
    """A record named in the query string that is another person's, or no one's, is a 404 with no row.

    Before this, `notes:new` and `tasks:new` wrote their "viewed" row through `open_record` and only
    then checked `?contact=` / `?plan_id=`, so a wrong id left a false row behind its 404.
    """

    QUERIES = {"notes:new": "contact", "tasks:new": "plan_id"}

    def _records_of(self, someone, team, coordinator):
        return {
            "notes:new": ContactFactory(person=someone, team=team, recorded_by=coordinator).pk,
            "tasks:new": PlanFactory(person=someone, team=team, created_by=coordinator).pk,
        }

    @pytest.mark.parametrize("url_name", sorted(QUERIES))
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("whose", ["another_persons", "nonexistent", "not_a_number"])
    def test_404_and_no_audit_row(
        self, coordinator_client, person, coordinator, team, url_name, method, whose
    ):
        other = TeamRegistrationFactory(team=team).person  # the coordinator may see both people
        record_id = {
            "another_persons": lambda: self._records_of(other, team, coordinator)[url_name],
            "nonexistent": lambda: 999999,
            "not_a_number": lambda: "x",
        }[whose]()
        url = reverse(url_name, args=[person.pk]) + f"?{self.QUERIES[url_name]}={record_id}"
        before = AuditEvent.objects.count()
        response = getattr(coordinator_client, method)(url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"
        assert AuditEvent.objects.count() == before, f"{url} wrote an audit row before its 404"

    @pytest.mark.parametrize("url_name", sorted(QUERIES))
    def test_the_persons_own_record_opens_the_page_with_one_row(
        self, coordinator_client, person, coordinator, team, url_name
    ):
        record_id = self._records_of(person, team, coordinator)[url_name]
        url = reverse(url_name, args=[person.pk]) + f"?{self.QUERIES[url_name]}={record_id}"
        before = AuditEvent.objects.count()
        assert coordinator_client.get(url).status_code == 200
        assert AuditEvent.objects.filter(person=person).count() == 1
        assert AuditEvent.objects.count() == before + 1
