import datetime

import pytest
from django.db import connection
from django.utils import timezone

from chat.models import ChatSession
from tests.admin.conftest import changelist_ids, count_queries, make_full_session, make_session
from tests.factories import ClientFactory, UserFactory

LIST_URL = "/admin/chat/chatsession/"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.mark.django_db
def test_list_columns_and_order(operator_client, company):
    older = make_full_session(company, messages=2, id="older", last_message_at=ago(hours=2))
    newer = make_session(company, messages=3, id="newer", last_message_at=ago(hours=1))
    empty = make_session(company, id="empty", last_message_at=ago(hours=3))

    response = operator_client.get(LIST_URL)

    assert response.status_code == 200
    assert changelist_ids(response) == [newer.pk, older.pk, empty.pk]
    counts = {session.pk: session.message_count for session in response.context["cl"].result_list}
    assert counts == {"newer": 3, "older": 2, "empty": 0}
    headers = [header["text"] for header in response.context["result_headers"]][1:]
    assert headers == [
        "id",
        "company",
        "user",
        "client",
        "language",
        "messages",
        "last activity",
        "created at",
    ]
    assert f"{older.client}" in response.text
    assert "3 chat sessions" in response.text


@pytest.mark.django_db
def test_list_queries_fixed_as_rows_grow(operator_client, company, other_company):
    for _ in range(3):
        make_full_session(company, messages=2)
    _, queries_with_three = count_queries(operator_client, LIST_URL)

    for _ in range(7):
        make_full_session(other_company, messages=3)
    response, queries_with_ten = count_queries(operator_client, LIST_URL)

    assert len(changelist_ids(response)) == 10
    assert queries_with_ten == queries_with_three
    # Session and user, count, page, message counts, language filter choices.
    assert queries_with_ten <= 7


@pytest.mark.django_db
def test_staff_list_queries_fixed_as_rows_grow(staff_client, company):
    for _ in range(3):
        make_full_session(company, messages=1)
    _, queries_with_three = count_queries(staff_client, LIST_URL)

    for _ in range(7):
        make_full_session(company, messages=2)
    _, queries_with_ten = count_queries(staff_client, LIST_URL)

    assert queries_with_ten == queries_with_three


@pytest.mark.django_db
def test_staff_sees_only_own_company(staff_client, company, other_company):
    own = make_session(company, id="own")
    make_session(other_company, id="foreign")

    response = staff_client.get(LIST_URL)

    assert changelist_ids(response) == [own.pk]
    assert "foreign" not in response.text
    assert "1 chat session" in response.text
    # No company column and no company filter: staff have one company.
    assert "company" not in [header["text"] for header in response.context["result_headers"]]
    assert [spec.title for spec in response.context["cl"].filter_specs] == [
        "language",
        "last activity",
        "client",
        "user",
        "transcript text",
    ]


@pytest.mark.django_db
def test_staff_company_parameter_cannot_widen(staff_client, company, other_company):
    make_session(other_company, id="foreign")

    response = staff_client.get(LIST_URL, {"company__id__exact": other_company.pk})

    assert response.status_code == 200
    assert changelist_ids(response) == []


@pytest.mark.django_db
def test_company_filter(operator_client, company, other_company):
    make_session(company, id="acme-1")
    make_session(other_company, id="globex-1")

    response = operator_client.get(LIST_URL, {"company__id__exact": other_company.pk})

    assert changelist_ids(response) == ["globex-1"]
    assert 'class="admin-autocomplete filter-autocomplete-select"' in response.text
    assert f'<option value="{other_company.pk}" selected>Globex</option>' in response.text
    # The filter offers a search box, never a list of every company.
    assert "Acme" not in response.text


@pytest.mark.django_db
def test_company_filter_bad_value_is_empty(operator_client, company):
    make_session(company, id="acme-1")

    response = operator_client.get(LIST_URL, {"company__id__exact": "not-a-number"})

    assert response.status_code == 200
    assert changelist_ids(response) == []


@pytest.mark.django_db
def test_language_filter(operator_client, company):
    make_session(company, id="es", language="es")
    make_session(company, id="es-mx", language="es-MX")
    make_session(company, id="en", language="en")
    make_session(company, id="pt-br", language="pt-BR")

    spanish = operator_client.get(LIST_URL, {"language": "es"})
    portuguese = operator_client.get(LIST_URL, {"language": "pt"})

    assert sorted(changelist_ids(spanish)) == ["es", "es-mx"]
    assert changelist_ids(portuguese) == ["pt-br"]
    language_filter = spanish.context["cl"].filter_specs[1]
    assert [code for code, _label in language_filter.lookup_choices] == ["en", "es"]


@pytest.mark.django_db
def test_language_choices_from_companies(operator_client, company, other_company):
    other_company.default_language = "pt-BR"
    other_company.save()

    response = operator_client.get(LIST_URL)

    language_filter = response.context["cl"].filter_specs[1]
    assert [code for code, _label in language_filter.lookup_choices] == ["en", "es", "pt"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("today", ["now"]),
        ("7d", ["now", "days-3"]),
        ("30d", ["now", "days-3", "days-20"]),
        ("older", ["days-40"]),
    ],
)
def test_last_activity_filter(operator_client, company, value, expected):
    make_session(company, id="now", last_message_at=ago(minutes=1))
    make_session(company, id="days-3", last_message_at=ago(days=3))
    make_session(company, id="days-20", last_message_at=ago(days=20))
    make_session(company, id="days-40", last_message_at=ago(days=40))

    response = operator_client.get(LIST_URL, {"last_activity": value})

    assert changelist_ids(response) == expected


