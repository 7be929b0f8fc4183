"""The OpenAPI schema is valid, and fuzzing every endpoint never yields a server error."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from advocacy.wsgi import application
from tests.accounts.factories import make_ambassador


def test_schema_is_valid_and_generates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "openapi: 3" in text
    assert "/api/v1/me/" in text


def test_schema_and_docs_pages_are_served(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "<script>" not in docs.content.decode()  # the docs obey the no-inline-script policy


@pytest.fixture
def token(org, charter):
    # One person holding every role reaches every endpoint's deepest code paths.
    user = make_ambassador(
        unit=org["dg"], charter=charter, curator=True, moderator=True, admin=True, managed_unit=org["dg"]
    )
    return Token.objects.create(user=user).key


# Reading the schema touches no database, so it is loaded once, at collection.
@pytest.fixture
def keep_test_connection():
    """Calls go through the real WSGI handler, which closes the database connection at the
    end of each request; the test transaction needs it open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_under_fuzzing(db, keep_test_connection, case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])


def test_an_unknown_api_address_answers_in_the_apis_error_format(client, db):
    response = client.get("/api/v1/pas-de-point-d-acces/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Ressource introuvable.", "fields": {}}}
    assert "<html" in client.get("/pas-de-page/").content.decode()  # pages keep their HTML page


def test_a_server_error_in_the_api_answers_in_the_apis_error_format(rf):
    from advocacy.views import error_500

    response = error_500(rf.get("/api/v1/kits/"))
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"
