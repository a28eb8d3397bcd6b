"""What each role may do: one table, declared as data.

Who may *see* a record is the access policy's question (`policy.py`: relationships, 404). This
module answers the other one: given that a member of staff can see the record, which of its
actions may they take? Each action is a row; its value is the set of roles that may take it, with
the defaults a community mental health team would expect. A member of staff may take an action
when at least one of their roles may.

- **Services enforce it**: `require(by, action)` raises `PermissionRefused` (a plain message),
  which `waypoint.access.middleware.PermissionRefusedMiddleware` turns into Waypoint's own
  "You cannot do this" page, showing what was typed so nothing is lost.
- **Views declare it** with `@permission(action)`, so a refused post never reaches the form, and
  the sweep (`access/tests/test_permission_sweep.py`) posts to every write view as every role.
- **Pages ask it** with the Jinja global `may("action")`, so they only offer what the user may do.
- **A Trust adjusts it** with a TOML file named by `WAYPOINT_PERMISSIONS_FILE`, read strictly
  (`load_trust_file`): every action and role named must exist, or Waypoint refuses to start.
- **Later modules add their own rows** from their `extensions.py` with one call:
  `register_action("record_measure", "Record an outcome measure", CLINICIANS, module="measures")`.

`docs/permissions.md` is generated from this table (`manage.py permissions_table`) and a test
fails if the two differ.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from waypoint.accounts.models import RoleCode

R = RoleCode

# Roles by what they are, so the defaults read as a CMHT would describe them.
REGISTERED_CLINICIANS = frozenset(
    {R.CARE_COORDINATOR, R.PSYCHIATRIST, R.PSYCHOLOGIST, R.TEAM_MANAGER, R.AMHP, R.BIA}
)
"""Registered professionals who carry clinical responsibility (nurses, social workers, OTs, doctors,
psychologists): they write and sign off the clinical record on their own."""
UNREGISTERED_CLINICAL_STAFF = frozenset({R.SUPPORT_WORKER, R.STUDENT})
"""Staff who work with people but whose notes a registered supervisor countersigns."""
EVERYONE_CLINICAL = REGISTERED_CLINICIANS | UNREGISTERED_CLINICAL_STAFF
INTAKE = frozenset({R.TEAM_MANAGER, R.RECORDS_OFFICER})
TEAM_STAFF = EVERYONE_CLINICAL | {R.RECORDS_OFFICER}


class PermissionRefused(PermissionDenied):
    """The member of staff may see this record but their roles may not take this action."""

    def __init__(self, action: str):
        self.action = action
        label = _actions[action].label if action in _actions else action
        self.message = f"Your role does not allow you to {label[:1].lower()}{label[1:]}."
        super().__init__(self.message)


@dataclass(frozen=True)
class ActionRule:
    key: str
    label: str  # "Triage a referral": also read as "...allow you to triage a referral"
    roles: frozenset[str]  # the CMHT default
    module: str
    note: str = ""  # a condition beyond roles, shown in the docs table


_actions: dict[str, ActionRule] = {}
_effective: dict[str, frozenset[str]] | None = None


def register_action(key: str, label: str, roles, *, module: str, note: str = "") -> ActionRule:
    """Add one action to the table (from a module's `extensions.py`). Registering the same key
    again with the same rule is harmless (tests reload apps); a different rule is a mistake."""
    unknown = set(roles) - set(RoleCode.values)
    if unknown:
        raise ImproperlyConfigured(f"Action {key!r} names roles that do not exist: {sorted(unknown)}")
    rule = ActionRule(key=key, label=label, roles=frozenset(str(r) for r in roles), module=module, note=note)
    existing = _actions.get(key)
    if existing is not None and existing != rule:
        raise ImproperlyConfigured(f"Action {key!r} is already registered by {existing.module}")
    _actions[key] = rule
    reset()
    return rule


def reset() -> None:
    """Forget the effective table (the Trust file is read again on next use): for tests and reloads."""
    global _effective
    _effective = None


def actions() -> list[ActionRule]:
    return list(_actions.values())


def load_trust_file(path) -> dict[str, frozenset[str]]:
    """Read a Trust's adjustments, refusing anything unclear with a message that names it.

    The file is TOML with one table, `[roles]`, whose keys are action keys and values the complete
    list of role codes that may take that action (replacing the default for that action only):

        [roles]
        triage_referral = ["care_coordinator", "team_manager"]
        record_contact = ["care_coordinator", "support_worker", "student", "records_officer"]
    """
    source = Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"WAYPOINT_PERMISSIONS_FILE names {source}, which does not exist."
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"WAYPOINT_PERMISSIONS_FILE ({source}) is not valid TOML: {exc}") from None
    extra = set(data) - {"roles"}
    if extra:
        raise ImproperlyConfigured(
            f"WAYPOINT_PERMISSIONS_FILE ({source}) may only have a [roles] table, not {sorted(extra)}."
        )
    table = data.get("roles", {})
    if not isinstance(table, dict):
        raise ImproperlyConfigured(f"WAYPOINT_PERMISSIONS_FILE ({source}): [roles] must be a table.")
    adjusted: dict[str, frozenset[str]] = {}
    for key, roles in table.items():
        if key not in _actions:
            raise ImproperlyConfigured(
                f"WAYPOINT_PERMISSIONS_FILE ({source}) names an action that does not exist: {key!r}. "
                f"The actions are listed in docs/permissions.md."
            )
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise ImproperlyConfigured(
                f"WAYPOINT_PERMISSIONS_FILE ({source}): {key} must be a list of role codes, "
                f'for example ["care_coordinator", "team_manager"].'
            )
        unknown = sorted(set(roles) - set(RoleCode.values))
        if unknown:
            raise ImproperlyConfigured(
                f"WAYPOINT_PERMISSIONS_FILE ({source}): {key} names roles that do not exist: {unknown}. "
                f"The roles are {sorted(RoleCode.values)}."
            )
        if len(set(roles)) != len(roles):
            raise ImproperlyConfigured(f"WAYPOINT_PERMISSIONS_FILE ({source}): {key} names a role twice.")
        adjusted[key] = frozenset(roles)
    return adjusted


def table() -> dict[str, frozenset[str]]:
    """The effective table: the defaults with the Trust's adjustments, read once per process."""
    global _effective
    if _effective is None:
        effective = {key: rule.roles for key, rule in _actions.items()}
        path = getattr(settings, "WAYPOINT_PERMISSIONS_FILE", "")
        if path:
            effective.update(load_trust_file(path))
        _effective = effective
    return _effective


def roles_for(action: str) -> frozenset[str]:
    try:
        return table()[action]
    except KeyError:
        raise ImproperlyConfigured(f"No such action {action!r}: register it with register_action") from None


def may(user, action: str) -> bool:
    """May this member of staff take this action? (Only the roles: the record's own rules, such as
    "only the author edits a draft", stay in the services.)"""
    allowed = roles_for(action)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.role_codes() & allowed)


