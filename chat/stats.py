"""Statistics of sessions and messages over the last days, as plain dicts.

Shared by the admin's statistics page and the `chat_stats` command. Each
function takes `company` (a Company, its id, or None for every company) and
counts what was created from the start of the day `days - 1` days before
today, in the current time zone, until now. `activity_summary()` returns all
three views from two GROUP BY queries, one over sessions and one over messages.
"""

import datetime
from collections import Counter

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from chat.models import ChatMessage, ChatSession
from companies.models import Company

DEFAULT_DAYS = 30


def period_start(*, days=DEFAULT_DAYS, now=None):
    """Return the aware datetime of local midnight `days - 1` days before `now`'s date."""
    today = timezone.localdate(now or timezone.now())
    first_day = today - datetime.timedelta(days=days - 1)
    return timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))


def activity_summary(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return {"per_day": ..., "per_company": ..., "per_language": ...}, as the three functions below do."""
    start = period_start(days=days, now=now)
    sessions = _sessions_by_day_company_language(company, start)
    messages = _messages_by_day_company(company, start)
    return {
        "per_day": _per_day(sessions, messages, start, days),
        "per_company": _per_company(sessions, messages),
        "per_language": _per_language(sessions),
    }


def activity_per_day(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"day": date, "sessions": int, "messages": int}] for each day, oldest first, zeros included."""
    return activity_summary(company=company, days=days, now=now)["per_day"]


def activity_per_company(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"company_id", "company_name", "company_slug", "sessions", "messages"}], most sessions first.

    Companies with no session and no message in the period are left out.
    """
    return activity_summary(company=company, days=days, now=now)["per_company"]


def sessions_per_language(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"language": str, "sessions": int}] for sessions created in the period, most first."""
    return activity_summary(company=company, days=days, now=now)["per_language"]


def _sessions_by_day_company_language(company, start):
    """Return {(day, company id, language): sessions created} since `start`."""
    sessions = ChatSession.objects.all() if company is None else ChatSession.objects.for_company(company)
    rows = (
        sessions.filter(created_at__gte=start)
        .annotate(day=_local_day())
        .values_list("day", "company_id", "language")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(day, company_id, language): total for day, company_id, language, total in rows}


def _messages_by_day_company(company, start):
    """Return {(day, company id): messages created} since `start`."""
    messages = ChatMessage.objects.all() if company is None else ChatMessage.objects.for_company(company)
    rows = (
        messages.filter(created_at__gte=start)
        .annotate(day=_local_day())
        .values_list("day", "session__company_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(day, company_id): total for day, company_id, total in rows}


def _local_day():
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def _per_day(sessions, messages, start, days):
    session_days = Counter()
    for (day, _company_id, _language), total in sessions.items():
        session_days[day] += total
    message_days = Counter()
    for (day, _company_id), total in messages.items():
        message_days[day] += total

    first_day = timezone.localdate(start)
    all_days = [first_day + datetime.timedelta(days=offset) for offset in range(days)]
    return [{"day": day, "sessions": session_days[day], "messages": message_days[day]} for day in all_days]


def _per_company(sessions, messages):
    session_companies = Counter()
    for (_day, company_id, _language), total in sessions.items():
        session_companies[company_id] += total
    message_companies = Counter()
    for (_day, company_id), total in messages.items():
        message_companies[company_id] += total

    company_ids = set(session_companies) | set(message_companies)
    rows = [
        {
            "company_id": item.pk,
            "company_name": item.name,
            "company_slug": item.slug,
            "sessions": session_companies[item.pk],
            "messages": message_companies[item.pk],
        }
        for item in Company.objects.filter(pk__in=company_ids).only("name", "slug")
    ]
    return sorted(rows, key=lambda row: (-row["sessions"], -row["messages"], row["company_name"]))


def _per_language(sessions):
    languages = Counter()
    for (_day, _company_id, language), total in sessions.items():
        languages[language] += total
    rows = [{"language": language, "sessions": total} for language, total in languages.items()]
    return sorted(rows, key=lambda row: (-row["sessions"], row["language"]))
