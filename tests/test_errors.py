"""Error pages: in French, on the site's layout, never blank."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.template.loader_tags import ExtendsNode
from django.urls import reverse
from rest_framework.request import Request

from advocacy.api import exception_handler
from advocacy.views import error_500


def test_a_get_on_a_form_only_address_shows_a_page_not_a_blank(client, ambassador):
    client.force_login(ambassador)
    response = client.get(reverse("programme_leave"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    body = response.content.decode()
    assert "Cette adresse ne s’ouvre pas directement" in body and '<html lang="fr"' in body
    # Nothing was done: the person is still in the programme.
    ambassador.refresh_from_db()
    assert ambassador.has_opted_in


def test_the_api_keeps_its_own_method_errors(api_client, manager):
    api_client.force_authenticate(manager)
    response = api_client.delete(reverse("api_reach_report_units"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


# --- The API's errors about the request itself ------------------------------------------


def _error(response):
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_malformed_json_is_refused_in_french_with_its_position(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post(reverse("api_kits"), data='{"title": ', content_type="application/json")
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "parse_error"
    assert error["message"].startswith("Le corps de la requête n’est pas un JSON valide (ligne 1, colonne 11)")
    assert "Expecting" not in error["message"]


def test_a_body_that_is_not_utf8_is_refused_in_french(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post(reverse("api_kits"), data=b'{"title": "\xe9t\xe9"}', content_type="application/json")
    assert response.status_code == 400
    error = _error(response)
    assert (error["code"], error["message"]) == ("parse_error", "Le corps de la requête n’est pas encodé en UTF-8.")


@pytest.mark.parametrize(
    ("body", "value", "where"),
    [
        ('{"title": "NaN, Infinity",\n "x": NaN}', "NaN", "ligne 2, colonne 7"),
        ("[1, -Infinity]", "-Infinity", "ligne 1, colonne 5"),
        ('{"a": {"b": [Infinity]}}', "Infinity", "ligne 1, colonne 14"),
    ],
)
def test_a_number_json_forbids_is_refused_with_what_and_where(api_client, curator, body, value, where):
    # Python's json reads NaN and Infinity, which JSON has no words for.
    api_client.force_authenticate(curator)
    response = api_client.post(reverse("api_kits"), data=body, content_type="application/json")
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "parse_error"
    assert error["message"] == (
        f"Le corps de la requête contient {value} ({where}), qui n’est pas un nombre en JSON : "
        "envoyez un nombre fini ou null."
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token", "En-tête Authorization incomplet : écrivez « Token », une espace, puis votre jeton."),
        (
            "Token a b",
            "En-tête Authorization non valide : écrivez « Token », une espace, puis votre jeton, sans autre espace.",
        ),
        ("Token inconnu", "Jeton inconnu : il a peut-être été révoqué ou remplacé. Créez-en un dans votre profil."),
    ],
)
def test_a_wrong_token_says_what_to_fix_in_french(api_client, db, header, message):
    response = api_client.get(reverse("api_kits"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    error = _error(response)
    assert (error["code"], error["message"]) == ("authentication_failed", message)


def test_the_token_of_a_deactivated_account_is_refused_in_french(api_client, ambassador):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=ambassador)
    ambassador.is_active = False
    ambassador.save(update_fields=["is_active"])
    response = api_client.get(reverse("api_kits"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    assert _error(response)["message"] == "Le compte de ce jeton est désactivé ou supprimé."


def test_a_validation_error_of_drf_writes_the_sites_apostrophe(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post(reverse("api_kits"), data={"title": "Un kit", "texts": "pas une liste"}, format="json")
    assert response.status_code == 400
    # DRF's own French: « d'éléments » in its catalogue, corrected by the project's.
    assert _error(response)["fields"]["texts"] == {
        "non_field_errors": ["Attendait une liste d’éléments mais a reçu «\xa0str\xa0»."]
    }


def test_parse_errors_follow_the_language_asked_for(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post(
        reverse("api_kits"), data="{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    error = _error(response)
    assert error["code"] == "parse_error"
    assert error["message"].startswith("The request body is not valid JSON (line 1, column 2)")


def test_an_unsupported_media_type_says_what_to_send(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post(reverse("api_kits"), data="<kit/>", content_type="application/xml")
    assert response.status_code == 415
    error = _error(response)
    assert error["code"] == "unsupported_media_type"
    assert error["message"] == (
        "Type de contenu « application/xml » non pris en charge : envoyez du JSON (Content-Type: application/json)."
    )


def test_an_unacceptable_accept_header_is_answered_in_french(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.get(reverse("api_kits"), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    error = _error(response)
    assert error["code"] == "not_acceptable"
    assert error["message"] == "L’API ne répond qu’en JSON : demandez application/json dans l’en-tête Accept."


def test_a_wrong_method_names_it_in_french(api_client, manager):
    api_client.force_authenticate(manager)
    response = api_client.delete(reverse("api_reach_report_units"))
    assert _error(response)["message"] == "La méthode DELETE n’est pas acceptée à cette adresse."


def test_missing_credentials_say_how_to_authenticate(api_client, db):
    response = api_client.get(reverse("api_kits"))
    assert response.status_code == 401
    error = _error(response)
    assert error["code"] == "not_authenticated"
    assert error["message"].startswith("Authentification requise : connectez-vous ou envoyez un jeton")


def test_a_permission_error_raised_in_a_view_reads_as_the_api_refusals(rf):
    # Django's PermissionDenied, raised by a helper a view calls, becomes DRF's default
    # refusal: it reads like the refusals of the access rules, apostrophe included.
    response = exception_handler(PermissionDenied(), {"request": Request(rf.get("/api/v1/kits/"))})
    assert response.status_code == 403
    assert response.data["error"] == {
        "code": "permission_denied",
        "message": "Vous n’avez pas accès à cette ressource.",
        "fields": {},
    }


# --- The site's error pages ---------------------------------------------------------------

ERROR_PAGES = {
    "errors/403.html": ("Accès refusé", "Erreur 403"),
    "errors/404.html": ("Page non trouvée", "Erreur 404"),
    "errors/405.html": ("Cette adresse ne s’ouvre pas directement", "Erreur 405"),
    "429.html": ("Trop de tentatives", "Erreur 429"),
    "errors/500.html": ("Erreur inattendue", "Erreur 500"),
}


@pytest.mark.parametrize("name", ERROR_PAGES)
def test_every_error_page_is_the_one_error_layout(name, rf, db):
    template = loader.get_template(name)
    assert template.template.nodelist.get_nodes_by_type(ExtendsNode)[0].parent_name.var == "errors/base.html"
    request = rf.get("/")
    request.user = AnonymousUser()
    body = template.render({}, request)
    heading, code = ERROR_PAGES[name]
    assert f"<title>{heading} — " in body
    assert f"<h1>{heading}</h1>" in body and code in body
    assert body.count("<h1>") == 1


def test_the_500_page_renders_without_the_database_nor_the_context_processors(rf):
    # No db fixture: any query would fail the test, as it would fail when the database is down.
    response = error_500(rf.get("/contenus/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "<h1>Erreur inattendue</h1>" in body and '<html lang="fr"' in body
    assert '<a class="fr-btn" href="/">' in body


@pytest.mark.parametrize("path", ["/partager/", "/partager/kit/1/"])
def test_staff_not_in_the_programme_are_shown_how_to_join_it(client, staff, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Vous n’êtes pas encore ambassadeur·rice</h1>" in body
    assert f'href="{reverse("programme")}"' in body and "rejoindre" in body
    assert "mailto:" in body
    assert "réservée à d’autres rôles" not in body


def test_other_refusals_keep_the_generic_page(client, ambassador):
    client.force_login(ambassador)
    response = client.get(reverse("kit_library"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Accès refusé</h1>" in body and "réservée à d’autres rôles" in body
    assert "pas encore ambassadeur" not in body
