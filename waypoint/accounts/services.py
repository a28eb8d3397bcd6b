"""Business operations for staff and teams. Writes happen here, nowhere else."""

import csv
import secrets
import time
from base64 import b32encode, b64encode
from dataclasses import dataclass, field
from importlib import import_module
from math import ceil

import qrcode
from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from waypoint.access.actor import Actor
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.audit.services import SYSTEM

from .middleware import SESSION_GENERATION, SESSION_LAST_SEEN_AT, SESSION_MFA_VERIFIED, SESSION_SIGNED_IN_AT
from .models import Membership, Profession, Role, RoleCode, RoleGrantRequest, Team, User


def complete_sign_in(request, user, device=None):
    """The last step of signing in, after every factor has been checked.

    The sign-in steps (`accounts.sign_in_steps`) call this only once the password has been
    checked (by the sign-in form, through django-axes), a required new password has been set and,
    where MFA is required or the user has set it up, a code has been checked. Django's login()
    gives a new session key, so a session fixed before sign-in is never reused. The session
    records the user's session generation (see `end_sessions`) and whether a second factor was
    checked; `SessionLifetimeMiddleware` checks both on every request.
    """
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_SEEN_AT] = now
    request.session[SESSION_GENERATION] = user.session_generation
    if device is not None:
        otp_login(request, device)
        request.session[SESSION_MFA_VERIFIED] = True


def _actor(by, path: str = "") -> Actor | audit.SystemActor:
    """Changes to staff accounts are not about a person: basis none; a missing `by` is the system."""
    return SYSTEM if by is None else Actor(by, basis=Basis.NONE, path=path)


def _audit_account(*, by, action, record_type, user, fields_changed=()):
    audit.write(
        _actor(by), action=action, record_type=record_type, record_id=user.pk, fields_changed=fields_changed
    )


@transaction.atomic
def change_password(user, new_password, *, request=None):
    """The user sets their own password (the change-password page, or the first sign-in after an
    initial password). Validated by the form; audited. Keeps the session of `request` signed in;
    every other session of the user ends (Django's session hash changes with the password)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _audit_account(
        by=user, action=Action.UPDATE, record_type=RecordType.PASSWORD, user=user, fields_changed=["password"]
    )
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


@transaction.atomic
def set_initial_password(user, password, *, by):
    """A password given to someone else (by an administrator): it must pass the password rules,
    and the user must change it at their first sign-in. Raises ValidationError when it fails."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _audit_account(
        by=by,
        action=Action.UPDATE,
        record_type=RecordType.PASSWORD,
        user=user,
        fields_changed=["password", "must_change_password"],
    )


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_totp_enrolment(user, device_id=None) -> TOTPDevice:
    """The unconfirmed authenticator device being set up: the one already shown to the user in
    this sign-in (so reloading the page keeps the same QR code), or a new one."""
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(user, device, token) -> list[str] | None:
    """Check the first code from the new authenticator app. When it is right, the device is
    confirmed and a fresh set of recovery codes is made (any older ones are deleted) and
    returned, to be shown once. None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(normalise_code(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.WAYPOINT_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    _audit_account(by=user, action=Action.CREATE, record_type=RecordType.MFA_DEVICE, user=user)
    return codes


@dataclass
class SecondFactorResult:
    device: object
    used_recovery_code: bool = False
    recovery_codes_left: int = 0


def verify_second_factor(user, token) -> SecondFactorResult | None:
    """Check a code from the user's authenticator app, or one of their recovery codes (each works
    once: django-otp deletes it). django-otp also slows down repeated failures on each device;
    the view counts every failure towards the sign-in lockout as well. None when wrong."""
    token = normalise_code(token)
    if not token:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return SecondFactorResult(device=device)
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                _audit_account(
                    by=user, action=Action.UPDATE, record_type=RecordType.MFA_RECOVERY_CODE, user=user
                )
                return SecondFactorResult(
                    device=device, used_recovery_code=True, recovery_codes_left=device.token_set.count()
                )
    return None


def code_wait_seconds(user, device=None) -> int:
    """How long django-otp makes the user wait after wrong codes before it checks another (its
    throttling doubles the wait after each failure); 0 when a code can be checked now."""
    devices = [device] if device is not None else TOTPDevice.objects.filter(user=user, confirmed=True)
    wait = 0
    for each in devices:
        allowed, info = each.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            seconds = ceil((until - timezone.now()).total_seconds()) if until else 1
            wait = max(wait, seconds, 1)
    return wait


def normalise_code(token) -> str:
    """Codes may be typed with spaces or dashes, and recovery codes in capitals."""
    return "".join(ch for ch in str(token or "") if ch not in " -\t").lower()


def totp_secret_for_typing(device) -> str:
    """The device's secret in base32, in groups of four, for people who cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_code_data_uri(device) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI (the CSP allows data:
    images, and an <img> with alt text is simpler to make accessible than inline SVG)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + b64encode(svg).decode("ascii")


