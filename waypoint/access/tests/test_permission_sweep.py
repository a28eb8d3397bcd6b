"""Post to every write view as every role: refused exactly where the permission table says no.

Grows with the code, like the no-relationship sweep: every named URL whose view handles a post
must declare its action with `@permission(Do.X)` (or be listed in NOT_ROLE_GATED with the rule
that governs it instead), and each declared view is posted to by a member of the person's team
holding just one role, for every role. Refused means Waypoint's own page (403, the action named in
`X-Waypoint-Refused`) and nothing written; allowed means anything but that page (the empty form
comes back with its errors, or a rule of the record answers).
"""

import inspect
from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from waypoint.access.tests.test_no_relationship_sweep import _walk, record_factories
from waypoint.accounts import permissions
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent

# Views that take posts without a role rule of their own, and why.
NOT_ROLE_GATED = {
    "accounts:sign_in": "signing in",
    "accounts:sign_in_new_password": "signing in",
    "accounts:sign_in_set_up": "signing in",
    "accounts:sign_in_code": "signing in",
    "accounts:change_password": "everyone changes their own password",
    "accounts:sign_out": "everyone signs out",
    "patients:trace": "anyone may trace, with a reason, rate-limited and audited",
    "access:break_glass": "anyone may ask for emergency access; the privacy officer reviews it",
    "referrals:new": "intake: the roles in `record_referral` or the team's duty rota today (referrals/intake.py)",
    "oauth2_provider:introspect": "OAuth token introspection: the client authenticates with its own credentials",
    "measures:self_hand_back": "the member of staff takes the handed-over device back with their password",
}
# A member of staff's workforce record is not a clinical action: who may write it is the workforce
# rule (the member of staff, their line manager, their team manager, a workforce administrator;
# waypoint/workforce/access.py), tested by its own sweep (waypoint/workforce/tests/test_access.py).
NOT_ROLE_GATED.update(
    {
        f"workforce:{name}": "the workforce record rule (workforce/access.py)"
        for name in (
            "group_supervision",
            "course_new",
            "course_edit",
            "training_import",
            "line_manager",
            "registration_new",
            "registration_edit",
            "dbs_new",
            "approval_new",
            "approval_hours_new",
            "completion_new",
            "supervision_new",
            "caseload_supervision",
            "appraisal_new",
            "appraisal",
            "placement_new",
            "placement",
        )
    }
)


def _names_and_views():
    yield from _walk(get_resolver().url_patterns)


def _handles_posts(view) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return False
    return "POST" in source


def declared_write_views():
    return sorted(
        name for name, pattern in _names_and_views() if getattr(pattern.callback, "permission_action", None)
    )


def _pattern(name):
    for found, pattern in _names_and_views():
        if found == name:
            return pattern
    raise AssertionError(name)


def test_every_write_view_declares_its_action():
    undeclared = [
        name
        for name, pattern in _names_and_views()
        if _handles_posts(pattern.callback)
        and not getattr(pattern.callback, "permission_action", None)
        and name not in NOT_ROLE_GATED
    ]
    assert not undeclared, (
        f"Declare the action of these write views with @permission(Do.X), or say in NOT_ROLE_GATED "
        f"why they have none: {undeclared}"
    )


def test_the_sweep_finds_the_write_views():
    names = declared_write_views()
    assert {"referrals:triage", "risk:write", "episodes:allocate", "notes:new", "duty:rota_day"} <= set(names)
    assert len(names) >= 50


def _next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


EXTRA_KWARGS = {"kind": lambda: "care", "day": lambda: _next_monday().isoformat()}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", declared_write_views())
def test_refused_exactly_where_the_table_says_no(url_name, client, person, coordinator, team):
    pattern = _pattern(url_name)
    action = pattern.callback.permission_action
    factories = record_factories(person, coordinator, team)
    kwargs = {}
    for key in pattern.pattern.converters:
        build = factories.get(key) or EXTRA_KWARGS.get(key)
        assert build, f"Teach the sweep how to build {key!r} for {url_name}"
        kwargs[key] = build()
    url = reverse(url_name, kwargs=kwargs)
    allowed = permissions.roles_for(action)
    wrong = []
    for role in RoleCode:
        user = make_staff(team=team, roles=[role], username=f"sweep.{role.value}")
        client.force_login(user)
        rows_before = AuditEvent.objects.filter(user=user).count()
        response = client.post(url, {"text": "Typed by the sweep"})
        refused = response.status_code == 403 and response.get("X-Waypoint-Refused") == action
        if pattern.callback.permission_hides:  # a page only for those roles: 404 for anyone else
            refused = response.status_code == 404
        if refused != (role.value not in allowed):
            wrong.append(f"{role.value}: {'refused' if refused else response.status_code}")
        if refused and not pattern.callback.permission_hides:
            body = response.content.decode()
            assert "Your role does not allow you to" in body
            assert "Typed by the sweep" in body, "the refusal page shows back what was typed"
            assert AuditEvent.objects.filter(user=user).count() == rows_before, "a refusal writes nothing"
    assert not wrong, f"{url_name} ({action}): {wrong}"
