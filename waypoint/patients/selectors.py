"""Reads of the person index for views, always scoped by the access policy."""

from .models import Alert, Carer, Person, TeamRegistration


def search_visible(user, query: str, limit: int = 50):
    from .search import trigram_order

    people = Person.objects.visible_to(user).search(query).select_related("gp_practice")
    order = trigram_order(query)
    if order is not None:  # the same order as Person.Meta.ordering, without its index (search.py)
        people = people.order_by(*order)
    return people[:limit]


def trace_matches(criteria: dict):
    """Everyone matching every detail given exactly (at most two: a trace answers one or none).

    `criteria` is a cleaned `TraceForm`: an NHS number, or a family name and date of birth, with an
    optional given name and postcode. Names match whole and ignoring case; postcodes ignoring spaces.
    """
    from django.db.models import Value
    from django.db.models.functions import Replace, Upper

    from .trace import normalise_postcode

    people = Person.objects.all()
    if criteria.get("nhs_number"):
        people = people.filter(nhs_number=criteria["nhs_number"])
    if criteria.get("family_name"):
        people = people.filter(family_name__iexact=criteria["family_name"])
    if criteria.get("date_of_birth"):
        people = people.filter(date_of_birth=criteria["date_of_birth"])
    if criteria.get("given_name"):
        people = people.filter(given_name__iexact=criteria["given_name"])
    if criteria.get("postcode"):
        people = people.annotate(postcode_key=Upper(Replace("postcode", Value(" "), Value("")))).filter(
            postcode_key=normalise_postcode(criteria["postcode"])
        )
    return list(people.order_by("pk")[:2])


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