ROLE_ALIASES = {choice.label.lower(): choice.value for choice in RoleCode}
ROLE_ALIASES.update({choice.value: choice.value for choice in RoleCode})
ROLE_ALIASES.update({"amhp": RoleCode.AMHP, "bia": RoleCode.BIA, "admin": RoleCode.RECORDS_OFFICER})
PROFESSION_ALIASES = {choice.label.lower(): choice.value for choice in Profession}
PROFESSION_ALIASES.update({choice.value: choice.value for choice in Profession})


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    generated_passwords: dict[str, str] = field(default_factory=dict)


def _username_from_email(email: str) -> str:
    return email.split("@", 1)[0].lower()


@transaction.atomic
def import_staff_csv(
    handle, *, default_password: str | None = None, generate_passwords: bool = False
) -> ImportResult:
    """Import staff from CSV with columns: name, email, roles, team (and optionally profession).

    Roles are separated by ";". Teams must already exist. Rows with errors are reported and
    nothing is written for them; good rows are written. Running it twice updates, not duplicates.

    New accounts get `default_password` (which must pass the password rules, or nothing is
    imported), or each a random password of their own (`generate_passwords`, returned in
    `generated_passwords` to be handed out), or no usable password. Either way they must change
    it at their first sign-in. Existing accounts keep their password.
    """
    result = ImportResult()
    if default_password is not None:
        try:
            validate_password(default_password)
        except ValidationError as error:
            result.errors.append("The initial password was refused: " + " ".join(error.messages))
            return result
    reader = csv.DictReader(handle)
    required = {"name", "email", "roles", "team"}
    missing = required - {name.strip().lower() for name in (reader.fieldnames or [])}
    if missing:
        result.errors.append(f"The file is missing the column(s): {', '.join(sorted(missing))}.")
        return result
    teams = {team.name.lower(): team for team in Team.objects.all()}
    roles = {role.code: role for role in Role.objects.all()}
    for line_number, raw in enumerate(reader, start=2):
        row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        problems = []
        name, email = row["name"], row["email"].lower()
        if not name:
            problems.append("name is empty")
        if "@" not in email:
            problems.append(f"email {email!r} is not an email address")
        role_codes = []
        for label in filter(None, (part.strip().lower() for part in row["roles"].split(";"))):
            code = ROLE_ALIASES.get(label)
            if code is None:
                problems.append(f"role {label!r} is not a Waypoint role")
            elif code in TWO_PERSON_ROLES:
                problems.append(
                    f"the role {label!r} is given in the admin pages, where a second administrator approves it"
                )
            else:
                role_codes.append(code)
        team = teams.get(row["team"].lower()) if row["team"] else None
        if row["team"] and team is None:
            problems.append(f"team {row['team']!r} does not exist")
        profession = PROFESSION_ALIASES.get(row.get("profession", "").lower(), "")
        if row.get("profession") and not profession:
            problems.append(f"profession {row['profession']!r} is not recognised")
        if problems:
            result.errors.append(f"Line {line_number}: " + "; ".join(problems) + ".")
            continue
        first_name, _, last_name = name.partition(" ")
        username = _username_from_email(email)
        clash = User.objects.filter(username=username).exclude(email="").exclude(email=email).first()
        if clash is not None and _username_from_email(clash.email) == username:
            # A different person whose address has the same part before "@": never merge them.
            result.errors.append(
                f"Line {line_number}: the username {username!r} already belongs to {clash.email}, "
                f"a different email address; add {email} in the admin pages with another username."
            )
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first_name, "last_name": last_name},
        )
        before = {name: getattr(user, name) for name in IMPORTED_FIELDS}
        user.email, user.first_name, user.last_name = email, first_name, last_name
        if profession:
            user.profession = profession
        if created:
            password = secrets.token_urlsafe(15) if generate_passwords else default_password
            if password:
                user.set_password(password)
                user.must_change_password = True
                if generate_passwords:
                    result.generated_passwords[username] = password
            else:
                user.set_unusable_password()
        user.save()
        changed = [name for name in IMPORTED_FIELDS if created or getattr(user, name) != before[name]]
        _audit_import(user, created, changed, [roles[code] for code in role_codes], team)
        (result.created if created else result.updated).append(user.username)
    return result


