"""Waypoint's two PostgreSQL roles, so the audit trail and signed records are safe from Waypoint itself.

Hazard H3. On PostgreSQL Waypoint uses two login roles, neither a superuser:

- the **owner** owns every table, sequence and trigger function in the schema. Migrations run as
  the owner, and nothing else does.
- the **application** role is what the running service connects as. It owns nothing, so it cannot
  ALTER a table (no `DISABLE TRIGGER`), and as it is not a superuser it cannot
  `SET session_replication_role = replica` (which skips triggers). It has no TRUNCATE on anything
  (row triggers do not see a TRUNCATE) and:

  | Tables | The application may |
  |---|---|
  | `APPEND_ONLY`: the audit table, addenda, assessment revisions | SELECT, INSERT |
  | `NEVER_DELETED`: notes, plan revisions, assessments | SELECT, INSERT, UPDATE (the triggers refuse changes to signed, agreed or completed rows) |
  | every other table | SELECT, INSERT, UPDATE, DELETE |

  and USAGE and SELECT on sequences.

`setup_roles` does all of this, idempotently, connected as a superuser (the `database_roles setup`
command). Run it before `migrate` (so the owner exists and can create tables) and again after (so
tables the migrations created get exactly the privileges above; default privileges give new tables
the "every other table" set in between). `privileged_role_problems` is the start-up check: it lists
what makes the connected role unfit to run the service (superuser, owner of a table or of the
database, able to create roles, able to change or empty the audit table).

Every function takes a psycopg 3 connection in autocommit mode (Django's `connection.connection`).
"""

import re

from psycopg import errors, sql

APPEND_ONLY = ["audit_auditevent", "notes_addendum", "assessments_assessmentrevision"]
APPEND_ONLY += ["measures_measure"]  # outcome measures: recorded complete, corrected by replacement
APPEND_ONLY += [  # issue 11: written once, corrected only by a separate entered-in-error row
    "medicines_depotadministration",
    "medicines_administrationenteredinerror",
    "medicines_physicalhealthcheck",
    "medicines_measurement",
    "medicines_healthflag",
    "medicines_flagaction",
    "medicines_checkenteredinerror",
    "medicines_briefintervention",
    "medicines_briefinterventionenteredinerror",
]
APPEND_ONLY += ["safeguarding_concernaddendum", "incidents_incidentaddendum"]  # issue 13
APPEND_ONLY += ["safeguarding_concernhouseholdlink"]  # issue 13: a concern's household member
NEVER_DELETED = ["notes_note", "plans_planrevision", "assessments_assessment", "notes_countersignature"]
NEVER_DELETED += ["medicines_medicine", "medicines_allergy", "medicines_depotprescription"]  # issue 11
NEVER_DELETED += [  # issue 13
    "safeguarding_concern",
    "incidents_incident",
    "incidents_incidentperson",
    "incidents_incidentaction",
    "meetings_discussion",
    "safeguarding_householdmember",
]
NEVER_DELETED += [  # issue 12: legal records, corrected by entered in error or ended (legal 0005)
    "legal_mhaperiod",
    "legal_periodevent",
    "legal_rightsexplanation",
    "legal_aftercare",
    "legal_assessmentrequest",
    "legal_amhpassessment",
    "legal_libertyauthorisation",
    "legal_libertyassessment",
    "legal_relativeevent",
    "legal_advancedecision",
    "legal_capacityassessment",
    "legal_bestinterestsdecision",
    "legal_powerofattorney",
    "legal_imcareferral",
    "legal_caretreatmentplan",
    "legal_libertyreview",
]
NEVER_DELETED += ["contacts_codedintervention"]  # issue 10: a coded intervention (part of the 4-week clock)
APPEND_ONLY_PRIVILEGES = ["SELECT", "INSERT"]
NEVER_DELETED_PRIVILEGES = ["SELECT", "INSERT", "UPDATE"]
DEFAULT_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"]
AUDIT_TABLE = "audit_auditevent"

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleSetupError(Exception):
    """Something about the roles or the connection that an operator must put right."""


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name or ""):
        raise RoleSetupError(
            f"{name!r} is not a role name Waypoint accepts: use lower-case letters, digits and "
            "underscores, starting with a letter or underscore, at most 63 characters."
        )
    if name.startswith("pg_") or name in {"postgres", "public"}:
        raise RoleSetupError(f"{name!r} is reserved: choose another role name.")
    return name


