import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.admin.export import iter_native_lines
from chat.models import ChatMessage, ChatSession
from chat.native_format import dumps_line, session_to_native
from tests.admin.conftest import make_full_session, make_session

LIST_URL = "/admin/chat/chatsession/"


def export(client, session_ids, **extra):
    response = client.post(LIST_URL, {"action": "export_jsonl", "_selected_action": session_ids, **extra})
    assert response.status_code == 200, response.content[:300]
    return response, b"".join(response.streaming_content).decode()


def expected_lines(*session_ids):
    lines = []
    for session_id in sorted(session_ids):
        session = ChatSession.objects.select_related("company", "user", "client").get(pk=session_id)
        messages = ChatMessage.objects.filter(session=session).order_by("created_at", "id")
        lines.append(dumps_line(session_to_native(session, messages)))
    return "".join(lines)


@pytest.mark.django_db
def test_export_selected_sessions(operator_client, company, other_company):
    first = make_full_session(company, messages=3, id="a-1", metadata={"channel": "web"})
    second = make_session(other_company, messages=2, id="b-2", language="en")
    make_session(company, messages=1, id="not-selected")

    response, body = export(operator_client, [second.pk, first.pk])

    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="chat-sessions-')
    assert body == expected_lines("a-1", "b-2")
    first_line = json.loads(body.splitlines()[0])
    assert first_line["id"] == "a-1"
    assert first_line["client"]["email"] == first.client.email
    assert [message["content"] for message in first_line["messages"]] == [
        "user message 0",
        "assistant message 1",
        "user message 2",
    ]


@pytest.mark.django_db
def test_export_all_matching_filter(operator_client, company):
    make_session(company, messages=1, id="es-1", language="es")
    make_session(company, messages=1, id="en-1", language="en")

    response = operator_client.post(
        LIST_URL + "?language=en",
        {"action": "export_jsonl", "_selected_action": ["es-1"], "select_across": "1"},
    )
    body = b"".join(response.streaming_content).decode()

    assert body == expected_lines("en-1")


@pytest.mark.django_db
def test_staff_export_skips_other_company(staff_client, company, other_company):
    make_session(company, messages=1, id="own")
    make_session(other_company, messages=1, id="foreign")

    _, body = export(staff_client, ["own", "foreign"])

    assert body == expected_lines("own")


@pytest.mark.django_db
def test_export_queries_per_batch(company):
    for index in range(7):
        make_full_session(company, messages=index, id=f"s{index}")
    queryset = ChatSession.objects.all()

    with CaptureQueriesContext(connection) as queries:
        lines = list(iter_native_lines(queryset, batch_size=3))

    assert "".join(lines) == expected_lines(*[f"s{index}" for index in range(7)])
    # Batches of 3, 3 and 1 sessions: two queries each, and one that finds no more sessions.
    assert len(queries) == 7


@pytest.mark.django_db
def test_delete_action_confirmation_summarizes(operator_client, company):
    sessions = [make_session(company, messages=30, id=f"s{index}") for index in range(3)]

    with CaptureQueriesContext(connection) as queries:
        response = operator_client.post(
            LIST_URL, {"action": "delete_selected", "_selected_action": [session.pk for session in sessions]}
        )

    assert response.status_code == 200
    assert list(response.context["model_count"]) == [("chat sessions", 3), ("chat messages", 90)]
    assert '<a href="/admin/chat/chatsession/s0/change/">s0</a>' in response.text
    assert "user message 0" not in response.text
    assert len(queries) < 12
    assert ChatSession.objects.count() == 3


@pytest.mark.django_db
def test_delete_action_deletes(operator_client, company):
    make_session(company, messages=2, id="keep")
    doomed = [make_session(company, messages=2, id=f"doomed-{index}") for index in range(3)]

    response = operator_client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [session.pk for session in doomed], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(ChatSession.objects.values_list("pk", flat=True)) == ["keep"]
    assert ChatMessage.objects.count() == 2


@pytest.mark.django_db
def test_staff_delete_action_skips_other_company(staff_client, company, other_company):
    make_session(company, messages=1, id="own")
    make_session(other_company, messages=1, id="foreign")

    response = staff_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": ["own", "foreign"], "post": "yes"}
    )

    assert response.status_code == 302
    assert list(ChatSession.objects.values_list("pk", flat=True)) == ["foreign"]


@pytest.mark.django_db
def test_delete_action_limit(operator_client, company, monkeypatch):
    monkeypatch.setattr("chat.admin.sessions.DELETE_ACTION_LIMIT", 2)
    sessions = [make_session(company, id=f"s{index}") for index in range(3)]

    response = operator_client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [session.pk for session in sessions], "post": "yes"},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Select at most 2 sessions to delete at once. To delete more, use the purge_chat_sessions command."
    ]
    assert ChatSession.objects.count() == 3


@pytest.mark.django_db
def test_delete_single_session(operator_client, company):
    session = make_session(company, messages=5, id="one")

    confirm = operator_client.get(f"/admin/chat/chatsession/{session.pk}/delete/")
    response = operator_client.post(f"/admin/chat/chatsession/{session.pk}/delete/", {"post": "yes"})

    assert list(confirm.context["model_count"]) == [("chat sessions", 1), ("chat messages", 5)]
    assert response.status_code == 302
    assert ChatSession.objects.count() == 0
    assert ChatMessage.objects.count() == 0


@pytest.mark.django_db
def test_staff_cannot_delete_other_company_session(staff_client, other_company):
    foreign = make_session(other_company, id="foreign")

    response = staff_client.post(f"/admin/chat/chatsession/{foreign.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert ChatSession.objects.filter(pk="foreign").exists()


@pytest.mark.django_db
def test_actions_offered_to_staff(staff_client, company):
    make_session(company)

    response = staff_client.get(LIST_URL)

    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert choices == ["", "export_jsonl", "delete_selected"]
