from dataclasses import dataclass

from waypoint.accounts.models import Membership, RoleCode, RoleGrantRequest, User
from waypoint.patients.models import Person

from .models import Action, AuditEvent, RecordType


def person_for_privacy_review(person_id):
    return Person.objects.filter(pk=person_id).first()


def people_matching(query: str, limit: int = 50):
    return Person.objects.search(query)[:limit]


def access_history(person):
    """Every audit row about the person, newest first, with the member of staff."""
    return AuditEvent.objects.for_person(person)


# --- Changes to staff accounts, roles and team memberships (the privacy officer's review) ------

ACCOUNT_RECORD_TYPES = ("staff_account", "staff_role", "staff_role_request", "team_membership")


GIVES_ACCESS = {
    ("staff_role", Action.GRANT),
    ("team_membership", Action.CREATE),
    ("team_membership", Action.UPDATE),
}


@dataclass
class AccountChange:
    event: AuditEvent
    account: object  # the staff account changed, or None if it cannot be found
    what: str
    # Access given by the administrator who created the account: a second account for themselves?
    given_by_creator: bool = False


def _ids(events, *record_types) -> set[int]:
    return {int(e.record_id) for e in events if e.record_type in record_types and e.record_id.isdigit()}


def _role_label(code: str) -> str:
    try:
        return RoleCode(code).label
    except ValueError:
        return code.replace("_", " ")


def _fields(event) -> str:
    return ", ".join(name.replace("_", " ") for name in event.fields_changed)


def _describe(event, membership, grant) -> str:
    action, kind = event.action, event.record_type
    roles = ", ".join(_role_label(code) for code in event.fields_changed)
    if kind == "staff_account":
        if action == Action.CREATE:
            return "Created the account"
        if action == Action.END_SESSIONS:
            return "Ended all the account's sessions (signed it out everywhere)"
        return f"Changed the account: {_fields(event)}" if event.fields_changed else "Changed the account"
    if kind == "staff_role":
        return f"Gave the role {roles}" if action == Action.GRANT else f"Removed the role {roles}"
    if kind == "staff_role_request":
        asked_by = grant.requested_by.display_name if grant else "unknown"
        if action == Action.APPROVE:
            return f"Approved the role {roles}, asked for by {asked_by}"
        if action == Action.REFUSE:
            return f"Refused the role {roles}, asked for by {asked_by}"
        return f"Asked for the role {roles} (needs a second administrator's approval)"
    if kind == "team_membership":
        team = membership.team.name if membership else "a team"
        if action == Action.CREATE:
            return f"Added to {team}"
        return f"Changed the membership of {team}: {_fields(event)}"
    return f"{event.get_action_display()} {kind.replace('_', ' ')}"


def account_changes(limit: int = 500) -> list[AccountChange]:
    """The latest changes, newest first, each with the account it is about: a fixed number of queries."""
    events = list(
        AuditEvent.objects.filter(record_type__in=ACCOUNT_RECORD_TYPES, person__isnull=True)
        .select_related("user")
        .order_by("-occurred_at", "-id")[:limit]
    )
    memberships = Membership.objects.select_related("user", "team").in_bulk(_ids(events, "team_membership"))
    grants = RoleGrantRequest.objects.select_related("account", "requested_by").in_bulk(
        _ids(events, "staff_role_request")
    )
    accounts = User.objects.in_bulk(_ids(events, "staff_account", "staff_role"))
    changes = []
    account_ids = {str(m.user_id) for m in memberships.values()} | {
        str(g.account_id) for g in grants.values()
    }
    account_ids |= {str(pk) for pk in accounts}
    creators = dict(
        AuditEvent.objects.filter(
            record_type=RecordType.STAFF_ACCOUNT,
            action=Action.CREATE,
            record_id__in=account_ids,
            person__isnull=True,
        ).values_list("record_id", "user_id")
    )
    for event in events:
        key = int(event.record_id) if event.record_id.isdigit() else None
        membership = memberships.get(key) if event.record_type == "team_membership" else None
        grant = grants.get(key) if event.record_type == "staff_role_request" else None
        if membership:
            account = membership.user
        elif grant:
            account = grant.account
        else:
            account = accounts.get(key) if event.record_type in ("staff_account", "staff_role") else None
        gives_access = (event.record_type, event.action) in GIVES_ACCESS
        given_by_creator = bool(
            gives_access and account and event.user_id and creators.get(str(account.pk)) == event.user_id
        )
        changes.append(
            AccountChange(
                event=event,
                account=account,
                what=_describe(event, membership, grant),
                given_by_creator=given_by_creator,
            )
        )
    return changes


def pending_role_grants():
    return RoleGrantRequest.objects.filter(status=RoleGrantRequest.Status.PENDING).select_related(
        "account", "role", "requested_by"
    )
