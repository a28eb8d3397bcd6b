"""What contacts show on the record (fixed number of queries): next appointment and last contact
on the overview, engagement and upcoming appointments on the "Contacts and notes" tab.

Engagement and upcoming appointments are record facts: computed once per request, whichever
section asks first."""

from .engagement import engagement_for
from .selectors import next_appointment_for, upcoming_for


def engagement_of(record):
    return engagement_for([record.person.pk], record.today)[record.person.pk]


def upcoming_of(record):
    return upcoming_for(record.person, record.today)


def next_appointment_of(record):
    """The next appointment alone (one query; the tab's list also reads staff and contacts)."""
    return next_appointment_for(record.person, record.today)


def overview_section(record):
    return {
        "engagement": record.engagement,
        "next_appointment": record.next_appointment,
        "today": record.today,
    }


def engagement_section(record):
    return {"engagement": record.engagement, "upcoming": record.upcoming_appointments, "today": record.today}
