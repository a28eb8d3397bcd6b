import pytest
from django.db import connection, transaction

from waypoint.continuity import state


@pytest.fixture
def continuity_files(settings, tmp_path):
    """This test's own flag file, spool and pack folder."""
    settings.WAYPOINT_READ_ONLY_FILE = str(tmp_path / "read-only.json")
    settings.WAYPOINT_AUDIT_SPOOL = str(tmp_path / "spool" / "audit-spool.jsonl")
    settings.WAYPOINT_DOWNTIME_PACK_DIR = str(tmp_path / "packs")
    return tmp_path


@pytest.fixture
def read_only(continuity_files):
    state.turn_on(reason="Synthetic maintenance", by="test")
    yield
    state.turn_off()


class _Refusal:
    """Make the database itself refuse writes, as a read-only replica does after a failover
    (PostgreSQL: a read-only transaction, inside a savepoint so that rolling the savepoint back
    lifts it; SQLite: `PRAGMA query_only`)."""

    def __init__(self):
        self.savepoint = None
        self.on = False

    def refuse(self):
        if connection.vendor == "postgresql":
            self.savepoint = transaction.savepoint()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        else:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = ON")
        self.on = True

    def lift(self):
        if not self.on:
            return
        if connection.vendor == "postgresql":
            transaction.savepoint_rollback(self.savepoint)  # nothing was written in it: it was read-only
        else:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        self.on = False


@pytest.fixture
def database_refuses_writes(db):
    refusal = _Refusal()
    yield refusal
    refusal.lift()
