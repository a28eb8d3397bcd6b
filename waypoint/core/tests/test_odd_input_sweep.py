"""Odd input anywhere is a message or a 404, never a server error (HTTP 500).

Walks every named URL (as the no-relationship sweep does, building the records its ids name with
the apps' sweep factories), signed in as a member of the person's team who holds every role, so
the pages and forms are really reachable. For each page it:

- reads every query-string parameter the page could use (the names its view module reads from
  `request.GET`, `team`, and the fields of GET forms on the page) and asks for the page with
  each one set to each odd value in turn;
- reads every POST form on the page, fills it with plausible values (what the page rendered, or a
  guess from the field's name), and posts it again and again with one field at a time set to each
  odd value, so a huge day is tried beside a real month and year;
- then lets hypothesis try a few more values of its own on random fields.

Odd values: huge digits, NUL bytes, unicode digits ('²', '٣'), very long text, negative numbers,
empty. The sweep needs no list of URLs or fields: new pages and forms are picked up by themselves.
"""

import datetime
import inspect
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waypoint.access.tests.test_no_relationship_sweep import _walk, record_factories
from waypoint.core import submissions
from waypoint.episodes.factories import EpisodeFactory
from waypoint.notes.factories import NoteFactory
from waypoint.patients.factories import valid_test_nhs_number
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind

# Tried in every group of fields and every query parameter. Hypothesis also draws from the
# longer list, and from text and integers of its own.
ODD_VALUES = ["99999999999999999999", "a\x00b", "²"]
MORE_ODD_VALUES = [*ODD_VALUES, "x" * 3000, "-1", "\x00", "٣", "-99999999999999999999", "", " ", "0", "１２"]

# Not swept: signing out ends the session the sweep uses; assets are files, not pages.
SKIPPED = {"accounts:sign_out", "accounts:sign_in", "nhsuk_asset", "admin"}


def url_names():
    return sorted(
        {
            name
            for name, _ in _walk(get_resolver().url_patterns)
            if name not in SKIPPED and "admin" not in name
        }
    )


def _pattern(name):
    for found, pattern in _walk(get_resolver().url_patterns):
        if found == name:
            return pattern
    raise LookupError(name)


def _factories(person, user, team):
    found = record_factories(person, user, team)  # the no-relationship sweep's, grown by each app
    found.update(
        {
            "caseload_worker_id": lambda: user.pk,
            "kind": lambda: "care",
            "day": lambda: _a_weekday().isoformat(),
        }
    )
    # The other sweeps build records that are finished (a discharged episode, a signed note), whose
    # edit pages only redirect; these sweeps want the forms, so they get an open episode and a draft.
    found["episode_id"] = lambda: EpisodeFactory(person=person, team=team, opened_by=user).pk
    found["note_id"] = lambda: NoteFactory(person=person, author=user, team=team).pk
    # The plans sweep builds a plan with no revision, which Waypoint never makes; start one properly.
    found["plan_id"] = lambda: (
        PlanRevisionFactory(
            plan=PlanFactory(person=person, team=team, created_by=user, kind=PlanKind.CARE)
        ).plan_id
    )
    return found


def _a_weekday():
    day = timezone.localdate()
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


class _Forms(HTMLParser):
    """Every <form> on a page: method, action and fields with the values the page rendered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action"),
                    "fields": [],
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            fields.append({"name": name, "kind": kind, "value": attrs.get("value") or ""})
        elif tag == "button" and name and (attrs.get("type") or "submit") == "submit":
            fields.append({"name": name, "kind": "button", "value": attrs.get("value") or ""})
        elif tag == "select" and name:
            self._select = {"name": name, "kind": "select", "value": None, "first": None}
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if value and self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["value"] = value
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "kind": "textarea", "value": ""}
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if not self._select["value"]:
                self._select["value"] = self._select["first"] or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _guess(name, kind):
    """A plausible value for an empty field, from its name."""
    today = timezone.localdate()
    lowered = name.lower()
    if lowered.endswith("_day"):
        return str(today.day)
    if lowered.endswith("_month"):
        return str(today.month)
    if lowered.endswith("_year"):
        return str(today.year)
    if "time" in lowered or lowered.endswith("_at"):
        return "10:00"
    if "nhs_number" in lowered:
        return valid_test_nhs_number(424242)
    if "email" in lowered:
        return "synthetic@example.nhs.uk"
    if "postcode" in lowered:
        return "LS1 4AP"
    if "phone" in lowered or "telephone" in lowered:
        return "0113 496 0000"
    if kind == "number" or "minutes" in lowered or "count" in lowered:
        return "30"
    return "Synthetic text for the sweep"


def _baseline(form):
    """The form as a careful user might send it: each field filled, the first button pressed."""
    data = {}
    button_seen = False
    for field in form["fields"]:
        name, kind, value = field["name"], field["kind"], field["value"]
        if kind == "button":
            if not button_seen:
                data[name] = [value]
                button_seen = True
            continue
        if kind in {"radio"} and name in data:
            continue
        if kind == "checkbox":
            data.setdefault(name, []).append(value or "on")
            continue
        if not value and kind not in {"hidden", "radio"}:
            value = _guess(name, kind)
        data[name] = [value]
    return data


def _query_names(url, html):
    """Every query-string name the page's view could read, and the fields of its GET forms."""
    match = resolve(urlsplit(url).path)
    module = inspect.getmodule(match.func)
    source = inspect.getsource(module) if module else ""
    names = set(re.findall(r"GET\.get(?:list)?\(\s*[\"'](\w+)[\"']", source))
    names |= set(re.findall(r"GET\[\s*[\"'](\w+)[\"']\s*\]", source))
    if "chosen_team" in source:
        names.add("team")
    for form in _forms(html):
        if form["method"] == "get":
            names |= {field["name"] for field in form["fields"]}
    return sorted(names)


