from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, TimeField, VersionField, combine_local

from .models import NoteType

# A few minutes of leeway for a clock that runs a little fast.
FUTURE_LEEWAY_MINUTES = 5


class NoteTypeForm(forms.Form):
    note_type = forms.ChoiceField(
        choices=NoteType.choices,
        label="What kind of note is it?",
        help_text="The note starts with headings for this kind of note. You can change them.",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of note"},
    )


class NoteForm(forms.Form):
    note_type = forms.ChoiceField(choices=NoteType.choices, label="Kind of note")
    event_date = DateField(label="Date of the event", label_for_errors="Date of the event", past_only=True)
    event_time = TimeField(
        label="Time of the event", error_messages={"required": "Enter the time of the event"}
    )
    text = forms.CharField(
        label="Note",
        required=False,
        strip=False,
        widget=forms.Textarea,
        help_text="Drafts are saved as you type. Only you can see this draft until you sign it.",
    )
    version = VersionField()

    def clean_text(self):
        """Browsers send a form's line breaks as CRLF but htmx sends the text box's value with LF:
        store LF, so the same text is the same whichever way it came."""
        return self.cleaned_data["text"].replace("\r\n", "\n")

    @classmethod
    def initial_for(cls, note):
        local = timezone.localtime(note.event_at)
        return {
            "note_type": note.note_type,
            "event_date": local.date(),
            "event_time": local.strftime("%H:%M"),
            "text": note.text,
            "version": note.version,
        }

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("event_date"), cleaned.get("event_time")
        if day and at:
            event_at = combine_local(day, at)
            if event_at > timezone.now() + timezone.timedelta(minutes=FUTURE_LEEWAY_MINUTES):
                self.add_error("event_time", "The time of the event must be now or in the past")
            else:
                cleaned["event_at"] = event_at
        return cleaned

    def draft_data(self):
        """What can be saved from this form, even when part of it is not valid (autosave)."""
        data = {}
        cleaned = getattr(self, "cleaned_data", {})
        for name in ("note_type", "text"):
            if name in cleaned:
                data[name] = cleaned[name]
        if "event_at" in cleaned:
            data["event_at"] = cleaned["event_at"]
        return data


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        strip=False,
        widget=forms.Textarea,
        help_text="The addendum is signed with your name and today's date and time when you save it.",
        error_messages={"required": "Write the addendum"},
    )

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError("Write the addendum")
        return text


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this note entered in error?",
        help_text="For example, it was written in the wrong person's record. The note stays on the record, "
        "struck through, with this reason.",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Give the reason the note was entered in error"},
    )
