"""The demo's downtime pack key (settings.local): made once in var/, public half given to Waypoint."""

import stat

import pyrage
import pytest

from waypoint.continuity.demo_key import HEADER, demo_recipient


def test_demo_key_made_once_marked_and_private(tmp_path):
    key_file = tmp_path / "demo-downtime-pack-key.txt"
    public = demo_recipient(key_file)
    assert public.startswith("age1")
    text = key_file.read_text()
    assert text.startswith(HEADER) and "DEMO KEY ONLY" in text
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert demo_recipient(key_file) == public  # the same key on the next start

    secret = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-"))
    sealed = pyrage.encrypt(b"pack", [pyrage.x25519.Recipient.from_str(public)])
    assert pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(secret)]) == b"pack"


def test_a_file_with_no_key_is_refused(tmp_path):
    key_file = tmp_path / "k.txt"
    key_file.write_text("# nothing\n")
    with pytest.raises(ValueError):
        demo_recipient(key_file)
