import datetime
import json

import pytest
from django.utils import timezone

from chat.services import message_append
from tests.browser.conftest import log_in, screenshot
from tests.factories import ChatSessionFactory, ClientFactory, CompanyFactory, SuperUserFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONVERSATION = [
    ("system", "Eres el asistente de facturación de Acme. Responde en español y con frases cortas."),
    ("user", "Hola, no encuentro la factura de marzo en mi área de cliente."),
    ("assistant", "Hola, Ana. Voy a buscarla. ¿Me confirmas el número de contrato?"),
    ("user", "Sí, es el ES-2231-8841."),
    ("tool", '{"invoice": "F-2026-0311", "status": "issued", "amount": "84.20 EUR"}'),
    (
        "assistant",
        "He encontrado la factura F-2026-0311 de 84,20 €.\n"
        "Te la he enviado a tu correo y ya aparece en tu área de cliente.",
    ),
    ("user", "Perfecto, muchas gracias."),
    ("assistant", "De nada. ¿Puedo ayudarte con algo más?"),
]


@pytest.fixture
def demo(db):
    """Two companies with realistic sessions; Acme's first session has 130 messages (3 transcript pages)."""
    acme = CompanyFactory(name="Acme Energía", slug="acme")
    globex = CompanyFactory(name="Globex Seguros", slug="globex", default_language="pt-BR")
    SuperUserFactory(username="operator")
    now = timezone.now()

    ana = ClientFactory(company=acme, name="Ana García", email="ana.garcia@example.com", external_id="CRM-1001")
    agent = UserFactory(company=acme, username="lucia", email="lucia@acme.example")
    long_session = ChatSessionFactory(
        company=acme,
        id="web.chat:1001",
        user=agent,
        client=ana,
        created_at=now - datetime.timedelta(hours=3),
        last_message_at=now - datetime.timedelta(hours=3),
        metadata={"channel": "web", "contract": "ES-2231-8841", "tags": ["billing", "invoice"]},
    )
    start = now - datetime.timedelta(hours=3)
    # The system prompt once, then the other turns over and over.
    turns = CONVERSATION[:1] + CONVERSATION[1:] * 19
    for index, (role, content) in enumerate(turns[:130]):
        metadata = {"model": "assistant-v2", "latency_ms": 640} if role == "assistant" else {}
        message_append(
            session=long_session,
            role=role,
            content=content,
            metadata=metadata,
            created_at=start + datetime.timedelta(seconds=20 * index),
        )

    for day in range(30):
        for number in range(1 + (day * 7) % 5):
            company = acme if number % 3 else globex
            session = ChatSessionFactory(
                company=company,
                id=f"{company.slug}.{day:02d}.{number}",
                language="es" if company == acme else "pt-BR",
                client=ClientFactory(company=company),
                created_at=now - datetime.timedelta(days=day, hours=number),
                last_message_at=now - datetime.timedelta(days=day, hours=number),
            )
            for turn in range(2 + number):
                message_append(
                    session=session,
                    role="user" if turn % 2 == 0 else "assistant",
                    content=f"Mensaje {turn}",
                    created_at=session.created_at + datetime.timedelta(minutes=turn),
                )
    return {"acme": acme, "globex": globex, "long_session": long_session}


