import pytest

from waypoint.accounts.factories import make_staff
from waypoint.notes.factories import NoteFactory, SignedNoteFactory


@pytest.fixture
def colleague(team):
    """Another member of the coordinator's team: sees the person, but not the coordinator's drafts."""
    return make_staff(team=team, username="cc.north2", first_name="Cleo", last_name="Colleague")


@pytest.fixture
def colleague_client(client, colleague):
    client.force_login(colleague)
    return client


@pytest.fixture
def draft(person, coordinator, team):
    return NoteFactory(
        person=person, author=coordinator, team=team, text="Presentation:\nDraft text (synthetic)."
    )


@pytest.fixture
def signed(person, coordinator, team):
    return SignedNoteFactory(person=person, author=coordinator, team=team, text="Seen at home (synthetic).")
