from waypoint.patients.models import Person

from .models import AuditEvent


def person_for_privacy_review(person_id):
    return Person.objects.filter(pk=person_id).first()


def people_matching(query: str, limit: int = 50):
    return Person.objects.search(query)[:limit]


def access_history(person):
    """Every audit row about the person, newest first, with the member of staff."""
    return AuditEvent.objects.for_person(person)
