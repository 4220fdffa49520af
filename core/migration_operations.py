"""Migration operations for PostgreSQL-only schema objects."""

from django.db import migrations


class PostgreSQLOnlyRunSQL(migrations.RunSQL):
    """RunSQL that is skipped on databases other than PostgreSQL.

    Used for GIN indexes, full-text search triggers and functions, which
    SQLite does not have; the SQLite code paths fall back to plain lookups.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
