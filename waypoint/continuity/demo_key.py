"""The demo's downtime pack key (`make demo` only; settings.local). NOT FOR PRODUCTION.

In the demo there is no Trust key holder, so the first start makes a clearly marked demo key pair
in `var/demo-downtime-pack-key.txt` (never committed: `var/` is ignored) and gives Waypoint its
public half, so the scheduled job writes packs and the download page works end to end. Production
never comes here: settings.production reads WAYPOINT_DOWNTIME_PACK_RECIPIENTS from the environment
only, and the private key stays with the Trust's key holders, never beside the packs.
"""

from datetime import UTC, datetime
from pathlib import Path

import pyrage

HEADER = "# DEMO KEY ONLY - synthetic data - never use for real packs (docs/continuity.md)\n"


def demo_recipient(key_file: Path) -> str:
    """The public key (age1...) of the demo key pair in `key_file`, made on first use."""
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        identity = pyrage.x25519.Identity.generate()
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        key_file.write_text(
            f"{HEADER}# created: {created}\n# public key: {identity.to_public()}\n{identity}\n",
            encoding="utf-8",
        )
        key_file.chmod(0o600)
    for line in key_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            return str(pyrage.x25519.Identity.from_str(line).to_public())
    raise ValueError(f"{key_file} holds no age key: delete it to make a new demo key.")
