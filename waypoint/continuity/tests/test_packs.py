"""Downtime packs: built for a team, encrypted to the Trust's public key, opened with the private
key (as the key holder would), and the page and download for the team's members."""

import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pyrage
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.continuity import packs
from waypoint.continuity.extensions import check_pack_recipients
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.medicines.factories import AllergyFactory, DepotFactory, MedicineFactory
from waypoint.patients.factories import AlertFactory, PersonFactory, TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind

OPEN_PACK = Path(packs.__file__).with_name("open_pack.py")


class _Text(HTMLParser):
    """The page's visible text, its scripts and its external references, from the standard parser."""

    def __init__(self):
        super().__init__()
        self.text, self.scripts, self.external, self.ids = [], 0, [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "link" or (tag in {"img", "iframe"} and attrs.get("src")):
            self.external.append(attrs.get("href") or attrs.get("src"))
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self):
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def key_pair():
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


@pytest.fixture
def keys(settings, continuity_files, key_pair):
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = [key_pair[1]]
    return key_pair


@pytest.fixture
def full_record(person, team, coordinator):
    AlertFactory(
        person=person,
        created_by=coordinator,
        category="staff_safety",
        summary="Do not visit alone (synthetic)",
    )
    AllergyFactory(person=person, substance="Penicillin", reaction="Rash")
    episode = EpisodeFactory(person=person, team=team)
    CoordinatorAllocationFactory(episode=episode, worker=coordinator)
    crisis = PlanFactory(person=person, team=team, kind=PlanKind.CRISIS, created_by=coordinator)
    PlanRevisionFactory(
        plan=crisis,
        agreed=True,
        content={"crisis_actions": "Ring the duty worker, then Jo (synthetic crisis plan)"},
    )
    safety = PlanFactory(person=person, team=team, kind=PlanKind.SAFETY, created_by=coordinator)
    PlanRevisionFactory(
        plan=safety, agreed=True, content={"warning_signs": "Not sleeping (synthetic safety plan)"}
    )
    MedicineFactory(person=person, name="Aripiprazole")
    DepotFactory(person=person, team=team, drug="Paliperidone palmitate")
    AppointmentFactory(
        person=person,
        team=team,
        date=timezone.localdate() + timedelta(days=2),
        purpose="Home visit (synthetic)",
    )
    ContactFactory(person=person, team=team)
    return person


@pytest.mark.django_db
def test_a_pack_is_built_encrypted_and_opened_with_the_private_key(keys, full_record, team, other_team):
    elsewhere = TeamRegistrationFactory(team=other_team, person=PersonFactory(family_name="Elsewhere")).person
    info = packs.build_pack(team)
    assert info.people == 1 and info.person_ids == (full_record.pk,)
    encrypted = info.path.read_bytes()
    assert encrypted.startswith(b"age-encryption.org/v1"), "the standard age format"
    assert full_record.family_name.encode() not in encrypted
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(encrypted, [pyrage.x25519.Identity.generate()])

    html = packs.decrypt(encrypted, keys[0])
    page = _Text()
    page.feed(html)
    text = page.all_text
    assert page.scripts == 0 and page.external == [], "one self-contained file: inline CSS, no scripts"
    assert "<style>" in html
    assert full_record.full_name in text
    assert "Do not visit alone (synthetic)" in text, "alerts"
    assert "Penicillin" in text, "the allergies banner item"
    assert "Legal status" in text, "the legal status banner item"
    assert "Ring the duty worker, then Jo (synthetic crisis plan)" in text, "the crisis plan"
    assert "Not sleeping (synthetic safety plan)" in text, "the safety plan"
    assert "Casey Coordinator" in text, "the care coordinator"
    assert "Aripiprazole" in text and "Paliperidone palmitate" in text
    assert "Home visit (synthetic)" in text
    assert "Generated at" in text
    assert elsewhere.full_name not in text, "a person on another team's books is not in this pack"
    assert f"person-{elsewhere.pk}" not in page.ids


@pytest.mark.django_db
def test_the_standalone_script_opens_a_pack(keys, person, team, tmp_path):
    info = packs.build_pack(team)
    key_file = tmp_path / "team-key.txt"
    key_file.write_text(f"# public key: {keys[1]}\n{keys[0]}\n")
    out = tmp_path / "pack.html"
    subprocess.run(
        [sys.executable, str(OPEN_PACK), str(info.path), "--key", str(key_file), "--out", str(out)],
        check=True,
    )
    assert person.full_name in out.read_text()