def require(by, action: str) -> None:
    """Refuse the action unless the actor's roles allow it. Management commands (`audit.SYSTEM`,
    no user) act for the Trust and are not refused. While Waypoint is read-only every write is
    refused, the Trust's own included (`continuity.state.ChangesPaused`, docs/continuity.md)."""
    from waypoint.continuity import state  # reads a file, no query

    state.refuse_if_paused(action)
    user = getattr(by, "user", by)
    if user is None:
        roles_for(action)  # still refuse an unknown action
        return
    if not may(user, action):
        raise PermissionRefused(action)


def role_holders(users, action: str):
    """Only the users (a queryset of accounts.User) whose roles may take the action."""
    return users.filter(roles__code__in=roles_for(action)).distinct()


def permission(action: str, *, methods=("POST",), hide=False):
    """Declare the action a view performs. A request by a method in `methods` (posts, by default)
    from a user whose roles may not take it is refused before the form is read; the service checks
    again. The sweep reads `view.permission_action` to post to every write view as every role.

    `hide=True` is for a page that exists only for the roles that take the action (the privacy
    officer's reviews, the manager's allocation): anyone else gets 404 for every method, as
    `access.roles.require_role` answers, because there is nothing for them there."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if hide and not may(request.user, action):
                raise Http404("Not found")
            if request.method in methods and not may(request.user, action):
                raise PermissionRefused(action)
            return view(request, *args, **kwargs)

        wrapped.permission_action = action  # type: ignore[attr-defined]
        wrapped.permission_hides = hide  # type: ignore[attr-defined]
        return wrapped

    if action not in _actions:  # an unknown action fails at import, not on the first post
        raise ImproperlyConfigured(f"No such action {action!r}: register it with register_action")
    return decorator


class Do:
    """The action keys of the core modules, so code names them without strings."""

    REGISTER_PERSON = "register_person"
    EDIT_PERSON = "edit_person"
    ADD_CARER = "add_carer"
    ADD_ALERT = "add_alert"
    RECORD_REFERRAL = "record_referral"
    TRIAGE_REFERRAL = "triage_referral"
    REJECT_REFERRAL = "reject_referral"
    RECORD_CLOCK_EVENT = "record_clock_event"
    ALLOCATE = "allocate"
    HOLD_CARE_COORDINATION = "hold_care_coordination"
    HOLD_ASSESSMENT = "hold_assessment"
    OPEN_EPISODE = "open_episode"
    CHANGE_CARE_APPROACH = "change_care_approach"
    REQUEST_TRANSFER = "request_transfer"
    DECIDE_TRANSFER = "decide_transfer"
    DISCHARGE = "discharge"
    WRITE_RISK_FORMULATION = "write_risk_formulation"
    WRITE_PLAN = "write_plan"
    AGREE_PLAN = "agree_plan"
    SHARE_PLAN = "share_plan"
    START_ASSESSMENT = "start_assessment"
    COMPLETE_ASSESSMENT = "complete_assessment"
    RECORD_REVIEW = "record_review"
    BOOK_APPOINTMENT = "book_appointment"
    RECORD_CONTACT = "record_contact"
    SET_DISENGAGEMENT_PROCEDURE = "set_disengagement_procedure"
    WRITE_NOTE = "write_note"
    SIGN_NOTE_ALONE = "sign_note_alone"
    COUNTERSIGN_NOTE = "countersign_note"
    DELEGATE_TASK = "delegate_task"
    HOLD_TASK = "hold_task"
    LOG_DUTY_CALL = "log_duty_call"
    SET_DUTY_ROTA = "set_duty_rota"
    REVIEW_BREAK_GLASS = "review_break_glass"
    VIEW_ACCESS_HISTORY = "view_access_history"


def _core(key, label, roles, note=""):
    register_action(key, label, roles, module="core", note=note)


_core(Do.REGISTER_PERSON, "Register a person", TEAM_STAFF)
_core(Do.EDIT_PERSON, "Change a person's details", TEAM_STAFF)
_core(Do.ADD_CARER, "Add or change a carer", TEAM_STAFF)
_core(Do.ADD_ALERT, "Add or end an alert", EVERYONE_CLINICAL)
_core(
    Do.RECORD_REFERRAL,
    "Record a referral",
    INTAKE,
    note="Also the team's duty worker or back-up on the rota today.",
)
_core(Do.TRIAGE_REFERRAL, "Triage a referral", REGISTERED_CLINICIANS)
_core(Do.REJECT_REFERRAL, "Reject or signpost a referral", REGISTERED_CLINICIANS - {R.BIA})
_core(Do.RECORD_CLOCK_EVENT, "Record a referral's first contacts and assessment", TEAM_STAFF)
_core(Do.ALLOCATE, "Allocate a worker", {R.TEAM_MANAGER}, note="Only for the manager's own team.")
_core(Do.HOLD_CARE_COORDINATION, "Be allocated as care coordinator", {R.CARE_COORDINATOR})
_core(
    Do.HOLD_ASSESSMENT,
    "Be allocated as assessing worker",
    {R.CARE_COORDINATOR, R.PSYCHIATRIST, R.PSYCHOLOGIST, R.AMHP, R.TEAM_MANAGER},
)
_core(Do.OPEN_EPISODE, "Open an episode of care", {R.CARE_COORDINATOR, R.TEAM_MANAGER})
_core(
    Do.CHANGE_CARE_APPROACH,
    "Change the care approach or care coordinator",
    {R.CARE_COORDINATOR, R.TEAM_MANAGER},
)
_core(Do.REQUEST_TRANSFER, "Request a transfer to another team", {R.CARE_COORDINATOR, R.TEAM_MANAGER})
_core(
    Do.DECIDE_TRANSFER,
    "Accept, decline or withdraw a transfer",
    {R.CARE_COORDINATOR, R.TEAM_MANAGER},
    note="Accept and decline: members of the receiving team only.",
)
_core(Do.DISCHARGE, "Close an episode of care (discharge)", {R.CARE_COORDINATOR, R.TEAM_MANAGER})
_core(Do.WRITE_RISK_FORMULATION, "Write the risk formulation", REGISTERED_CLINICIANS)
_core(Do.WRITE_PLAN, "Write a plan", REGISTERED_CLINICIANS)
_core(Do.AGREE_PLAN, "Record agreement to a plan", REGISTERED_CLINICIANS)
_core(Do.SHARE_PLAN, "Record who a plan was shared with", TEAM_STAFF)
_core(Do.START_ASSESSMENT, "Start or draft an assessment", EVERYONE_CLINICAL)
_core(Do.COMPLETE_ASSESSMENT, "Complete an assessment", REGISTERED_CLINICIANS)
_core(Do.RECORD_REVIEW, "Plan or record a review", REGISTERED_CLINICIANS)
_core(Do.BOOK_APPOINTMENT, "Book or change an appointment", TEAM_STAFF)
_core(Do.RECORD_CONTACT, "Record a contact or indirect activity", EVERYONE_CLINICAL)
_core(Do.SET_DISENGAGEMENT_PROCEDURE, "Set the team's disengagement procedure", {R.TEAM_MANAGER})
_core(Do.WRITE_NOTE, "Write and sign a clinical note", EVERYONE_CLINICAL)
_core(
    Do.SIGN_NOTE_ALONE,
    "Sign a note without countersignature",
    REGISTERED_CLINICIANS,
    note="Anyone else who writes a note needs their supervisor's countersignature.",
)
_core(
    Do.COUNTERSIGN_NOTE,
    "Countersign a note",
    REGISTERED_CLINICIANS,
    note="Only the writer's supervisor, or a manager of the note's team.",
)
_core(Do.DELEGATE_TASK, "Delegate a task", {R.CARE_COORDINATOR, R.TEAM_MANAGER})
_core(Do.HOLD_TASK, "Be given a delegated task", {R.SUPPORT_WORKER, R.STUDENT, R.CARE_COORDINATOR})
_core(Do.LOG_DUTY_CALL, "Log or update a duty call", TEAM_STAFF)
_core(Do.SET_DUTY_ROTA, "Set the duty rota", {R.TEAM_MANAGER}, note="Only for the manager's own team.")
_core(Do.REVIEW_BREAK_GLASS, "Review emergency access and self-claimed referrals", {R.PRIVACY_OFFICER})
_core(Do.VIEW_ACCESS_HISTORY, "See a person's access history", {R.PRIVACY_OFFICER})


def check_trust_file(app_configs=None, **kwargs):
    """A system check (run by every manage.py command, `runserver` included): a Trust file that
    names an action or role that does not exist stops Waypoint starting, with the reason."""
    from django.core.checks import Error

    reset()
    try:
        table()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="waypoint.E018")]
    return []


def markdown_table() -> str:
    """The table as Markdown, for docs/permissions.md (defaults, not a Trust's adjustments)."""
    roles = list(RoleCode)
    short = {R.RECORDS_OFFICER: "Admin and records", R.AMHP: "AMHP", R.BIA: "BIA"}
    header = "| Action | " + " | ".join(short.get(role, role.label) for role in roles) + " | Also |"
    rule = "|---|" + "---|" * len(roles) + "---|"
    rows = [header, rule]
    for item in sorted(_actions.values(), key=lambda r: (r.module != "core", r.module)):  # stable
        cells = ["yes" if role.value in item.roles else "" for role in roles]
        label = f"{item.label} (`{item.key}`)"
        if item.module != "core":
            label += f", {item.module}"
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {item.note} |")
    return "\n".join(rows) + "\n"