def privileges_for(table: str) -> list[str]:
    if table in APPEND_ONLY:
        return APPEND_ONLY_PRIVILEGES
    if table in NEVER_DELETED:
        return NEVER_DELETED_PRIVILEGES
    return DEFAULT_PRIVILEGES


def _run(conn, statement, params=None):
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def _ensure_role(conn, name: str, password: str | None):
    """Create the login role, or put its attributes back if it exists. Safe when several processes
    (pytest-xdist workers) do it at once: roles are cluster-wide, so a concurrent CREATE may win."""
    attributes: sql.Composable = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    )
    if password:
        attributes = sql.SQL("{} PASSWORD {}").format(attributes, sql.Literal(password))
    try:
        with conn.transaction():  # a savepoint if a transaction is open, so the failure is contained
            _run(conn, sql.SQL("CREATE ROLE {} WITH {}").format(sql.Identifier(name), attributes))
    except (errors.DuplicateObject, errors.UniqueViolation):
        _run(conn, sql.SQL("ALTER ROLE {} WITH {}").format(sql.Identifier(name), attributes))


def _connected_as_superuser(conn) -> bool:
    return bool(_run(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0])


def setup_roles(conn, *, owner: str, owner_password: str | None, app: str, app_password: str | None):
    """Create (or repair) both roles and give them exactly their privileges in this database."""
    check_role_name(owner)
    check_role_name(app)
    if owner == app:
        raise RoleSetupError("The owner role and the application role must be different roles.")
    if not _connected_as_superuser(conn):
        raise RoleSetupError(
            "Setting up the database roles needs a PostgreSQL superuser: run it with DATABASE_URL "
            "pointing at a superuser, not at the owner or application role."
        )
    database = _run(conn, "SELECT current_database()")[0][0]
    owner_id, app_id, db_id = sql.Identifier(owner), sql.Identifier(app), sql.Identifier(database)
    _ensure_role(conn, owner, owner_password)
    _ensure_role(conn, app, app_password)
    # The application must not be able to act as the owner, nor the owner as the application.
    _run(conn, sql.SQL("REVOKE {} FROM {}").format(owner_id, app_id))
    _run(conn, sql.SQL("REVOKE {} FROM {}").format(app_id, owner_id))

    _run(conn, sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}, {}").format(db_id, owner_id, app_id))
    _run(conn, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    # Name search's trigram indexes (patients 0002) need pg_trgm, which only a superuser may add.
    _run(conn, "CREATE EXTENSION IF NOT EXISTS pg_trgm")
    _run(conn, sql.SQL("GRANT USAGE, CREATE ON SCHEMA public TO {}").format(owner_id))
    _run(conn, sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app_id))

    # Everything already in the schema (tables made by an earlier migrate as another role) moves to
    # the owner: tables and views; sequences not tied to a table; trigger and other functions.
    relations = _run(
        conn,
        """
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
          AND NOT (c.relkind = 'S' AND EXISTS (
            SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        ORDER BY c.relkind DESC, c.relname
        """,
        [owner],
    )
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for name, kind in relations:
        _run(
            conn,
            sql.SQL("ALTER {} {} OWNER TO {}").format(
                sql.SQL(kinds[kind]), sql.Identifier("public", name), owner_id
            ),
        )
    functions = _run(
        conn,
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        """,
        [owner],
    )
    for (signature,) in functions:
        _run(conn, sql.SQL("ALTER ROUTINE {} OWNER TO {}").format(sql.SQL(signature), owner_id))

    # Tables the owner creates from now on (later migrations): the ordinary set, never TRUNCATE.
    default_privileges = sql.SQL(", ").join(sql.SQL(p) for p in DEFAULT_PRIVILEGES)
    _run(
        conn,
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public REVOKE ALL ON TABLES FROM {}").format(
            owner_id, app_id
        ),
    )
    _run(
        conn,
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}").format(
            owner_id, default_privileges, app_id
        ),
    )
    _run(
        conn,
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(owner_id, app_id),
    )
    grant_table_privileges(conn, app)


def grant_table_privileges(conn, app: str):
    """Give the application role exactly its privileges on every table in the schema."""
    app_id = sql.Identifier(app)
    tables = _run(
        conn,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname",
    )
    for (table,) in tables:
        table_id = sql.Identifier("public", table)
        _run(conn, sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC, {}").format(table_id, app_id))
        privileges = sql.SQL(", ").join(sql.SQL(p) for p in privileges_for(table))
        _run(conn, sql.SQL("GRANT {} ON TABLE {} TO {}").format(privileges, table_id, app_id))
    _run(conn, sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(app_id))


def privileged_role_problems(conn) -> list[str]:
    """Why the connected role must not run the service; empty when it is a proper application role."""
    superuser, create_role, bypass_rls, role = _run(
        conn,
        "SELECT rolsuper, rolcreaterole, rolbypassrls, rolname FROM pg_roles WHERE rolname = current_user",
    )[0]
    problems = []
    if superuser:
        problems.append(f"the database role {role!r} is a PostgreSQL superuser")
    if create_role:
        problems.append(f"the database role {role!r} can create roles (and so grant itself others)")
    if bypass_rls:
        problems.append(f"the database role {role!r} bypasses row-level security")
    if _run(
        conn,
        "SELECT pg_has_role(current_user, datdba, 'USAGE') FROM pg_database WHERE datname = current_database()",
    )[0][0]:
        problems.append(f"the database role {role!r} owns the database (or is a member of its owner)")
    owned = _run(
        conn,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') "
        "AND pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY c.relname",
    )
    if owned:
        names = ", ".join(name for (name,) in owned[:5]) + (" and others" if len(owned) > 5 else "")
        problems.append(
            f"the database role {role!r} owns Waypoint's tables ({names}), so it could disable their triggers"
        )
    truncatable = _run(
        conn,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
        "AND has_table_privilege(current_user, c.oid, 'TRUNCATE') ORDER BY c.relname",
    )
    if truncatable:
        names = ", ".join(name for (name,) in truncatable[:5]) + (
            " and others" if len(truncatable) > 5 else ""
        )
        problems.append(f"the database role {role!r} may TRUNCATE tables ({names})")
    audit = _run(
        conn,
        "SELECT has_table_privilege(current_user, c.oid, 'UPDATE') OR has_table_privilege(current_user, c.oid, 'DELETE') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = %s",
        [AUDIT_TABLE],
    )
    if audit and audit[0][0]:
        problems.append(f"the database role {role!r} may UPDATE or DELETE rows of the audit table")
    return problems


def refuse_privileged_role(connection=None):
    """The production start-up check: raise `ImproperlyConfigured` if the service's database role
    could tamper with the audit trail or signed records. Does nothing on SQLite, which has no roles
    (production should use PostgreSQL: see the hazard log, H3)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection as default_connection

    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    problems = privileged_role_problems(connection.connection)
    if problems:
        raise ImproperlyConfigured(
            "Waypoint will not start: "
            + "; ".join(problems)
            + ". Connect as the application role made by `manage.py database_roles setup` "
            "(neither superuser nor owner); run migrations as the owner role. See the README."
        )


def refuse_privileged_role_at_start_up():
    """Called by `config/wsgi.py` when the service starts, if `WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE`
    (True in production settings). Closes the connection afterwards, so no worker inherits it."""
    from django.conf import settings
    from django.db import connection

    if not getattr(settings, "WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE", False):
        return
    try:
        refuse_privileged_role(connection)
    finally:
        connection.close()


def database_role_check(app_configs=None, databases=None, **kwargs):
    """The same check as a deploy system check: `manage.py check --deploy --database default`.
    (Not a plain database check, because `migrate` runs those and migrations run as the owner.)"""
    from django.core.checks import Error
    from django.db import connections

    errors_found = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        connection.ensure_connection()
        for problem in privileged_role_problems(connection.connection):
            errors_found.append(
                Error(
                    f"Waypoint must not run as this database role: {problem}.",
                    hint="Connect as the application role made by `manage.py database_roles setup`.",
                    id="waypoint.E001",
                )
            )
    return errors_found