IMPORTED_FIELDS = ("username", "email", "first_name", "last_name", "profession")


def _audit_import(user, created, changed, new_roles, team):
    """The import's changes to accounts, roles and memberships, audited like the admin's (by "System")."""
    if created or changed:
        action = Action.CREATE if created else Action.UPDATE
        _audit(
            by=None, action=action, record_type=RecordType.STAFF_ACCOUNT, record_id=user.pk, fields=changed
        )
    held = set(user.roles.all())
    for role in sorted(set(new_roles) - held, key=lambda r: r.code):
        user.roles.add(role)
        _audit(
            by=None,
            action=Action.GRANT,
            record_type=RecordType.STAFF_ROLE,
            record_id=user.pk,
            fields=[role.code],
        )
    if team and not Membership.objects.current().filter(user=user, team=team).exists():
        membership = Membership.objects.create(user=user, team=team, is_primary=not user.memberships.exists())
        _audit(
            by=None,
            action=Action.CREATE,
            record_type=RecordType.TEAM_MEMBERSHIP,
            record_id=membership.pk,
            fields=["team"],
        )


# --- Staff accounts, roles and team memberships (the admin pages call these) -----------------
#
# Every change is written to the audit table with the acting administrator, no person, and the
# record types "staff_account", "staff_role", "staff_role_request" and "team_membership". Field
# names only: never a password or its hash ("password" is recorded as the name of what changed).
# Nobody may change their own roles or team memberships, and the privacy officer and system
# administrator roles need a second administrator's approval before they take effect.

# Roles that open every record's access history, or the admin pages: given only by two people.
TWO_PERSON_ROLES = frozenset({RoleCode.PRIVACY_OFFICER, RoleCode.SYSTEM_ADMINISTRATOR})

# Fields an administrator may not set by hand: admin access follows the system administrator role.
ADMIN_FLAGS = frozenset({"is_staff", "is_superuser"})
# Form fields that stand for the password (the add form and the set-password form).
PASSWORD_FORM_FIELDS = frozenset({"password", "password1", "password2", "usable_password"})

SELF_ROLES_MESSAGE = "You cannot change your own roles. Another system administrator must do it."
SELF_MEMBERSHIP_MESSAGE = (
    "You cannot change your own team memberships. Another system administrator must do it."
)


class AccountChangeRefused(Exception):
    """A change to an account that the acting administrator may not make. The message says why."""


def _audit(*, by, action, record_type, record_id, fields=(), path=""):
    audit.write(
        _actor(by, path), action=action, record_type=record_type, record_id=record_id, fields_changed=fields
    )


def _audited_field_names(changed_fields) -> list[str]:
    names = set()
    for name in changed_fields:
        names.add("password" if name in PASSWORD_FORM_FIELDS else name)
    return sorted(names - {"roles"})


def is_administrator(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.has_role(RoleCode.SYSTEM_ADMINISTRATOR)
    )


