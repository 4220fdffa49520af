import datetime
import re

import pytest
from django.utils import timezone

from chat.admin.statistics import bar_chart, nice_ceiling
from chat.services import message_append
from chat.stats import (
    activity_per_company,
    activity_per_day,
    activity_summary,
    period_start,
    sessions_per_language,
)
from tests.admin.conftest import make_session

STATS_URL = "/admin/chat/chatsession/statistics/"
NOW = datetime.datetime(2026, 3, 31, 15, 0, tzinfo=datetime.UTC)


def day(offset):
    """Noon UTC `offset` days before NOW."""
    return NOW.replace(hour=12) - datetime.timedelta(days=offset)


@pytest.fixture
def activity(company, other_company):
    """Acme: 2 sessions today (3 messages), 1 session 5 days ago. Globex: 1 English session 2 days ago."""
    today_a = make_session(company, id="a1", created_at=day(0), language="es")
    make_session(company, id="a2", created_at=day(0), language="es-MX")
    make_session(company, id="a3", created_at=day(5), language="es")
    make_session(company, id="old", created_at=day(40), language="es")
    globex = make_session(other_company, id="g1", created_at=day(2), language="en")
    for _ in range(3):
        message_append(session=today_a, role="user", content="hola", created_at=day(0))
    message_append(session=globex, role="user", content="hello", created_at=day(2))
    message_append(session=globex, role="assistant", content="hi", created_at=day(40))


@pytest.mark.django_db
def test_activity_per_day(activity):
    rows = activity_per_day(now=NOW)

    assert len(rows) == 30
    assert rows[0] == {"day": datetime.date(2026, 3, 2), "sessions": 0, "messages": 0}
    assert rows[-1] == {"day": datetime.date(2026, 3, 31), "sessions": 2, "messages": 3}
    assert rows[-3] == {"day": datetime.date(2026, 3, 29), "sessions": 1, "messages": 1}
    assert rows[-6] == {"day": datetime.date(2026, 3, 26), "sessions": 1, "messages": 0}
    assert sum(row["sessions"] for row in rows) == 4


@pytest.mark.django_db
def test_activity_per_day_one_company(activity, company):
    rows = activity_per_day(company=company, now=NOW)

    assert sum(row["sessions"] for row in rows) == 3
    assert sum(row["messages"] for row in rows) == 3


@pytest.mark.django_db
def test_activity_per_company(activity, company, other_company):
    acme = {"company_id": company.pk, "company_name": "Acme", "company_slug": "acme", "sessions": 3, "messages": 3}
    globex = {
        "company_id": other_company.pk,
        "company_name": "Globex",
        "company_slug": "globex",
        "sessions": 1,
        "messages": 1,
    }

    assert activity_per_company(now=NOW) == [acme, globex]
    assert activity_per_company(company=other_company, now=NOW) == [globex]


@pytest.mark.django_db
def test_sessions_per_language(activity, company):
    assert sessions_per_language(now=NOW) == [
        {"language": "es", "sessions": 2},
        {"language": "en", "sessions": 1},
        {"language": "es-MX", "sessions": 1},
    ]
    assert sessions_per_language(company=company, now=NOW) == [
        {"language": "es", "sessions": 2},
        {"language": "es-MX", "sessions": 1},
    ]


@pytest.mark.django_db
def test_activity_summary_queries(activity, django_assert_num_queries):
    # Sessions, messages, then the names of the companies found.
    with django_assert_num_queries(3):
        summary = activity_summary(now=NOW)

    assert summary["per_day"] == activity_per_day(now=NOW)
    assert summary["per_company"] == activity_per_company(now=NOW)
    assert summary["per_language"] == sessions_per_language(now=NOW)


def test_period_start_is_local_midnight():
    assert period_start(days=30, now=NOW) == datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 2), (2, 2), (3, 4), (5, 6), (9, 10), (10, 10), (11, 20), (25, 40), (180, 200), (4001, 6000)],
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_bar_chart_geometry():
    points = [(datetime.date(2026, 3, 1) + datetime.timedelta(days=index), 0) for index in range(7)]
    points[0] = (points[0][0], 5)
    points[1] = (points[1][0], 10)

    chart = bar_chart(points)

    assert [bar["height"] for bar in chart["bars"]][:3] == [91.0, 182.0, 0.0]
    assert [bar["y"] for bar in chart["bars"]][:3] == [101.0, 10.0, 192.0]
    assert [bar["value"] for bar in chart["bars"]][:3] == ["5", "10", "0"]
    assert [tick["label"] for tick in chart["ticks"]] == ["0", "5", "10"]
    assert [label["label"] for label in chart["x_labels"]] == ["2 Mar", "7 Mar"]


@pytest.mark.django_db
def test_statistics_page(operator_client, company, other_company):
    session = make_session(company, id="today")
    message_append(session=session, role="user", content="hola")
    make_session(other_company, id="globex", language="en")

    response = operator_client.get(STATS_URL)

    assert response.status_code == 200
    assert "2 sessions" in response.text
    assert "1 message" in response.text
    assert response.text.count('<rect class="bar"') == 60
    assert "https://" not in response.text.split('<svg class="bar-chart', 1)[1].split("</svg>", 1)[0]
    assert [row["company_name"] for row in response.context["per_company"]] == ["Acme", "Globex"]
    assert response.context["per_language"] == [{"language": "en", "sessions": 1}, {"language": "es", "sessions": 1}]
    assert '<table id="per-company">' in response.text


@pytest.mark.django_db
def test_staff_statistics_only_own_company(staff_client, company, other_company):
    make_session(company, id="own")
    make_session(other_company, id="foreign", language="en")
    make_session(other_company, id="foreign-2", language="en")

    response = staff_client.get(STATS_URL)

    assert response.status_code == 200
    assert sum(row["sessions"] for row in response.context["days"]) == 1
    assert response.context["per_language"] == [{"language": "es", "sessions": 1}]
    assert '<table id="per-company">' not in response.text
    assert "Globex" not in response.text


@pytest.mark.django_db
def test_statistics_needs_view_permission(company):
    from django.test import Client as HttpClient

    from tests.factories import StaffUserFactory

    client = HttpClient()
    client.force_login(StaffUserFactory(company=company))

    response = client.get(STATS_URL)

    assert response.status_code == 403


@pytest.mark.django_db
def test_statistics_anonymous_redirects_to_login(client):
    response = client.get(STATS_URL)

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/chat/chatsession/statistics/"


@pytest.mark.django_db
def test_index_links_statistics(operator_client):
    response = operator_client.get("/admin/")

    assert '<a href="/admin/chat/chatsession/statistics/">' in response.text


@pytest.mark.django_db
def test_statistics_svg_numbers_not_localized(operator_client, company):
    make_session(company, created_at=timezone.now())
    operator_client.post("/i18n/setlang/", {"language": "es", "next": "/admin/"})

    response = operator_client.get(STATS_URL)

    svg = response.text.split('<svg class="bar-chart', 1)[1].split("</svg>", 1)[0]
    assert response.context["LANGUAGE_CODE"] == "es"
    coordinates = re.findall(r'\b(?:x|y|width|height)="([^"]*)"', svg)
    assert coordinates
    assert [value for value in coordinates if "," in value] == []
