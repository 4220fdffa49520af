"""The admin's statistics page: activity per day as server-rendered SVG charts, per company and per language."""

import math

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from chat.stats import DEFAULT_DAYS, activity_summary
from core.admin import is_company_staff

CHART_WIDTH = 760
CHART_HEIGHT = 220
# Room for the y axis labels on the left and the date labels below.
CHART_LEFT = 56
CHART_RIGHT = 24
CHART_BOTTOM = 28
CHART_TOP = 10
X_LABEL_EVERY = 5


def statistics_view(model_admin, request):
    """Render the statistics of the sessions the user may see."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied

    company = request.user.company_id if is_company_staff(request.user) else None
    summary = activity_summary(company=company)
    days = summary["per_day"]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Chat statistics"),
        "subtitle": _("Last %(days)d days") % {"days": DEFAULT_DAYS},
        "opts": model_admin.model._meta,
        "days": days,
        "sessions_chart": bar_chart([(row["day"], row["sessions"]) for row in days]),
        "messages_chart": bar_chart([(row["day"], row["messages"]) for row in days]),
        "session_total": sum(row["sessions"] for row in days),
        "message_total": sum(row["messages"] for row in days),
        "per_company": summary["per_company"],
        "per_language": summary["per_language"],
        "show_companies": company is None,
    }
    return TemplateResponse(request, "admin/chat/statistics.html", context)


def bar_chart(points):
    """Return the geometry of an SVG bar chart of `points`, a list of (date, count)."""
    top = nice_ceiling(max((count for _day, count in points), default=0))
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    slot = plot_width / max(len(points), 1)
    baseline = CHART_TOP + plot_height

    bars = []
    for index, (day, count) in enumerate(points):
        height = plot_height * count / top
        bars.append(
            {
                "x": round(CHART_LEFT + index * slot + slot * 0.15, 1),
                "y": round(baseline - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label": date_format(day, "SHORT_DATE_FORMAT"),
                "value": number_format(count, force_grouping=True),
            }
        )

    ticks = [
        {
            "y": round(baseline - plot_height * fraction, 1),
            "label": number_format(round(top * fraction), force_grouping=True),
        }
        for fraction in (0, 0.5, 1)
    ]
    x_labels = [
        {"x": round(CHART_LEFT + index * slot + slot / 2, 1), "label": date_format(day, "j M")}
        for index, (day, _count) in enumerate(points)
        # Counted from the end, so that the last day, today, always has its label.
        if (len(points) - 1 - index) % X_LABEL_EVERY == 0
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": baseline,
        "label_y": baseline + 18,
        "bars": bars,
        "ticks": ticks,
        "x_labels": x_labels,
    }


def nice_ceiling(value):
    """Return the smallest of 1, 2, 4, 6, 8 or 10 times a power of ten that is at least `value` (and at least 2).

    Half of each is a whole number, so the middle grid line has an exact label.
    """
    if value <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 4, 6, 8, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude
