"""Headings that prefill the text box for each type of note: plain data, easy to change."""

from .models import NoteType

HEADINGS = {
    NoteType.CONTACT: [
        "Presentation",
        "What we discussed",
        "Risk discussed",
        "Actions agreed",
        "Next contact",
    ],
    NoteType.HOME_VISIT: ["Presentation", "Risk discussed", "Actions agreed", "Next contact"],
    NoteType.TELEPHONE: ["Who called and why", "What we discussed", "Risk discussed", "Actions agreed"],
    NoteType.MDT: ["Present", "Discussion", "Risk discussed", "Decisions and actions", "Who will do what"],
    NoteType.DUTY: ["Reason for contact", "What we discussed", "Risk discussed", "Outcome and handover"],
    NoteType.OTHER: [],
}


def template_for(note_type: str) -> str:
    """The text a new note of this type starts with: each heading, then a blank line to write in."""
    return "\n".join(f"{heading}:\n\n" for heading in HEADINGS.get(note_type, []))
