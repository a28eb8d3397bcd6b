"""Turn what a person typed into the search box into a filter."""

import re
from datetime import date, datetime

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

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


# PostgreSQL's trigram indexes (patients 0002) answer a name word of three letters or more. With
# the plain ORDER BY family_name, given_name and a LIMIT, the planner walks the b-tree on those
# columns in order instead, checking every person it passes against the name and the access
# policy until 50 match: for a word that is rare among the people the user may see, that is most of
# the Trust (154,549 people for one search at 250,000; docs/performance.md, "Name search at
# 250,000"). Ordering by the same columns through COALESCE (a no-op: the names are never null)
# gives the same order but no index to walk, so the trigram indexes find the few who match first.
# A word of one or two letters has no trigram: the ordered walk is then the faster plan (most
# people match), so the plain order stays.
MIN_TRIGRAM_WORD = 3
SAME_ORDER_WITHOUT_THE_INDEX = (
    Coalesce(F("family_name"), Value("")),
    Coalesce(F("given_name"), Value("")),
    "date_of_birth",
)


def trigram_order(query: str) -> tuple | None:
    """The order that lets the trigram indexes drive a name search, or None to keep the default
    (an NHS number, a date of birth, a word too short for a trigram, or nothing typed)."""
    query = (query or "").strip()
    digits = normalise_nhs_number(query)
    if not query or (digits.isdigit() and len(digits) == 10) or parse_date(query):
        return None
    words = [word for word in re.split(r"[\s,]+", query) if word and not parse_date(word)]
    if not words or any(len(word) < MIN_TRIGRAM_WORD for word in words):
        return None
    return SAME_ORDER_WITHOUT_THE_INDEX
