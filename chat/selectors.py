"""Reads of chat sessions and messages shared by the API, the admin and the commands."""

from django.contrib.postgres.search import SearchConfig, SearchQuery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef, Q

from chat.models import ChatMessage, ChatSession


class SessionSearchConfig(Func):
    """SQL chat_search_config(language): the text search configuration for a BCP-47 tag."""

    function = "chat_search_config"
    output_field = SearchConfig("simple").output_field


# Every text search configuration that chat_search_config() returns.
SEARCH_CONFIGS = (
    "arabic", "catalan", "danish", "dutch", "english", "finnish", "french", "german", "greek", "hungarian",
    "indonesian", "italian", "lithuanian", "norwegian", "portuguese", "romanian", "russian", "simple",
    "spanish", "swedish", "turkish",
)  # fmt: skip


def filter_sessions_by_text(queryset, text):
    """Keep the sessions with a message matching `text`.

    PostgreSQL: full-text search (websearch syntax) in the configuration of
    each session's language. The query is parsed once per configuration, so
    the GIN index on chat_messages.search_vector finds the candidate messages,
    and a message counts only when the configuration of its session's
    language is the one it matched in. SQLite: case-insensitive substring
    match, where case folding covers ASCII letters only.
    """
    text = text.strip()
    if not text:
        return queryset

    if connection.vendor == "postgresql":
        in_session_config = Q()
        for config in SEARCH_CONFIGS:
            query = SearchQuery(text, config=config, search_type="websearch")
            in_session_config |= Q(search_vector=query, session_config=SearchConfig(config))
        matches = ChatMessage.objects.annotate(session_config=SessionSearchConfig("session__language"))
        return queryset.filter(pk__in=matches.filter(in_session_config).values("session_id"))

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


def message_counts(session_ids):
    """Return {session id: number of messages} for `session_ids` in one query, leaving out sessions without any."""
    rows = (
        ChatMessage.objects.filter(session_id__in=session_ids)
        .values_list("session_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return dict(rows)


def transcript_page(session, page_number, *, per_page):
    """Return the Page of `session`'s messages in chronological order; a bad page number gives the nearest page."""
    messages = ChatMessage.objects.filter(session=session).defer("search_vector").chronological()
    return Paginator(messages, per_page).get_page(page_number)
