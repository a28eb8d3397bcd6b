"""The Jinja2 environment: our templates first, then the NHS.UK frontend components."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, pass_context

from waypoint.patients.nhs_number import format_nhs_number


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def has_url(name):
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# One date format across the pages, in the NHS.UK style: "2 December 2026" in sentences and
# headings, "2 Dec 2026" in tables and lists ("short"), never 02/12/2026. Templates name a style;
# a strftime pattern is still accepted for the odd page (a month heading, a value for an input).
DATE_STYLES = {
    "long": "%-d %B %Y",
    "short": "%-d %b %Y",
}
DATETIME_STYLES = {
    "long": "%-d %B %Y at %H:%M",
    "short": "%-d %b %Y %H:%M",
    "short_seconds": "%-d %b %Y %H:%M:%S",
    "short_date": "%-d %b %Y",
    "long_date": "%-d %B %Y",
}


def local_datetime(value, fmt="long"):
    if value is None:
        return ""
    return timezone.localtime(value).strftime(DATETIME_STYLES.get(fmt, fmt))


def nhs_date(value, fmt="long"):
    if value is None:
        return ""
    return value.strftime(DATE_STYLES.get(fmt, fmt))


def with_article(phrase):
    """ "an initial assessment", "a holistic needs assessment": the article that fits the sound."""
    phrase = str(phrase)
    first = phrase[:1].lower()
    article = "an" if first in "aeio" or phrase.lower().startswith(("hour", "honest", "mhsds")) else "a"
    if first == "u" and not phrase.lower().startswith(("us", "uni", "usu")):
        article = "an"
    return f"{article} {phrase}"


def record_navigation(request, person):
    from waypoint.patients.record_sections import navigation

    return navigation(request, person)


def person_banner_items(request, person):
    from waypoint.patients.record_sections import banner_items

    return banner_items(person, getattr(request, "user", None))


@pass_context
def may(context, action):
    """May the signed-in user take this action (`access.permissions`)? Pages offer only what they may."""
    from waypoint.accounts.permissions import may as user_may

    request = context.get("request")
    return user_may(getattr(request, "user", None) or context.get("current_user"), action)


def worker_word(team, capital=False):
    """ "care coordinator" or "keyworker", as the team's care approach says (measures, issue 10)."""
    from waypoint.measures.team_settings import worker_word as team_worker_word

    return team_worker_word(team, capital=capital)


def environment(**options):
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)
    from waypoint.core.submissions import submission_token_input  # a create form's one-time token

    env.globals.update(
        {
            "submission_token": submission_token_input,
            "static": static,
            "url": url,
            "has_url": has_url,
            "settings": settings,
            "get_messages": get_messages,
            "record_navigation": record_navigation,
            "person_banner_items": person_banner_items,
            "may": may,
            "worker_word": worker_word,
        }
    )
    env.filters.update(
        {
            "nhs_number": format_nhs_number,
            "local_datetime": local_datetime,
            "nhs_date": nhs_date,
            "with_article": with_article,
        }
    )
    return env
