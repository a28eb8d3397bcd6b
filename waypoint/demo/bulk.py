"""Fast bulk writes for the synthetic Trust (issue 19).

On PostgreSQL, `insert` reserves a block of primary keys from the table's sequence in one query
and streams the rows with COPY, which is many times faster than INSERT (Django's bulk_create
quotes every value in Python on a client-side cursor). `update` copies the changed columns into
a temporary table and applies them with one UPDATE ... FROM. `copy_rows` streams plain tuples for
the history tables, where building millions of model instances would cost more than writing them.

Elsewhere (the embedded SQLite default, where `make demo` runs), they fall back to bulk_create and
bulk_update, so the small demo Trust is unchanged.

Only for the synthetic Trust: no audit rows, no model save() hooks, no signals.
"""

from django.db import connection
from django.db.models import NOT_PROVIDED

BATCH = 1000
# Fresh primary keys in one query. `nextval` needs only USAGE on the sequence: the application role
# has no UPDATE on sequences (audit/dbroles.py), so it may not call `setval`.
RESERVE_IDS_SQL = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model` (PostgreSQL), in one query. `nextval` needs only
    USAGE on the sequence, so the application role (which has no UPDATE on sequences, and so may
    not call `setval`) can build the demo Trust too (`make demo` on PostgreSQL)."""
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(RESERVE_IDS_SQL, [table, column, count])
        return [row[0] for row in cursor.fetchall()]


def _copyable(model) -> bool:
    return all(field.db_default is NOT_PROVIDED for field in model._meta.concrete_fields)


def insert(objs, *, model=None, batch_size=None):
    """Insert model instances (all of one model) and give them primary keys. Returns `objs`."""
    objs = list(objs)
    if not objs:
        return objs
    model = model or type(objs[0])
    if not _postgres() or not _copyable(model):
        return model.objects.bulk_create(objs, batch_size=BATCH)
    pk = model._meta.pk
    missing = [obj for obj in objs if obj.pk is None]
    for obj, new_id in zip(missing, reserve_ids(model, len(missing)), strict=True):
        setattr(obj, pk.attname, new_id)
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def copy_rows(table: str, columns: list[str], rows) -> int:
    """Stream plain tuples into `table` (PostgreSQL only; values already in database form)."""
    count = 0
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def update(objs, fields: list[str], *, model=None) -> None:
    """Write `fields` of these (saved) instances back in one statement on PostgreSQL."""
    objs = list(objs)
    if not objs:
        return
    model = model or type(objs[0])
    if not _postgres():
        model.objects.bulk_update(objs, fields, batch_size=BATCH)
        return
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    pk = meta.pk
    quote = connection.ops.quote_name
    temp = f"tmp_update_{meta.db_table}"[:60]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(temp)} ON COMMIT DROP AS "
            f"SELECT {', '.join(quote(c) for c in [pk.column, *[f.column for f in model_fields]])} "
            f"FROM {quote(meta.db_table)} WITH NO DATA"
        )
        columns = ", ".join(quote(c) for c in [pk.column, *[f.column for f in model_fields]])
        with cursor.cursor.copy(f"COPY {quote(temp)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [obj.pk, *[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields]]
                )
        assignments = ", ".join(f"{quote(f.column)} = t.{quote(f.column)}" for f in model_fields)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS m SET {assignments} FROM {quote(temp)} AS t "
            f"WHERE m.{quote(pk.column)} = t.{quote(pk.column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temp)}")


class without_indexes:
    """Drop these models' plain indexes for a bulk load and build them again afterwards (PostgreSQL,
    as the tables' owner or a superuser): one CREATE INDEX over the loaded table is far cheaper
    than maintaining the index row by row. Indexes that back a constraint (primary keys, unique)
    stay. Elsewhere, or without the privilege, it does nothing."""

    def __init__(self, *models, minimum_rows=0, expected_rows=0):
        self.models = models
        self.enabled = _postgres() and expected_rows >= minimum_rows
        self.dropped: list[tuple[str, str]] = []

    def __enter__(self):
        if not self.enabled:
            return self
        tables = [model._meta.db_table for model in self.models]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                JOIN pg_class c ON c.relname = i.indexname
                JOIN pg_index x ON x.indexrelid = c.oid
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT x.indisprimary AND NOT x.indisunique
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
                  AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = x.indrelid), 'USAGE')
                """,
                [tables],
            )
            found = cursor.fetchall()
            for name, definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.dropped.append((name, definition))
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None and self.dropped:
            with connection.cursor() as cursor:
                # Deferred foreign-key checks still queued would refuse CREATE INDEX: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for _name, definition in self.dropped:
                    cursor.execute(definition)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return False
