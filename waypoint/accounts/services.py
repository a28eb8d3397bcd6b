"""Business operations for staff and teams. Writes happen here, nowhere else."""

import csv
import secrets
import time
from base64 import b32encode, b64encode
from dataclasses import dataclass, field
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

from waypoint.audit.models import Action, Basis
from waypoint.audit.services import record

from .middleware import SESSION_GENERATION, SESSION_LAST_SEEN_AT, SESSION_MFA_VERIFIED, SESSION_SIGNED_IN_AT
from .models import Membership, Profession, Role, RoleCode, Team, User


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


def _audit_account(*, by, action, record_type, user, fields_changed=()):
    record(
        user=by,
        action=action,
        record_type=record_type,
        record_id=user.pk,
        basis=Basis.NONE,
        fields_changed=fields_changed,
    )


@transaction.atomic
def end_sessions(user, *, by):
    """End every session `user` has signed in, now and for good.

    For the system administrator's "end this user's sessions" action. (Disabling an account
    raises the same number in `User.save`, so re-enabling it does not revive its sessions.) Raises the user's session generation; a session signed in
    under an older generation is signed out at its next request, even if the account is later
    re-enabled. Audited, with `by` as the actor.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    _audit_account(
        by=by,
        action=Action.UPDATE,
        record_type="user_sessions",
        user=user,
        fields_changed=["session_generation"],
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
        by=user, action=Action.UPDATE, record_type="password", user=user, fields_changed=["password"]
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
        record_type="password",
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
    _audit_account(by=user, action=Action.CREATE, record_type="mfa_device", user=user)
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
                _audit_account(by=user, action=Action.UPDATE, record_type="mfa_recovery_code", user=user)
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
        user.roles.add(*[roles[code] for code in role_codes])
        if team and not Membership.objects.current().filter(user=user, team=team).exists():
            Membership.objects.create(user=user, team=team, is_primary=not user.memberships.exists())
        (result.created if created else result.updated).append(user.username)
    return result