def test_the_script_makes_a_key_pair(tmp_path):
    key_file = tmp_path / "new-key.txt"
    result = subprocess.run(
        [sys.executable, str(OPEN_PACK), "--new-key", str(key_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    public = result.stdout.split("Waypoint's operator): ")[1].split()[0]
    assert public.startswith("age1")
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    data = pyrage.encrypt(b"synthetic", [pyrage.x25519.Recipient.from_str(public)])
    secret = [line for line in key_file.read_text().splitlines() if line.startswith("AGE-SECRET-KEY-")][0]
    assert pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(secret)]) == b"synthetic"


@pytest.mark.django_db
def test_the_command_builds_every_teams_pack(keys, person, team, other_team, capsys):
    call_command("downtime_packs")
    assert "Wrote 2 downtime packs" in capsys.readouterr().out
    assert packs.pack_info(team.pk).people == 1
    assert packs.pack_info(other_team.pk).people == 0


@pytest.mark.django_db
def test_the_job_on_the_task_framework_builds_them(keys, person, team, capsys):
    call_command("downtime_packs", "--enqueue")  # the test settings run tasks at once
    assert "queued" in capsys.readouterr().out
    assert packs.pack_info(team.pk).people == 1


@pytest.mark.django_db
def test_no_public_key_no_pack(settings, continuity_files, team):
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = []
    with pytest.raises(CommandError, match="WAYPOINT_DOWNTIME_PACK_RECIPIENTS"):
        call_command("downtime_packs")


@pytest.mark.django_db
def test_building_writes_nothing_to_the_database_and_runs_while_read_only(keys, read_only, person, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        packs.build_pack(team)
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_the_start_up_check_refuses_a_private_key_or_nonsense(settings, key_pair):
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = [key_pair[1]]
    assert check_pack_recipients() == []
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = [key_pair[0]]
    assert [e.id for e in check_pack_recipients()] == ["waypoint.E170"]
    assert "private key" in check_pack_recipients()[0].msg
    settings.WAYPOINT_DOWNTIME_PACK_RECIPIENTS = ["age1nonsense"]
    assert [e.id for e in check_pack_recipients()] == ["waypoint.E170"]


# The page and the download ----------------------------------------------------------------------


@pytest.mark.django_db
def test_team_members_see_the_packs_age(keys, coordinator_client, person, team):
    packs.build_pack(team)
    response = coordinator_client.get(reverse("continuity:packs"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Generated at" in body and "Up to date" in body and "Less than an hour old" in body
    assert AuditEvent.objects.filter(record_type=RecordType.DOWNTIME_PACK, action=Action.VIEW).count() == 1


@pytest.mark.django_db
def test_a_pack_older_than_a_day_is_flagged(keys, coordinator_client, person, team):
    packs.build_pack(team, now=timezone.now() - timedelta(hours=25))
    body = coordinator_client.get(reverse("continuity:packs")).content.decode()
    assert "This pack is out of date" in body and "25 hours old" in body


@pytest.mark.django_db
def test_a_team_member_downloads_their_teams_pack_and_it_is_audited(
    keys, coordinator_client, coordinator, person, team
):
    info = packs.build_pack(team)
    response = coordinator_client.get(reverse("continuity:download", args=[team.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == info.path.read_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    rows = AuditEvent.objects.filter(
        user=coordinator, action=Action.EXPORT, record_type=RecordType.DOWNTIME_PACK
    )
    assert rows.filter(person__isnull=True, record_id=str(team.pk)).count() == 1, "the download"
    assert rows.filter(person=person, basis="team").count() == 1, "in the person's access history"


@pytest.mark.django_db
def test_another_teams_pack_is_not_found(keys, outsider_client, person, team):
    packs.build_pack(team)
    assert outsider_client.get(reverse("continuity:download", args=[team.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.django_db
def test_no_pack_yet_is_not_found(continuity_files, coordinator_client, team):
    assert coordinator_client.get(reverse("continuity:download", args=[team.pk])).status_code == 404
    assert "no pack for this team yet" in coordinator_client.get(reverse("continuity:packs")).content.decode()


@pytest.mark.django_db
def test_a_role_that_may_not_download_is_refused(keys, client, person, team):
    packs.build_pack(team)
    analyst = make_staff(team=team, roles=[RoleCode.INFORMATION_ANALYST], username="analyst")
    client.force_login(analyst)
    response = client.get(reverse("continuity:download", args=[team.pk]))
    assert response.status_code == 403 and response["X-Waypoint-Refused"] == "download_downtime_pack"


@pytest.mark.django_db
def test_a_download_works_while_read_only(keys, read_only, coordinator_client, person, team):
    packs.build_pack(team)
    assert coordinator_client.get(reverse("continuity:download", args=[team.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=Action.EXPORT, person=person).count() == 1