@transaction.atomic
def save_staff_account(account, *, by, changed_fields, path: str = "") -> User:
    """Create or change a staff account (its roles and memberships have their own functions).

    Disabling an account, or enabling it again, ends its sessions, so re-enabling never revives
    a session from before it was disabled.
    """
    created = account._state.adding
    fields = _audited_field_names(changed_fields)
    if ADMIN_FLAGS & set(fields):
        raise AccountChangeRefused(
            "Administrator access cannot be set by hand: it comes with the system administrator role."
        )
    was_active = None
    if not created:
        was_active = User.objects.select_for_update().values_list("is_active", flat=True).get(pk=account.pk)
    if not created and not fields:
        return account
    account.save()
    _audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        record_type=RecordType.STAFF_ACCOUNT,
        record_id=account.pk,
        fields=fields,
        path=path,
    )
    if was_active is not None and was_active != account.is_active:
        end_sessions(account, by=by, path=path)
    return account


def check_role_change(account, roles, *, by) -> tuple[set, set]:
    """The roles that would be added and removed; refuses a change to one's own roles."""
    wanted = set(roles)
    held = set(account.roles.all()) if account.pk else set()
    added, removed = wanted - held, held - wanted
    if (added or removed) and account.pk == by.pk:
        raise AccountChangeRefused(SELF_ROLES_MESSAGE)
    return added, removed


@transaction.atomic
def change_roles(account, *, roles, by, path: str = "") -> list[RoleGrantRequest]:
    """Give the account exactly these roles. Returns the grants now waiting for a second person.

    Privacy officer and system administrator are not given here: a pending RoleGrantRequest is
    made instead (once; asking again while one is pending changes nothing).
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    added, removed = check_role_change(account, roles, by=by)
    pending = []
    for role in sorted(removed, key=lambda r: r.code):
        account.roles.remove(role)
        _audit(
            by=by,
            action=Action.REVOKE,
            record_type=RecordType.STAFF_ROLE,
            record_id=account.pk,
            fields=[role.code],
            path=path,
        )
        if role.code == RoleCode.SYSTEM_ADMINISTRATOR:
            _set_admin_flags(account, False, by=by, path=path)
    for role in sorted(added, key=lambda r: r.code):
        if role.code in TWO_PERSON_ROLES:
            request, made = RoleGrantRequest.objects.get_or_create(
                account=account,
                role=role,
                status=RoleGrantRequest.Status.PENDING,
                defaults={"requested_by": by},
            )
            if made:
                _audit(
                    by=by,
                    action=Action.CREATE,
                    record_type=RecordType.STAFF_ROLE_REQUEST,
                    record_id=request.pk,
                    fields=[role.code],
                    path=path,
                )
            pending.append(request)
        else:
            account.roles.add(role)
            _audit(
                by=by,
                action=Action.GRANT,
                record_type=RecordType.STAFF_ROLE,
                record_id=account.pk,
                fields=[role.code],
                path=path,
            )
    return pending


def _set_admin_flags(account, value: bool, *, by, path: str):
    if account.is_staff == value and account.is_superuser == value:
        return
    account.is_staff = account.is_superuser = value
    account.save(update_fields=["is_staff", "is_superuser"])
    _audit(
        by=by,
        action=Action.UPDATE,
        record_type=RecordType.STAFF_ACCOUNT,
        record_id=account.pk,
        fields=sorted(ADMIN_FLAGS),
        path=path,
    )


def _locked_pending_request(request_id) -> RoleGrantRequest:
    request = (
        RoleGrantRequest.objects.select_for_update().select_related("account", "role").get(pk=request_id)
    )
    if request.status != RoleGrantRequest.Status.PENDING:
        raise AccountChangeRefused(
            f"The request for {request.role} for {request.account} has already been decided."
        )
    return request


@transaction.atomic
def approve_role_grant(grant, *, by, path: str = "") -> RoleGrantRequest:
    """The second administrator approves: only now is the role given."""
    if not is_administrator(by):
        raise AccountChangeRefused("Only a system administrator can approve a role.")
    grant = _locked_pending_request(grant.pk)
    if by.pk == grant.requested_by_id:
        raise AccountChangeRefused(
            f"You asked for {grant.role} for {grant.account}: a second system administrator must approve it."
        )
    if by.pk == grant.account_id:
        raise AccountChangeRefused(
            "You cannot approve a role for yourself. Another system administrator must do it."
        )
    grant.status = RoleGrantRequest.Status.APPROVED
    grant.decided_by, grant.decided_at = by, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        by=by,
        action=Action.APPROVE,
        record_type=RecordType.STAFF_ROLE_REQUEST,
        record_id=grant.pk,
        fields=[grant.role.code],
        path=path,
    )
    account = User.objects.select_for_update().get(pk=grant.account_id)
    account.roles.add(grant.role)
    _audit(
        by=by,
        action=Action.GRANT,
        record_type=RecordType.STAFF_ROLE,
        record_id=account.pk,
        fields=[grant.role.code],
        path=path,
    )
    if grant.role.code == RoleCode.SYSTEM_ADMINISTRATOR:
        _set_admin_flags(account, True, by=by, path=path)
    return grant


@transaction.atomic
def refuse_role_grant(grant, *, by, path: str = "") -> RoleGrantRequest:
    """Any administrator (the one who asked included) may refuse or withdraw a pending grant."""
    if not is_administrator(by):
        raise AccountChangeRefused("Only a system administrator can refuse a role.")
    grant = _locked_pending_request(grant.pk)
    grant.status = RoleGrantRequest.Status.REFUSED
    grant.decided_by, grant.decided_at = by, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        by=by,
        action=Action.REFUSE,
        record_type=RecordType.STAFF_ROLE_REQUEST,
        record_id=grant.pk,
        fields=[grant.role.code],
        path=path,
    )
    return grant


def record_password_set(account, *, by, path: str = ""):
    """An administrator set (or removed) the account's password. Only that it changed is recorded."""
    _audit(
        by=by,
        action=Action.UPDATE,
        record_type=RecordType.STAFF_ACCOUNT,
        record_id=account.pk,
        fields=["password"],
        path=path,
    )


