"""Who is calling: an OAuth 2.0 bearer token (django-oauth-toolkit), checked on every request.

- A member of staff's token (authorization code flow with PKCE: they signed in to Waypoint, with
  their second factor, and approved the client) acts as that member of staff: the client sees what
  they may see, nothing more.
- A system client's token (client credentials) acts as the client's service account
  (`clients.py`), whose access is the `shared_care_record` basis.

Scopes name what may be read, one per resource type: `user/Patient.read` for a staff token,
`system/Patient.read` for a system client.
"""

import hashlib
from dataclasses import dataclass

from oauth2_provider.models import AccessToken
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2 import Server


@dataclass(frozen=True)
class Caller:
    user: object
    client_name: str
    is_system: bool
    scopes: frozenset = frozenset()


class NotAuthorised(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


class _Validator(OAuth2Validator):
    """django-oauth-toolkit's own checks, with the token's application's service account read in
    the same query as the token (a system client's caller is that account)."""

    def _load_access_token(self, token):
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return (
            AccessToken.objects.select_related("application", "application__user", "user")
            .filter(token_checksum=checksum)
            .first()
        )


# Built once per process: the server and its validator keep no state between requests.
_core = OAuthLibCore(Server(_Validator()))


def caller_for(request, resource_type: str) -> Caller:
    """The caller, if its token is valid and carries the scope to read `resource_type`."""
    core = _core
    valid, oauth_request = core.verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None)
    if not valid or token is None:
        raise NotAuthorised(401, "A valid bearer token is needed")
    application = token.application
    user = token.user
    is_system = user is None
    if is_system:
        user = application.user if application else None
        if user is None or not user.has_role("system_client"):
            raise NotAuthorised(403, "This client has no service account")
    if not user.is_active:
        raise NotAuthorised(401, "The account behind this token is no longer active")
    scope = f"{'system' if is_system else 'user'}/{resource_type}.read"
    if scope not in token.scope.split():
        raise NotAuthorised(403, f"The token does not carry the scope {scope}")
    return Caller(
        user=user,
        client_name=application.name if application else "",
        is_system=is_system,
        scopes=frozenset(token.scope.split()),
    )


def caller_may_read(caller: Caller, resource_type: str) -> bool:
    """Whether the caller's token also carries the scope for another type (an `_include`d one)."""
    return f"{'system' if caller.is_system else 'user'}/{resource_type}.read" in caller.scopes
