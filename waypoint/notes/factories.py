import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from .models import Addendum, Note, NoteStatus, NoteType


class NoteFactory(factory.django.DjangoModelFactory):
    """A draft by default; `SignedNoteFactory` for a signed one (inserted signed, as the demo does)."""

    class Meta:
        model = Note

    person = factory.SubFactory(PersonFactory)
    author = factory.SubFactory(UserFactory)
    note_type = NoteType.CONTACT
    event_at = factory.LazyFunction(timezone.now)
    text = "Presentation:\nSeen at home, settled (synthetic).\n"


class SignedNoteFactory(NoteFactory):
    status = NoteStatus.SIGNED
    signed_by = factory.SelfAttribute("author")
    signed_at = factory.LazyAttribute(lambda o: o.event_at)


class AddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addendum

    note = factory.SubFactory(SignedNoteFactory)
    author = factory.SelfAttribute("note.author")
    text = "Addendum: spoke to the GP afterwards (synthetic)."
