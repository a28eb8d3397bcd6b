from io import StringIO

import pytest
from django.core.management import call_command

from waypoint.accounts.models import User
from waypoint.notes.models import Addendum, Note, NoteStatus

pytestmark = pytest.mark.django_db


def test_demo_trust_has_notes():
    call_command("build_demo_trust", size=120, stdout=StringIO())
    signed = Note.objects.signed()
    assert signed.count() > 20
    assert signed.filter(recorded_late=True).exists()
    assert signed.filter(entered_in_error_at__isnull=False).count() == 1
    assert Addendum.objects.exists()
    coordinator = User.objects.get(username="coordinator")
    assert Note.objects.filter(status=NoteStatus.DRAFT, author=coordinator).count() == 2
    for note in signed[:50]:
        assert "(synthetic)" in note.text
        assert note.signed_at >= note.event_at
