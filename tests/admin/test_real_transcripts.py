"""Transcripts and exports of real conversations published by other projects (see SOURCES.md there)."""

import json
import os
from html import escape
from pathlib import Path

import pytest

from chat.services import message_append
from tests.admin.conftest import make_session

DATA_DIR = Path(os.environ.get("SHARED_DATA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "data"))
TOOL_USE_FILE = DATA_DIR / "real-chats" / "llamafactory-reason-tool-use.messages.jsonl"


@pytest.fixture
def real_conversations():
    if not TOOL_USE_FILE.exists():
        pytest.skip(f"{TOOL_USE_FILE} is missing; set SHARED_DATA_DIR to the folder that holds real-chats/")
    with TOOL_USE_FILE.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line, _ in zip(lines, range(5), strict=False)]
    return [
        [(message["role"], "\n".join(part["value"] for part in message["content"])) for message in record["messages"]]
        for record in records
    ]


@pytest.mark.django_db
def test_real_tool_use_transcripts(operator_client, company, real_conversations):
    for index, conversation in enumerate(real_conversations):
        session = make_session(company, id=f"real-{index}", language="en")
        for role, content in conversation:
            message_append(session=session, role=role, content=content)

        response = operator_client.get(f"/admin/chat/chatsession/{session.pk}/change/")

        rendered = response.context["transcript_page"]
        assert [(message.role, message.content) for message in rendered] == conversation
        for _role, content in conversation:
            assert escape(content, quote=False) in response.text.replace("&#x27;", "'").replace("&quot;", '"')
        roles = {role for role, _content in conversation}
        for role in roles:
            assert f'<li class="message role-{role}"' in response.text
