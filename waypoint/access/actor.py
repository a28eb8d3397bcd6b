"""The acting user as one value: who, on what basis, under which break-glass reason, from which page.

The access policy builds it (`open_record`, `actor_for`); views pass it to services (`by=actor`);
services pass it to `audit.services.write`. Services never work out a basis themselves.
"""

from dataclasses import dataclass, replace

from waypoint.audit.models import Basis


@dataclass(frozen=True)
class Actor:
    user: object
    basis: str = Basis.NONE
    break_glass_reason: str = ""
    path: str = ""

    def with_basis(self, basis: str) -> "Actor":
        """The same user and page on another basis (a privacy review, a registration)."""
        return replace(
            self,
            basis=basis,
            break_glass_reason="" if basis != Basis.BREAK_GLASS else self.break_glass_reason,
        )
