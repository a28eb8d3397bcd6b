"""Turn what a person typed into the search box into a filter."""

import re
from datetime import date, datetime

from django.db.models import Q

from .nhs_number import normalise_nhs_number

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")


def parse_date(text: str) -> date | None:
    cleaned = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def person_search_filter(query: str) -> Q:
    """Match NHS number exactly, a date of birth exactly, or every word against a part of the name."""
    query = (query or "").strip()
    if not query:
        return Q(pk__in=[])
    digits = normalise_nhs_number(query)
    if digits.isdigit() and len(digits) == 10:
        return Q(nhs_number=digits)
    born = parse_date(query)
    if born:
        return Q(date_of_birth=born)
    words = [word for word in re.split(r"[\s,]+", query) if word]
    condition = Q()
    for word in words:
        if parse_date(word):
            condition &= Q(date_of_birth=parse_date(word))
            continue
        condition &= (
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return condition