def _spoil_groups(form, baseline):
    """Which fields to spoil together in one post.

    Each part of a date alone (a huge day beside a real month and year), and each hidden field
    alone (versions and ids, so the rest of the form is valid and the value reaches the service);
    every other field together, since each is cleaned on its own anyway. This keeps long forms
    quick. With no fields at all, a made-up one.
    """
    kinds = {field["name"]: field["kind"] for field in form["fields"]}
    names = [name for name in baseline if name not in {"csrfmiddlewaretoken", "submission_token"}]
    alone = [
        [name] for name in names if name.endswith(("_day", "_month", "_year")) or kinds.get(name) == "hidden"
    ]
    together = [name for name in names if [name] not in alone]
    groups = [*alone, together] if together else alone
    return groups or [["q"]]


def _fresh_token(data):
    """Each post is a new submission: a create form's one-time token would otherwise turn every
    post after the first saved one into "This was already saved"."""
    if submissions.FIELD in data:
        data[submissions.FIELD] = [submissions.new_token()]
    return data


def _not_sign_out(form):
    """The header's sign-out button is a form on every page; posting it would end the sweep."""
    return form["action"] != reverse("accounts:sign_out")


def _post_url(page_url, form):
    return form["action"] or page_url


def _assert_not_500(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    # Still signed in: a redirect to the sign-in page would make the rest of the sweep hollow.
    assert not response.get("Location", "").startswith(reverse("accounts:sign_in")), f"{what} signed out"


def _page(client, url_name, person, user, team):
    factories = _factories(person, user, team)
    kwargs = {}
    for key in _pattern(url_name).pattern.converters:
        assert key in factories, f"Add {key!r} to a sweep.py so {url_name} is swept"
        kwargs[key] = factories[key]()
    url = reverse(url_name, kwargs=kwargs)
    response = client.get(url)
    _assert_not_500(response, f"GET {url}")
    html = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return url, html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", url_names())
def test_odd_values_never_give_a_server_error(url_name, client, everyone, person, team):
    client.force_login(everyone)
    url, html = _page(client, url_name, person, everyone, team)
    for name in _query_names(url, html):
        for value in ODD_VALUES:
            _assert_not_500(client.get(url, {name: value}), f"GET {url}?{name}={value[:30]!r}")
    # A page that only answers POST (405 to a GET) still gets its odd posts, with no form to copy.
    forms = [form for form in _forms(html) if form["method"] == "post" and _not_sign_out(form)]
    if not html and client.get(url).status_code == 405:
        forms = [{"method": "post", "action": url, "fields": []}]
    for form in forms:
        target = _post_url(url, form)
        baseline = _baseline(form)
        for names in _spoil_groups(form, baseline):
            for value in ODD_VALUES if len(names) == 1 else [*ODD_VALUES, "x" * 3000, "-1"]:
                data = _fresh_token({**baseline, **{name: [value] for name in names}})
                _assert_not_500(client.post(target, data), f"POST {target} {names}={value[:30]!r}")


# A few pages with the most free-form input, for hypothesis to explore beyond the fixed list.
EXPLORED = ["patients:search", "audit:find_person", "patients:register", "referrals:new", "duty:log_call"]

odd_text = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.sampled_from(MORE_ODD_VALUES),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Zs"]), max_size=30),
)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", EXPLORED)
def test_hypothesis_finds_no_server_error(url_name, client, everyone, person, team):
    client.force_login(everyone)
    url, html = _page(client, url_name, person, everyone, team)
    forms = [form for form in _forms(html) if form["method"] in {"post", "get"} and _not_sign_out(form)]
    assert forms, f"{url_name} has no form to explore"

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def explore(data):
        form = data.draw(st.sampled_from(forms))
        baseline = _baseline(form)
        names = [name for name in baseline if name != "csrfmiddlewaretoken"]
        if not names:
            return
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        sent = _fresh_token({**baseline, **{name: [data.draw(odd_text)] for name in chosen}})
        target = _post_url(url, form)
        if form["method"] == "get":
            response = client.get(target, {key: values[0] for key, values in sent.items()})
        else:
            response = client.post(target, sent)
        _assert_not_500(response, f"{form['method'].upper()} {target} {sorted(chosen)}")

    explore()
