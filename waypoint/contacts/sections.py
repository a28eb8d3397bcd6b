"""What contacts show on the record (fixed number of queries): next appointment and last contact
on the overview, engagement and upcoming appointments on the "Contacts and notes" tab.

Engagement and upcoming appointments are record facts: computed once per request, whichever
section asks first."""

from .engagement import engagement_for
from .selectors import open_appointments_for, upcoming_for


def engagement_of(record):
    return engagement_for([record.person.pk], record.today)[record.person.pk]


def upcoming_of(record):
    return upcoming_for(record.person, record.today)


def next_appointment_of(record):
    """The next appointment alone (one query, shared with the "not written up" worklist items; the
    tab's list also reads staff and contacts)."""
    ahead = open_appointments_for([record.person.pk], record.today)[record.person.pk]
    return next((a for a in ahead if a.date >= record.today), None)


def overview_section(record):
    return {
        "engagement": record.engagement,
        "next_appointment": record.next_appointment,
        "today": record.today,
    }


def engagement_section(record):
    return {"engagement": record.engagement, "upcoming": record.upcoming_appointments, "today": record.today}
