"""Business operations for staff and teams. Writes happen here, nowhere else."""

import csv
from dataclasses import dataclass, field

from django.contrib.auth import login
from django.db import transaction

from .middleware import SESSION_LAST_SEEN_AT, SESSION_SIGNED_IN_AT
from .models import Membership, Profession, Role, RoleCode, Team, User


def complete_sign_in(request, user):
    """The last step of signing in, after every factor has been checked.

    Today the only factor is the password (checked by the sign-in form through django-axes).
    A second factor (TOTP with django-otp) slots in before this call: the password step would
    store the user id in the session as "pending", the MFA step would verify the token, and only
    then call this function. Django's login() gives a new session key, so a session fixed before
    sign-in is never reused.
    """
    import time

    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_SEEN_AT] = now


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


def _username_from_email(email: str) -> str:
    return email.split("@", 1)[0].lower()


@transaction.atomic
def import_staff_csv(handle, *, default_password: str | None = None) -> ImportResult:
    """Import staff from CSV with columns: name, email, roles, team (and optionally profession).

    Roles are separated by ";". Teams must already exist. Rows with errors are reported and
    nothing is written for them; good rows are written. Running it twice updates, not duplicates.
    """
    result = ImportResult()
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
            if default_password:
                user.set_password(default_password)
            else:
                user.set_unusable_password()
        user.save()
        user.roles.add(*[roles[code] for code in role_codes])
        if team and not Membership.objects.current().filter(user=user, team=team).exists():
            Membership.objects.create(user=user, team=team, is_primary=not user.memberships.exists())
        (result.created if created else result.updated).append(user.username)
    return result