def check_membership_change(membership, *, by):
    if membership.user_id == by.pk:
        raise AccountChangeRefused(SELF_MEMBERSHIP_MESSAGE)


@transaction.atomic
def save_membership(membership, *, by, changed_fields, path: str = "") -> Membership:
    """Add someone to a team, or change (for example end) a membership. Memberships are never deleted."""
    check_membership_change(membership, by=by)
    created = membership._state.adding
    if not created:
        before = Membership.objects.select_for_update().get(pk=membership.pk)
        if before.user_id != membership.user_id:
            raise AccountChangeRefused("A team membership cannot be moved to another member of staff.")
    fields = sorted(set(changed_fields))
    if not created and not fields:
        return membership
    membership.save()
    _audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        record_type=RecordType.TEAM_MEMBERSHIP,
        record_id=membership.pk,
        fields=fields,
        path=path,
    )
    return membership


@transaction.atomic
def end_sessions(user, *, by, path: str = "") -> int:
    """Sign the user out everywhere, now and for good. Returns how many stored sessions were deleted.

    Raises the user's session generation, so a session signed in under an older generation is
    signed out at its next request (`SessionLifetimeMiddleware`), even if the account is later
    re-enabled and whatever the session engine; disabling an account raises it too (`User.save`).
    Where the session store can be listed (db, cached_db) the sessions are also deleted at once.
    One audit row, with `by` as the actor.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    ended = 0
    if hasattr(store_class, "get_model_class"):  # db and cached_db: the sessions can be listed
        user_id = str(user.pk)
        sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
        for session in sessions.iterator():
            if session.get_decoded().get("_auth_user_id") == user_id:
                store_class(session_key=session.session_key).delete()
                ended += 1
    # With a cache-only or signed-cookie engine nothing can be deleted here; the generation check
    # in the middleware still ends those sessions at their next request.
    _audit(
        by=by, action=Action.END_SESSIONS, record_type=RecordType.STAFF_ACCOUNT, record_id=user.pk, path=path
    )
    return ended
