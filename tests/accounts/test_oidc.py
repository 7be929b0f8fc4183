"""Sign-in through the organisation's OpenID Connect provider (a local fake one)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.accounts.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider

PROVIDER_ID = "france-travail"


@pytest.fixture
def provider(settings, db):
    with FakeProvider() as fake:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "France Travail",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": fake.url, "fetch_userinfo": True},
                    }
                ],
            }
        }
        yield fake


def _start(client):
    response = client.post(f"/compte/oidc/{PROVIDER_ID}/login/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    return location, params


def _claims(**extra):
    claims = {
        "sub": "ft-000123",
        "email": "ines.haddad@francetravail.example",
        "email_verified": True,
        "given_name": "Inès",
        "family_name": "Haddad",
    }
    claims.update(extra)
    return claims


def test_sign_in_page_offers_the_organisation_provider(client, provider):
    page = client.get("/compte/login/").content.decode()
    assert "Se connecter avec France Travail" in page


def test_first_sign_in_creates_the_account(client, provider):
    location, params = _start(client)
    assert f"{location.scheme}://{location.netloc}" == provider.url
    assert params["client_id"] == CLIENT_ID and params["response_type"] == "code"
    assert "code_challenge" in params  # PKCE
    code = provider.issue_code(**_claims(nonce=params.get("nonce")))
    response = client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": params["state"]})
    assert response.status_code == 302
    person = User.objects.get(email="ines.haddad@francetravail.example")
    assert (person.first_name, person.last_name) == ("Inès", "Haddad")
    assert client.get("/profil/").status_code == 200
    assert "POST /token" in provider.requests


def test_existing_staff_member_lands_in_their_account(client, provider):
    existing = UserFactory(email="ines.haddad@francetravail.example", first_name="Inès", last_name="Haddad")
    _location, params = _start(client)
    code = provider.issue_code(**_claims())
    client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": params["state"]})
    assert User.objects.filter(email="ines.haddad@francetravail.example").count() == 1
    assert client.get("/api/v1/me/").json()["id"] == existing.pk


def test_a_forged_state_is_refused(client, provider):
    _start(client)
    code = provider.issue_code(**_claims())
    response = client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": "forged"})
    assert response.status_code == 401
    assert "Erreur" in response.content.decode() or "erreur" in response.content.decode()
    assert client.get("/profil/").status_code == 302
    assert not User.objects.filter(email="ines.haddad@francetravail.example").exists()


def test_an_unknown_code_is_refused(client, provider):
    _location, params = _start(client)
    client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": "not-issued", "state": params["state"]})
    assert client.get("/profil/").status_code == 302
    assert not User.objects.filter(email="ines.haddad@francetravail.example").exists()


def test_a_deactivated_person_cannot_sign_in_through_the_provider(client, provider):
    UserFactory(email="ines.haddad@francetravail.example", is_active=False)
    _location, params = _start(client)
    code = provider.issue_code(**_claims())
    client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": params["state"]})
    assert client.get("/profil/").status_code == 302


def test_the_directory_places_people_in_their_unit(client, provider, org, settings):
    settings.OIDC_UNIT_CLAIM = "ft_unit"
    existing = UserFactory(email="ines.haddad@francetravail.example", unit=org["a-bre-1"])
    _location, params = _start(client)
    code = provider.issue_code(**_claims(ft_unit="a-occ-2"))
    client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": params["state"]})
    existing.refresh_from_db()
    assert existing.unit == org["a-occ-2"]


def test_an_unknown_unit_code_leaves_the_unit_alone(client, provider, org, settings):
    settings.OIDC_UNIT_CLAIM = "ft_unit"
    _location, params = _start(client)
    code = provider.issue_code(**_claims(ft_unit="no-such-unit"))
    client.get(f"/compte/oidc/{PROVIDER_ID}/login/callback/", {"code": code, "state": params["state"]})
    assert User.objects.get(email="ines.haddad@francetravail.example").unit is None


def test_provider_is_off_without_configuration(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert "Se connecter avec" not in client.get("/compte/login/").content.decode()
    assert client.post(f"/compte/oidc/{PROVIDER_ID}/login/").status_code == 404