def test_filter_list_and_page_through_transcript(page, demo):
    log_in(page, "operator")

    page.goto("/admin/chat/chatsession/")
    assert page.locator("#result_list tbody tr").count() == 50
    page.locator("#changelist-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("Globex")
    page.locator(".select2-results__option", has_text="Globex Seguros").click()
    page.wait_for_url(f"**company__id__exact={demo['globex'].pk}**")
    companies = page.locator("#result_list tbody td.field-company").all_inner_texts()
    assert companies and set(companies) == {"Globex Seguros"}
    page.locator("#changelist-filter a", has_text="All").first.click()
    page.wait_for_url(lambda url: "company__id__exact" not in url)
    screenshot(page, "session-list", full_page=False)

    page.locator("#result_list a", has_text="web.chat:1001").click()
    transcript = page.locator("#transcript")
    assert "130 messages" in transcript.inner_text()
    assert transcript.locator(".message.role-system").count() == 1
    assert transcript.locator(".message.role-user").count() > 0
    first_user = transcript.locator(".message.role-user").first
    first_assistant = transcript.locator(".message.role-assistant").first
    assert first_user.evaluate("el => getComputedStyle(el).alignSelf") == "flex-end"
    assert first_assistant.evaluate("el => getComputedStyle(el).alignSelf") == "flex-start"
    assert first_user.evaluate("el => getComputedStyle(el).borderLeftColor") != first_assistant.evaluate(
        "el => getComputedStyle(el).borderLeftColor"
    )
    screenshot(page, "session-page")
    top, left, width = transcript.evaluate(
        "el => { const box = el.getBoundingClientRect(); return [box.top + window.scrollY, box.left, box.width]; }"
    )
    screenshot(page, "transcript", clip={"x": left, "y": top, "width": width, "height": 900})

    page.locator("a.transcript-next").first.click()
    page.wait_for_url("**page=2**")
    assert "page 2 of 3" in page.locator("#transcript").inner_text()
    assert page.locator("#transcript .message").count() == 50
    page.locator("a.transcript-next").first.click()
    page.wait_for_url("**page=3**")
    assert page.locator("#transcript .message").count() == 30

    page.locator("a.transcript-client-link").click()
    page.wait_for_url("**/admin/clients/client/**/change/")
    assert page.locator("#id_name").input_value() == "Ana García"


def test_export_action_downloads_jsonl(page, demo):
    log_in(page, "operator")
    page.goto("/admin/chat/chatsession/?q=web.chat:1001")

    page.locator("#result_list input.action-select").first.check()
    page.locator("select[name=action]").select_option("export_jsonl")
    with page.expect_download() as download_info:
        page.locator("button[name=index]").click()
    download = download_info.value
    lines = open(download.path(), encoding="utf-8").read().splitlines()

    assert download.suggested_filename.startswith("chat-sessions-")
    assert download.suggested_filename.endswith(".jsonl")
    assert len(lines) == 1
    exported = json.loads(lines[0])
    assert exported["id"] == "web.chat:1001"
    assert exported["client"]["name"] == "Ana García"
    assert len(exported["messages"]) == 130
    assert exported["messages"][1] == {
        "role": "user",
        "content": "Hola, no encuentro la factura de marzo en mi área de cliente.",
        "metadata": {},
        "created_at": exported["messages"][1]["created_at"],
    }


def test_statistics_and_spanish(page, demo):
    log_in(page, "operator")

    page.locator(".statistics-link a").click()
    page.wait_for_url("**/admin/chat/chatsession/statistics/")
    assert page.locator("svg.bar-chart").count() == 2
    assert page.locator("svg.bar-chart-sessions rect.bar").count() == 30
    assert page.locator("#per-company tbody tr").count() == 2
    screenshot(page, "statistics", full_page=False)

    page.select_option("#language-switcher-select", "es")
    page.locator("#language-switcher button").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#logout-form button").text_content().strip() == "Cerrar sesión"
    assert page.url.endswith("/admin/chat/chatsession/statistics/")
    page.goto("/admin/chat/chatsession/")
    assert page.locator("html").get_attribute("lang") == "es"
    screenshot(page, "session-list-es", full_page=False)


def test_company_staff_sees_own_company(page, demo, company_staff_group):
    from accounts.services import user_add_default_group
    from tests.factories import StaffUserFactory

    staff = StaffUserFactory(username="acme-staff", company=demo["acme"])
    user_add_default_group(user=staff)
    log_in(page, "acme-staff")

    page.goto("/admin/chat/chatsession/")

    assert page.locator("#changelist-filter .select2-selection").count() == 0
    ids = page.locator("#result_list tbody th.field-id").all_inner_texts()
    assert ids and all(not session_id.startswith("globex.") for session_id in ids)
    page.goto("/admin/chat/chatsession/statistics/")
    assert page.locator("#per-company").count() == 0
