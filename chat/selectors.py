"""Reads of chat sessions and messages shared by the API, the admin and the commands."""

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef, Q
from django.contrib.postgres.search import SearchConfig

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

    conditions = Q()
    for key, value in metadata.items():
        conditions &= Q(**{f"metadata__{key}": value})
    return queryset.filter(conditions)


def session_list_for(user):
    """Return the sessions `user` may see, with related rows for listing."""
    return ChatSession.objects.visible_to(user).select_related("company", "user", "client")


def session_with_message_count(queryset):
    return queryset.annotate(message_count=Count("messages"))


def count_sessions_and_messages_by_company_language(*, company=None):
    """Return [{"company", "language", "sessions", "messages"}] sorted by company slug and language.

    One grouped query for sessions and one for messages, so the cost is two
    scans whatever the number of companies. Only pairs with sessions appear.
    """
    sessions = ChatSession.objects.all() if company is None else ChatSession.objects.for_company(company)
    messages = ChatMessage.objects.all() if company is None else ChatMessage.objects.for_company(company)
    session_counts = sessions.order_by().values_list("company__slug", "language").annotate(count=Count("id"))
    message_counts = (
        messages.order_by().values_list("session__company__slug", "session__language").annotate(count=Count("id"))
    )

    rows = {(slug, language): {"sessions": count, "messages": 0} for slug, language, count in session_counts}
    for slug, language, count in message_counts:
        # setdefault: a session created between the two queries has no sessions row.
        rows.setdefault((slug, language), {"sessions": 0, "messages": 0})["messages"] = count
    return [
        {"company": slug, "language": language, **counts} for (slug, language), counts in sorted(rows.items())
    ]
