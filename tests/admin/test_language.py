import pytest

from tests.admin.conftest import make_session


@pytest.mark.django_db
def test_switcher_on_every_admin_page(operator_client, client):
    index = operator_client.get("/admin/")
    login = client.get("/admin/login/")

    for response in (index, login):
        assert '<form id="language-switcher" action="/i18n/setlang/" method="post">' in response.text
        assert '<option value="es" selected lang="es">' not in response.text
        assert '<option value="es" lang="es">Español</option>' in response.text
        assert '<option value="en" selected lang="en">English</option>' in response.text


@pytest.mark.django_db
def test_switch_to_spanish(operator_client, company):
    make_session(company, id="s1")

    response = operator_client.post("/i18n/setlang/", {"language": "es", "next": "/admin/chat/chatsession/"})
    page = operator_client.get(response["Location"])

    assert response.status_code == 302
    assert page.context["LANGUAGE_CODE"] == "es"
    assert '<html lang="es" dir="ltr">' in page.text
    assert "Cerrar sesión" in page.text
    assert '<option value="es" selected lang="es">Español</option>' in page.text


@pytest.mark.django_db
def test_browser_language_followed(operator_client):
    response = operator_client.get("/admin/", headers={"accept-language": "es-ES,es;q=0.9"})

    assert response.context["LANGUAGE_CODE"] == "es"
    assert "Cerrar sesión" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es", ["Seleccione sesión de chat a modificar", "Última actividad", "Estadísticas"]),
        ("en", ["Select chat session to change", "Last activity", "Statistics"]),
    ],
)
def test_session_list_in_both_languages(operator_client, company, accept_language, expected):
    make_session(company, id="s1", messages=1)

    response = operator_client.get("/admin/chat/chatsession/", headers={"accept-language": accept_language})

    assert response.context["LANGUAGE_CODE"] == accept_language
    for text in expected:
        assert text in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es", ["Transcripción", "3 mensajes", "Asistente", "Usuario"]),
        ("en", ["Transcript", "3 messages", "Assistant", "User"]),
    ],
)
def test_transcript_in_both_languages(operator_client, company, accept_language, expected):
    make_session(company, id="s1", messages=3)

    response = operator_client.get("/admin/chat/chatsession/s1/change/", headers={"accept-language": accept_language})

    assert response.status_code == 200
    for text in expected:
        assert text in response.text
