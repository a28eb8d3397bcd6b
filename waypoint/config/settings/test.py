"""Settings for the test suite (pytest). SQLite in memory unless DATABASE_URL is set."""

import os
import tempfile

from waypoint.config.env import env_database, env_list

os.environ.setdefault("WAYPOINT_DEMO_DOWNTIME_KEY", "false")  # no demo key made by the test suite
from .local import *  # noqa: E402, F403

DEBUG = False
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
DATABASES = {"default": env_database(":memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA busy_timeout=20000;"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production uses argon2
WAYPOINT_DEMO_PASSWORD = "test-password-123"
WAYPOINT_MFA_REQUIRED = False  # browser and unit tests sign in with a password; MFA tests override it
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # tasks run at once
# Continuity files live in a folder of this test process's own, so a demo left read-only (var/)
# never pauses the suite and parallel workers never share a flag, a spool or a pack.
_CONTINUITY_DIR = os.path.join(tempfile.gettempdir(), f"waypoint-test-continuity-{os.getpid()}")
WAYPOINT_READ_ONLY_FILE = os.path.join(_CONTINUITY_DIR, "read-only.json")
WAYPOINT_AUDIT_SPOOL = os.path.join(_CONTINUITY_DIR, "audit-spool.jsonl")
WAYPOINT_DOWNTIME_PACK_DIR = os.path.join(_CONTINUITY_DIR, "downtime-packs")
# No demo downtime key in tests: as in base, only what the environment gives (tests set their own).
WAYPOINT_DOWNTIME_PACK_RECIPIENTS = env_list("WAYPOINT_DOWNTIME_PACK_RECIPIENTS", [])