@pytest.mark.django_db
def test_presence_filters(operator_client, company):
    user = UserFactory(company=company)
    client = ClientFactory(company=company)
    make_session(company, id="both", user=user, client=client, last_message_at=ago(minutes=1))
    make_session(company, id="user-only", user=user, last_message_at=ago(minutes=2))
    make_session(company, id="neither", last_message_at=ago(minutes=3))

    assert changelist_ids(operator_client.get(LIST_URL, {"has_client": "yes"})) == ["both"]
    assert changelist_ids(operator_client.get(LIST_URL, {"has_client": "no"})) == ["user-only", "neither"]
    assert changelist_ids(operator_client.get(LIST_URL, {"has_user": "yes"})) == ["both", "user-only"]
    assert changelist_ids(operator_client.get(LIST_URL, {"has_user": "no"})) == ["neither"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("web.chat:42", ["web.chat:42"]),
        ("Ana García", ["by-client"]),
        ("garcía", ["by-client"]),
        ("ana.garcia@", ["by-client"]),
        ("CRM-7", ["by-client"]),
        ("crm-7", []),
        ("maria", ["by-user"]),
        ("MARIA.LOPEZ@ACME", ["by-user"]),
        ("nobody", []),
    ],
)
def test_search(operator_client, company, term, expected):
    client = ClientFactory(company=company, name="Ana García", email="ana.garcia@example.com", external_id="CRM-7")
    user = UserFactory(company=company, username="maria", email="maria.lopez@acme.example")
    make_session(company, id="web.chat:42", last_message_at=ago(minutes=1))
    make_session(company, id="by-client", client=client, last_message_at=ago(minutes=2))
    make_session(company, id="by-user", user=user, last_message_at=ago(minutes=3))

    response = operator_client.get(LIST_URL, {"q": term})

    assert changelist_ids(response) == expected


@pytest.mark.django_db
def test_search_many_matches_uses_subquery(operator_client, company, monkeypatch):
    monkeypatch.setattr("chat.admin.sessions.SEARCH_ID_LIST_LIMIT", 2)
    for index in range(4):
        make_session(company, id=f"s{index}", client=ClientFactory(company=company, name=f"Pedro {index}"))

    response = operator_client.get(LIST_URL, {"q": "pedro"})

    assert sorted(changelist_ids(response)) == ["s0", "s1", "s2", "s3"]


@pytest.mark.django_db
def test_staff_search_ignores_other_company(staff_client, company, other_company):
    foreign_client = ClientFactory(company=other_company, name="Ana García")
    make_session(other_company, id="foreign", client=foreign_client)
    make_session(company, id="own", client=ClientFactory(company=company, name="Ana Ruiz"))

    response = staff_client.get(LIST_URL, {"q": "Ana"})
    by_id = staff_client.get(LIST_URL, {"q": "foreign"})

    assert changelist_ids(response) == ["own"]
    assert changelist_ids(by_id) == []


@pytest.mark.django_db
def test_transcript_text_filter(operator_client, company):
    invoices = make_session(company, id="invoices", language="es", last_message_at=ago(minutes=1))
    make_session(company, id="other", language="es", last_message_at=ago(minutes=2))
    from chat.services import message_append

    message_append(session=invoices, role="user", content="Necesito la factura de marzo")

    response = operator_client.get(LIST_URL, {"text": "factura"})

    assert changelist_ids(response) == ["invoices"]
    assert 'name="text" value="factura"' in response.text


@pytest.mark.django_db
@pytest.mark.postgresql
def test_transcript_text_filter_stems_spanish(operator_client, company):
    from chat.services import message_append

    session = make_session(company, id="invoices", language="es")
    make_session(company, id="other", language="es")
    message_append(session=session, role="user", content="Necesito la factura de marzo")

    response = operator_client.get(LIST_URL, {"text": "facturas"})

    assert changelist_ids(response) == ["invoices"]


@pytest.mark.django_db
def test_filters_keep_each_other(operator_client, company):
    make_session(company, id="a")

    response = operator_client.get(LIST_URL, {"language": "es", "q": "a"})

    assert '<input type="hidden" name="language" value="es">' in response.text
    assert '<input type="hidden" name="q" value="a">' in response.text


@pytest.mark.django_db
def test_list_has_no_facet_counts(operator_client, company):
    make_session(company)

    response = operator_client.get(LIST_URL, {"_facets": "True"})

    assert response.status_code == 200
    assert response.context["cl"].add_facets is False


@pytest.mark.django_db
def test_statistics_link_on_list(operator_client):
    response = operator_client.get(LIST_URL)

    assert 'href="/admin/chat/chatsession/statistics/"' in response.text


