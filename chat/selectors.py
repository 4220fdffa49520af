"""Reads of chat sessions and messages shared by the API, the admin and the commands."""

from django.contrib.postgres.search import SearchConfig, SearchQuery
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef
from django.db.models.fields.json import KeyTransform

from chat.models import ChatMessage, ChatSession


class SessionSearchConfig(Func):
    """SQL chat_search_config(language): the text search configuration for a BCP-47 tag."""

    function = "chat_search_config"
    output_field = SearchConfig("simple").output_field


def filter_sessions_by_text(queryset, text):
    """Keep the sessions with a message matching `text`.

    PostgreSQL: full-text search (websearch syntax) in the configuration of
    each session's language, answered from the GIN index on
    chat_messages.search_vector. SQLite: case-insensitive substring match,
    where case folding covers ASCII letters only.
    """
    text = text.strip()
    if not text:
        return queryset

    if connection.vendor == "postgresql":
        # NOTE: the configuration depends on each session's language, so the
        # GIN index cannot answer the query in one scan, and a word that no
        # message has makes PostgreSQL probe every session of the company
        # (over a second at 100,000 sessions; see docs/indexes.md).
        query = SearchQuery(text, config=SessionSearchConfig(OuterRef("language")), search_type="websearch")
        matches = ChatMessage.objects.filter(session=OuterRef("pk"), search_vector=query)
    else:
        matches = ChatMessage.objects.filter(session=OuterRef("pk"), content__icontains=text)
    return queryset.filter(Exists(matches))


def filter_sessions_by_metadata(queryset, metadata):
    """Keep the sessions whose metadata contains the JSON object `metadata`.

    PostgreSQL answers `@>` from the GIN index. SQLite has no containment
    operator, so each top-level key becomes an exact key lookup; nested objects
    there must match whole.
    """
    if connection.vendor == "postgresql":
        return queryset.filter(metadata__contains=metadata)

    # KeyTransform, rather than `metadata__<key>` lookups, so that a key such
    # as "contains" or "a__b" stays a key instead of becoming a lookup or a path.
    aliases = {f"metadata_key_{index}": KeyTransform(key, "metadata") for index, key in enumerate(metadata)}
    conditions = {alias: value for alias, value in zip(aliases, metadata.values(), strict=True)}
    return queryset.alias(**aliases).filter(**conditions)


def session_list_for(user):
    """Return the sessions `user` may see, with related rows for listing."""
    return ChatSession.objects.visible_to(user).select_related("company", "user", "client")


def session_with_message_count(queryset):
    return queryset.annotate(message_count=Count("messages"))
