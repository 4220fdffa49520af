"""Reads of chat sessions and messages shared by the API, the admin and the commands."""

from django.contrib.postgres.search import SearchConfig, SearchQuery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef, Q
from django.db.models.fields.json import KeyTransform

from chat.models import ChatMessage, ChatSession
from core.estimates import query_row_estimate


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


# Above this many messages expected by the planner, a word is too common to
# start from. The estimate for a lexeme missing from the column statistics is
# a floor that does not depend on the word (45,000 of 3 million messages in
# docs/admin-benchmarks.md), so the limit sits above it.
CANDIDATE_MAX_ESTIMATE = 50_000


def sessions_with_text_candidates(messages, text, *, max_messages):
    """Return the ids of sessions with a message that may match `text`, or None when that is not cheap to know.

    PostgreSQL only: the GIN index finds the `messages` (a ChatMessage
    queryset, already scoped to a company when it should be) matching `text`
    in any text search configuration, a superset of the true matches of
    filter_sessions_by_text(). Returns None on SQLite, for empty text, when
    the planner expects more than CANDIDATE_MAX_ESTIMATE matches, and when
    more than `max_messages` messages match.
    """
    text = text.strip()
    if connection.vendor != "postgresql" or not text:
        return None

    # Most configurations parse a word to the same lexemes, so the distinct
    # parsed queries are few, and each is one scan of the GIN index.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT websearch_to_tsquery(config::regconfig, %s)::text FROM unnest(%s::text[]) AS config",
            [text, list(SEARCH_CONFIGS)],
        )
        parsed_queries = [row[0] for row in cursor.fetchall() if row[0]]
    if not parsed_queries:
        return set()

    in_any_config = Q()
    for parsed in parsed_queries:
        in_any_config |= Q(search_vector=SearchQuery(parsed, config="simple", search_type="raw"))
    # The planner estimates from the statistics of the search_vector column;
    # reading the matches of a common word would cost more than it saves. The
    # estimate is over all companies because a word common in the whole table
    # is slow to read for one company too.
    if query_row_estimate(ChatMessage.objects.filter(in_any_config)) > CANDIDATE_MAX_ESTIMATE:
        return None

    matches = messages.filter(in_any_config)
    session_ids = list(matches.values_list("session_id", flat=True)[: max_messages + 1])
    if len(session_ids) > max_messages:
        return None
    return set(session_ids)


def filter_sessions_by_metadata(queryset, metadata):
    """Keep the sessions whose metadata contains the JSON object `metadata`.

    PostgreSQL runs `@>` on the GIN index. SQLite has no containment
    operator, so each top-level key becomes an exact key lookup, and nested
    objects there must match whole.
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
    return [{"company": slug, "language": language, **counts} for (slug, language), counts in sorted(rows.items())]