@pytest.mark.django_db
@pytest.mark.postgresql
def test_unfiltered_count_is_estimate(operator_client, company, monkeypatch):
    monkeypatch.setattr("core.admin.EXACT_COUNT_LIMIT", 5)
    for index in range(12):
        make_session(company, id=f"s{index:02d}", last_message_at=ago(minutes=index))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chat_sessions")

    response = operator_client.get(LIST_URL)

    paginator = response.context["cl"].paginator
    assert paginator.count_is_estimate is True
    assert paginator.count == 12
    assert "About 12 chat sessions (estimate)" in response.text


@pytest.mark.django_db
@pytest.mark.postgresql
def test_filtered_count_is_capped_then_estimated(operator_client, company, monkeypatch):
    monkeypatch.setattr("core.admin.EXACT_COUNT_LIMIT", 5)
    for index in range(12):
        make_session(company, id=f"s{index:02d}", language="en" if index < 4 else "es")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chat_sessions")

    english = operator_client.get(LIST_URL, {"language": "en"})
    spanish = operator_client.get(LIST_URL, {"language": "es"})

    assert english.context["cl"].paginator.count_is_estimate is False
    assert english.context["cl"].result_count == 4
    assert "4 chat sessions" in english.text
    assert spanish.context["cl"].paginator.count_is_estimate is True
    assert spanish.context["cl"].result_count >= 6


@pytest.mark.django_db
@pytest.mark.postgresql
def test_estimated_pages_stop_near_current(operator_client, company, monkeypatch):
    monkeypatch.setattr("core.admin.EXACT_COUNT_LIMIT", 5)
    monkeypatch.setattr("chat.admin.sessions.ChatSessionAdmin.list_per_page", 2)
    for index in range(30):
        make_session(company, id=f"s{index:02d}", last_message_at=ago(minutes=index))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chat_sessions")

    response = operator_client.get(LIST_URL)

    cl = response.context["cl"]
    assert list(cl.paginator.get_elided_page_range(cl.page_num)) == [1, 2, 3, 4, "…"]
    assert "?p=4" in response.text
    assert "?p=15" not in response.text


@pytest.mark.django_db
def test_count_is_exact_on_sqlite_or_small(operator_client, company):
    for index in range(3):
        make_session(company, id=f"s{index}")

    response = operator_client.get(LIST_URL)

    assert response.context["cl"].paginator.count_is_estimate is False
    assert response.context["cl"].result_count == ChatSession.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.postgresql
def test_text_candidates_for_rare_word(company, other_company):
    from chat.models import ChatMessage
    from chat.selectors import sessions_with_text_candidates
    from chat.services import message_append

    invoices = make_session(company, id="invoices", language="es")
    english = make_session(company, id="english", language="en")
    message_append(session=invoices, role="user", content="Necesito la factura de marzo")
    message_append(session=english, role="user", content="Where is my invoice?")
    messages = ChatMessage.objects.all()

    assert sessions_with_text_candidates(messages, "facturas", max_messages=10) == {"invoices"}
    assert sessions_with_text_candidates(messages, "invoices", max_messages=10) == {"english"}
    assert sessions_with_text_candidates(messages, "zapatos", max_messages=10) == set()
    assert sessions_with_text_candidates(messages, "factura", max_messages=0) is None
    assert sessions_with_text_candidates(messages, "   ", max_messages=10) is None
    assert sessions_with_text_candidates(messages.for_company(other_company), "facturas", max_messages=10) == set()


@pytest.mark.django_db
@pytest.mark.postgresql
@pytest.mark.parametrize("candidate_limit", [0, 5000])
def test_transcript_filter_same_with_or_without_candidates(operator_client, company, monkeypatch, candidate_limit):
    from chat.services import message_append

    monkeypatch.setattr("chat.admin.filters.TEXT_CANDIDATE_LIMIT", candidate_limit)
    spanish = make_session(company, id="es-1", language="es", last_message_at=ago(minutes=1))
    english = make_session(company, id="en-1", language="en", last_message_at=ago(minutes=2))
    make_session(company, id="none", language="es", last_message_at=ago(minutes=3))
    message_append(session=spanish, role="user", content="Las facturas de marzo")
    # English stemming turns "facturas" into "factura", the word of this English session.
    message_append(session=english, role="user", content="factura pending")

    response = operator_client.get(LIST_URL, {"text": "facturas"})

    assert sorted(changelist_ids(response)) == ["en-1", "es-1"]


@pytest.mark.django_db
def test_text_filter_counts_less_exactly(operator_client, company, monkeypatch):
    from chat.services import message_append

    monkeypatch.setattr("chat.admin.sessions.TEXT_SEARCH_EXACT_COUNT_LIMIT", 2)
    for index in range(4):
        session = make_session(company, id=f"s{index}")
        message_append(session=session, role="user", content="hola")

    response = operator_client.get(LIST_URL, {"text": "hola"})

    paginator = response.context["cl"].paginator
    assert paginator.exact_count_limit == 2
    assert paginator.count_is_estimate is (connection.vendor == "postgresql")
    assert changelist_ids(response) == ["s3", "s2", "s1", "s0"]
