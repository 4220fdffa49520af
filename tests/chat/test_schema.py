"""The PostgreSQL schema as the product contract names it, read back through introspection."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def column_types(table):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT column_name, data_type, character_maximum_length, is_nullable
            FROM information_schema.columns WHERE table_name = %s
            """,
            [table],
        )
        return {name: (data_type, length, nullable) for name, data_type, length, nullable in cursor.fetchall()}


def index_definitions(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_tables_exist():
    tables = set(connection.introspection.table_names())

    assert {"companies", "users", "clients", "chat_sessions", "chat_messages"} <= tables


def test_chat_sessions_columns():
    columns = column_types("chat_sessions")

    assert columns["id"] == ("character varying", 255, "NO")
    assert columns["company_id"] == ("bigint", None, "NO")
    assert columns["user_id"] == ("bigint", None, "YES")
    assert columns["client_id"] == ("character varying", 255, "YES")
    assert columns["language"] == ("character varying", 10, "NO")
    assert columns["created_at"] == ("timestamp with time zone", None, "NO")
    assert columns["last_message_at"] == ("timestamp with time zone", None, "NO")
    assert columns["metadata"] == ("jsonb", None, "NO")


def test_chat_messages_columns():
    columns = column_types("chat_messages")

    assert columns["id"] == ("bigint", None, "NO")
    assert columns["session_id"] == ("character varying", 255, "NO")
    assert columns["content"] == ("text", None, "NO")
    assert columns["metadata"] == ("jsonb", None, "NO")


def test_chat_sessions_indexes():
    indexes = index_definitions("chat_sessions")

    assert "(last_message_at DESC)" in indexes["chat_sessions_last_msg_idx"]
    assert "(company_id, last_message_at DESC, id DESC)" in indexes["chat_sessions_co_last_msg_idx"]
    assert "USING gin (metadata jsonb_path_ops)" in indexes["chat_sessions_metadata_gin"]
    definitions = " ".join(indexes.values())
    assert "(user_id)" in definitions
    assert "(client_id)" in definitions
    assert "(company_id)" in definitions


def test_chat_messages_indexes():
    indexes = index_definitions("chat_messages")

    assert "(session_id, created_at, id)" in indexes["chat_messages_session_time_idx"]
    assert "USING gin (search_vector)" in indexes["chat_messages_search_gin"]
