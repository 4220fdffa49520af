"""Fast bulk inserts of plain rows for data generators (demo data, benchmarks).

Django's bulk_create spends most of its time compiling SQL for each model
instance. These helpers take tuples instead: PostgreSQL gets them through
COPY, other databases through executemany(). Callers pass values already
valid for the columns and keep the model's invariants themselves.
"""

import json

from django.db import connection


def adapt_value(value):
    """Return `value` as the database driver expects it (JSON text for dicts, UTC datetimes)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def insert_rows(table, columns, rows):
    """Insert `rows` (tuples in `columns` order) into `table`; return how many were inserted."""
    rows = [tuple(adapt_value(value) for value in row) for row in rows]
    if not rows:
        return 0

    quoted_table = connection.ops.quote_name(table)
    quoted_columns = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted_table} ({quoted_columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quoted_table} ({quoted_columns}) VALUES ({placeholders})", rows)
    return len(rows)
