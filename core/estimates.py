"""Row counts from PostgreSQL's statistics, for tables too large to count."""

import json

from django.db import connections


def table_row_estimate(model, using):
    """Return PostgreSQL's row estimate for the model's table, or None before the first ANALYZE."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [model._meta.db_table])
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    return row[0]


def query_row_estimate(queryset):
    """Return the planner's row estimate for `queryset` from EXPLAIN (PostgreSQL only)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
