"""The record page's "Contacts and engagement" section (fixed number of queries)."""

from django.utils import timezone

from .engagement import engagement_for
from .selectors import upcoming_for


def engagement_section(person):
    today = timezone.localdate()
    return {
        "engagement": engagement_for([person.pk], today)[person.pk],
        "upcoming": upcoming_for(person, today),
        "today": today,
    }
