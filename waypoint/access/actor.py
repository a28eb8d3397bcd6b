"""The acting user as one value: who, on what basis, under which break-glass reason, from which page.

The access policy builds it (`open_record`, `actor_for`); views pass it to services (`by=actor`);
services pass it to `audit.services.write`. Services never work out a basis themselves.
"""

from dataclasses import dataclass
from typing import Any

from waypoint.audit.models import Basis


@dataclass(frozen=True)
class Actor:
    user: Any  # the signed-in accounts.User (Any: access does not import accounts' model here)
    basis: str = Basis.NONE
    break_glass_reason: str = ""
    path: str = ""
