"""Statistics of sessions and messages over the last days, as plain dicts.

Shared by the admin's statistics page and the `chat_stats` command. Each
function takes `company` (a Company, its id, or None for every company) and
counts what was created from the start of the day `days - 1` days before
today, in the current time zone, until now.
"""

import datetime

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


def activity_per_day(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"day": date, "sessions": int, "messages": int}] for each day, oldest first, zeros included."""
    start = period_start(days=days, now=now)
    sessions = _count_per_day(_sessions(company).filter(created_at__gte=start))
    messages = _count_per_day(_messages(company).filter(created_at__gte=start))

    first_day = timezone.localdate(start)
    all_days = [first_day + datetime.timedelta(days=offset) for offset in range(days)]
    return [{"day": day, "sessions": sessions.get(day, 0), "messages": messages.get(day, 0)} for day in all_days]


def activity_per_company(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"company_id", "company_name", "company_slug", "sessions", "messages"}], most sessions first.

    Companies with no session and no message in the period are left out.
    """
    start = period_start(days=days, now=now)
    sessions = _count_by(_sessions(company).filter(created_at__gte=start), "company_id")
    messages = _count_by(_messages(company).filter(created_at__gte=start), "session__company_id")

    companies = Company.objects.filter(pk__in=set(sessions) | set(messages)).only("name", "slug")
    rows = [
        {
            "company_id": item.pk,
            "company_name": item.name,
            "company_slug": item.slug,
            "sessions": sessions.get(item.pk, 0),
            "messages": messages.get(item.pk, 0),
        }
        for item in companies
    ]
    return sorted(rows, key=lambda row: (-row["sessions"], -row["messages"], row["company_name"]))


def sessions_per_language(*, company=None, days=DEFAULT_DAYS, now=None):
    """Return [{"language": str, "sessions": int}] for sessions created in the period, most first."""
    start = period_start(days=days, now=now)
    counts = _count_by(_sessions(company).filter(created_at__gte=start), "language")
    rows = [{"language": language, "sessions": total} for language, total in counts.items()]
    return sorted(rows, key=lambda row: (-row["sessions"], row["language"]))


def _sessions(company):
    sessions = ChatSession.objects.all()
    return sessions if company is None else sessions.for_company(company)


def _messages(company):
    messages = ChatMessage.objects.all()
    return messages if company is None else messages.for_company(company)


def _count_per_day(queryset):
    day = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return _count_by(queryset.annotate(day=day), "day")


def _count_by(queryset, field):
    """Return {value of `field`: number of rows} in one GROUP BY query."""
    return dict(queryset.values_list(field).annotate(total=Count("pk")).order_by())
