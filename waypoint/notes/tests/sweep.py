"""Ids the no-relationship sweep needs to build the notes pages."""

from waypoint.notes.factories import SignedNoteFactory


def record_factories(person, coordinator, team):
    return {"note_id": lambda: SignedNoteFactory(person=person, author=coordinator, team=team).pk}
