"""PostgreSQL-only search objects: metadata GIN index and message full-text search.

`chat_search_config(language)` maps a BCP-47 tag to a text search
configuration by its primary subtag ("es-MX" -> spanish), falling back to
"simple". A trigger fills chat_messages.search_vector with the configuration
of the session's language, and a second trigger refreshes the vectors of a
session's messages when its language changes. SQLite skips all of this.
"""

from django.db import migrations

from core.migration_operations import PostgreSQLOnlyRunSQL

SEARCH_CONFIG_FUNCTION = """
CREATE OR REPLACE FUNCTION chat_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(split_part(language, '-', 1))
        WHEN 'ar' THEN 'arabic' WHEN 'ca' THEN 'catalan' WHEN 'da' THEN 'danish'
        WHEN 'de' THEN 'german' WHEN 'el' THEN 'greek' WHEN 'en' THEN 'english'
        WHEN 'es' THEN 'spanish' WHEN 'fi' THEN 'finnish' WHEN 'fr' THEN 'french'
        WHEN 'hu' THEN 'hungarian' WHEN 'id' THEN 'indonesian' WHEN 'it' THEN 'italian'
        WHEN 'lt' THEN 'lithuanian' WHEN 'nl' THEN 'dutch' WHEN 'no' THEN 'norwegian'
        WHEN 'nb' THEN 'norwegian' WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian'
        WHEN 'ru' THEN 'russian' WHEN 'sv' THEN 'swedish' WHEN 'tr' THEN 'turkish'
        ELSE 'simple'
    END::regconfig
$$;
"""

MESSAGE_TRIGGER = """
CREATE OR REPLACE FUNCTION chat_messages_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := to_tsvector(
        chat_search_config((SELECT language FROM chat_sessions WHERE id = NEW.session_id)),
        coalesce(NEW.content, '')
    );
    RETURN NEW;
END
$$;
CREATE TRIGGER chat_messages_search_vector
    BEFORE INSERT OR UPDATE OF content, session_id ON chat_messages
    FOR EACH ROW EXECUTE FUNCTION chat_messages_search_vector_update();
"""

SESSION_LANGUAGE_TRIGGER = """
CREATE OR REPLACE FUNCTION chat_sessions_language_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chat_messages
    SET search_vector = to_tsvector(chat_search_config(NEW.language), coalesce(content, ''))
    WHERE session_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER chat_sessions_language
    AFTER UPDATE OF language ON chat_sessions
    FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
    EXECUTE FUNCTION chat_sessions_language_update();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
    ]

    operations = [
        PostgreSQLOnlyRunSQL(
            "CREATE INDEX chat_sessions_metadata_gin ON chat_sessions USING gin (metadata jsonb_path_ops);",
            "DROP INDEX IF EXISTS chat_sessions_metadata_gin;",
        ),
        PostgreSQLOnlyRunSQL(SEARCH_CONFIG_FUNCTION, "DROP FUNCTION IF EXISTS chat_search_config(text);"),
        PostgreSQLOnlyRunSQL(
            MESSAGE_TRIGGER,
            "DROP TRIGGER IF EXISTS chat_messages_search_vector ON chat_messages;"
            "DROP FUNCTION IF EXISTS chat_messages_search_vector_update();",
        ),
        PostgreSQLOnlyRunSQL(
            SESSION_LANGUAGE_TRIGGER,
            "DROP TRIGGER IF EXISTS chat_sessions_language ON chat_sessions;"
            "DROP FUNCTION IF EXISTS chat_sessions_language_update();",
        ),
        PostgreSQLOnlyRunSQL(
            "CREATE INDEX chat_messages_search_gin ON chat_messages USING gin (search_vector);",
            "DROP INDEX IF EXISTS chat_messages_search_gin;",
        ),
    ]
