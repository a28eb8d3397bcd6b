"""Tracing a person outside the user's relationships: a deliberate, limited, audited look-up.

Search (`/people/?q=`) only lists people the user already has a relationship with. To find
anyone else (to ask for emergency access, or to record a referral) the member of staff traces
them: an exact NHS number, or an exact family name with the full date of birth (optionally the
given name and postcode), and a reason. A trace answers at most one person, with only what
confirms identity (name, date of birth, NHS number), and is recorded in the audit against that
person with the reason, so it appears in their access history. Each member of staff may trace
`WAYPOINT_TRACE_LIMIT` times in `WAYPOINT_TRACE_WINDOW_MINUTES`; the count is kept in Django's
default cache by django-ratelimit.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from waypoint.audit.models import RecordType

# Record type of every trace audit row (the person's access history shows "Searched", "person_trace").
TRACE_RECORD_TYPE = RecordType.PERSON_TRACE

# Rate-limit groups: traces from "Find a person", and NHS number look-ups when recording a referral.
TRACE_GROUP = "waypoint.patients.trace"
REFERRAL_LOOKUP_GROUP = "waypoint.referrals.lookup"


def trace_rate() -> str:
    return f"{settings.WAYPOINT_TRACE_LIMIT}/{settings.WAYPOINT_TRACE_WINDOW_MINUTES}m"


def use_a_trace(request, group: str = TRACE_GROUP) -> bool:
    """Count one trace for the signed-in user; False when they have used up their traces for now."""
    return not is_ratelimited(request, group=group, key="user", rate=trace_rate(), increment=True)


def limit_message() -> str:
    minutes = settings.WAYPOINT_TRACE_WINDOW_MINUTES
    return (
        f"You have traced {settings.WAYPOINT_TRACE_LIMIT} people in the last {minutes} minutes, which is "
        f"the most allowed. Wait {minutes} minutes before tracing again. If you need a record now in an "
        "emergency, ask your team manager or the privacy officer."
    )


def normalise_postcode(value: str) -> str:
    return "".join((value or "").split()).upper()
