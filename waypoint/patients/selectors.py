"""Reads of the person index for views, always scoped by the access policy."""

from .models import Alert, Carer, Person, TeamRegistration


def search_visible(user, query: str, limit: int = 50):
    return Person.objects.visible_to(user).search(query).select_related("gp_practice")[:limit]


def search_outside_relationship(user, query: str, limit: int = 10):
    """People matching an exact NHS number (or name and date of birth) whom the user cannot see.

    Only identifying details are shown, so that staff can ask for emergency access (break-glass).
    A partial name alone never reveals people outside the user's relationships.
    """
    from .nhs_number import normalise_nhs_number
    from .search import parse_date

    digits = normalise_nhs_number(query)
    exact_nhs = digits.isdigit() and len(digits) == 10
    if not exact_nhs:
        if parse_date(query):  # a date of birth on its own, however it is written
            return Person.objects.none()
        words = query.split()
        has_date = any(parse_date(word) for word in words)
        has_name = any(not parse_date(word) for word in words)
        if not (has_date and has_name):
            return Person.objects.none()
    return Person.objects.search(query).exclude(pk__in=Person.objects.visible_to(user).values("pk"))[:limit]


def current_alerts(person):
    return (
        Alert.objects.filter(person=person, ended_at__isnull=True)
        .select_related("created_by")
        .order_by("-created_at")
    )


def carers_of(person):
    return Carer.objects.filter(person=person).order_by("name")


def teams_of(person):
    return TeamRegistration.objects.current().filter(person=person).select_related("team")


def carer_of(person, carer_id):
    return Carer.objects.filter(person=person, pk=carer_id).first()


def alert_of(person, alert_id):
    return Alert.objects.filter(person=person, pk=alert_id).first()


def person_by_nhs_number(nhs_number):
    return Person.objects.filter(nhs_number=nhs_number).first()
