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


def test_demo_notes_pages_render(client):
    from django.urls import reverse

    call_command("build_demo_trust", size=60, stdout=StringIO())
    wrong = Note.objects.get(entered_in_error_at__isnull=False)
    client.force_login(wrong.signed_by)
    listing = client.get(reverse("notes:list", args=[wrong.person_id]))
    assert listing.status_code == 200
    assert "Entered in error" in listing.content.decode()
    assert client.get(reverse("notes:detail", args=[wrong.person_id, wrong.pk])).status_code == 200
    draft = Note.objects.filter(status=NoteStatus.DRAFT).order_by("created_at").first()  # 2 days old
    client.force_login(draft.author)
    assert client.get(reverse("notes:edit", args=[draft.person_id, draft.pk])).status_code == 200
    assert (
        "Unsigned draft note"
        in client.get(reverse("patients:detail", args=[draft.person_id])).content.decode()
    )
