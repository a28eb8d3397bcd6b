#!/usr/bin/env python3
"""Open a Waypoint downtime pack with no Waypoint: a standalone script (Python 3 and pyrage only).

    pip install pyrage==1.4.0
    python3 open_pack.py downtime-pack-team-3-2026-12-02-0600.html.age --key team-key.txt
    # writes downtime-pack-team-3-2026-12-02-0600.html next to it: open that in any browser

    python3 open_pack.py --new-key team-key.txt
    # makes a key pair on the key holder's computer: keep team-key.txt safe (it is the private
    # key); give Waypoint's operator only the public key it prints (age1...)

The pack is in the standard age format, so the age command line tool opens it too:
`age --decrypt -i team-key.txt -o pack.html downtime-pack-....html.age`. See docs/continuity.md.
This file imports nothing from Waypoint: copy it onto the key holders' computers.
"""

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyrage


def read_identities(key_file: Path) -> list:
    """Every AGE-SECRET-KEY-1... line of an age identity file (comments are skipped)."""
    lines = key_file.read_text(encoding="utf-8").splitlines()
    keys = [line.strip() for line in lines if line.strip().upper().startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise SystemExit(f"{key_file} holds no age private key (a line starting AGE-SECRET-KEY-).")
    return [pyrage.x25519.Identity.from_str(key) for key in keys]


def open_pack(pack: Path, key_file: Path, out: Path | None = None) -> Path:
    out = out or pack.with_name(
        pack.name.removesuffix(".age") if pack.name.endswith(".age") else pack.name + ".html"
    )
    try:
        html = pyrage.decrypt(pack.read_bytes(), read_identities(key_file))
    except pyrage.DecryptError as error:
        raise SystemExit(
            f"Could not open {pack}: {error}. Is this the right key for this team's pack?"
        ) from None
    out.write_bytes(html)
    return out


def new_key(key_file: Path) -> str:
    if key_file.exists():
        raise SystemExit(f"{key_file} exists already: choose another name rather than overwrite a key.")
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    key_file.write_text(f"# created: {created}\n# public key: {public}\n{identity}\n", encoding="utf-8")
    key_file.chmod(0o600)
    return public


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Open a Waypoint downtime pack (age format).")
    parser.add_argument("pack", nargs="?", type=Path, help="the downloaded .html.age file")
    parser.add_argument("--key", type=Path, help="the age identity (private key) file")
    parser.add_argument("--out", type=Path, help="where to write the HTML (default: beside the pack)")
    parser.add_argument("--new-key", type=Path, metavar="KEY_FILE", help="make a new key pair instead")
    args = parser.parse_args(argv)
    if args.new_key:
        print(f"Public key (give this to Waypoint's operator): {new_key(args.new_key)}")
        print(f"Private key written to {args.new_key}: keep it safe, never on the Waypoint server.")
        return 0
    if not args.pack or not args.key:
        parser.error("give the pack and --key, or --new-key")
    print(f"Opened: {open_pack(args.pack, args.key, args.out)} (open it in any web browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
