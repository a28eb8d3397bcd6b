"""Trigram indexes for searching people by any part of a name, on PostgreSQL only.

Name search is `icontains` on three columns (`UPPER(col::text) LIKE UPPER('%word%')`), which a
b-tree cannot answer: without these it reads every person. GIN indexes with pg_trgm's operator
class on the same UPPER expressions answer it from the index. SQLite has no pg_trgm: nothing is
done there and search stays correct, reading the table.

pg_trgm is a trusted extension, but creating it needs CREATE on the database, which the owner
role does not have: `database_roles setup` (as a superuser) creates it first. If it is missing and
cannot be created here, the indexes are left out with a warning (search is then correct but slow).
"""

import warnings

from django.db import migrations

COLUMNS = ["given_name", "family_name", "preferred_name"]


def index_name(column):
    return f"patients_person_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT waypoint_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT waypoint_trgm")
            except Exception as exc:  # psycopg's InsufficientPrivilege, or pg_trgm not installed
                cursor.execute("ROLLBACK TO SAVEPOINT waypoint_trgm")
                warnings.warn(
                    f"pg_trgm could not be created ({exc}); name search will read the whole table. "
                    "Run `manage.py database_roles setup` as a superuser, then migrate again "
                    "(patients 0002 backwards and forwards).",
                    stacklevel=1,
                )
                return
        for column in COLUMNS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON patients_person "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
