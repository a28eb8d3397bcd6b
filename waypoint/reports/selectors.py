"""What the report pages read about people: only ever the people the reader may see."""

from waypoint.patients.models import Person


def drill_down_people(user, ids, *, limit: int) -> tuple[list[dict], int]:
    """The people behind a figure whom `user` may see (the access policy), up to `limit`, in name
    order; and how many people are behind the figure in all, seen or not."""
    people = list(
        Person.objects.visible_to(user)
        .filter(pk__in=ids)
        .order_by("family_name", "given_name", "pk")
        .values("pk", "given_name", "family_name", "nhs_number", "date_of_birth")[:limit]
    )
    return people, Person.objects.filter(pk__in=ids).count()
