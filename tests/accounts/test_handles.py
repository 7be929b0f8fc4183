"""Each network's handle rules, and how handles are declared."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.handles import canonical_handle
from advocacy.errors import Conflict, DomainError
from tests.accounts.factories import UserFactory

VALID = [
    ("x", "@Camille_LeGoff", "camille_legoff", ""),
    ("x", "https://x.com/jack", "jack", ""),
    ("x", "https://twitter.com/PoleEmploi_BRE/", "poleemploi_bre", ""),
    ("linkedin", "https://www.linkedin.com/in/camille-le-goff/", "camille-le-goff", ""),
    ("linkedin", "camille-le-goff-12345", "camille-le-goff-12345", ""),
    ("facebook", "https://www.facebook.com/camille.legoff", "camille.legoff", ""),
    ("instagram", "@camille.le_goff", "camille.le_goff", ""),
    ("bluesky", "@camille.bsky.social", "camille.bsky.social", ""),
    ("bluesky", "https://bsky.app/profile/agent.francetravail.fr", "agent.francetravail.fr", ""),
    ("mastodon", "@camille@piaille.fr", "camille", "piaille.fr"),
    ("mastodon", "https://mastodon.social/@Camille", "camille", "mastodon.social"),
]

INVALID = [
    ("x", "camille le goff"),  # space
    ("x", "a" * 16),  # too long
    ("x", "twitterfan"),  # X forbids "twitter"
    ("x", "super_admin"),  # and "admin"
    ("x", "camille-legoff"),  # hyphen
    ("x", "https://facebook.com/camille"),  # another network's address
    ("linkedin", "ab"),
    ("linkedin", "camille_le_goff"),
    ("facebook", "cam"),
    ("facebook", "camille.com"),
    ("instagram", ".camille"),
    ("instagram", "camille..legoff"),
    ("instagram", "a" * 31),
    ("bluesky", "camille"),  # not a domain
    ("bluesky", "camille.-bad-.social"),
    ("bluesky", "camille.bsky.123"),  # top-level domain starts with a digit
    ("mastodon", "camille"),  # no instance
    ("mastodon", "@camille@not a domain"),
    ("mastodon", "@camille-le-goff@piaille.fr"),
    ("x", "   "),
]


@pytest.mark.parametrize(("network", "raw", "handle", "instance"), VALID)
def test_valid_handles_are_stored_in_canonical_form(network, raw, handle, instance):
    canonical = canonical_handle(network, raw)
    assert (canonical.handle, canonical.instance) == (handle, instance)


@pytest.mark.parametrize(("network", "raw"), INVALID)
def test_invalid_handles_are_refused_with_a_french_message(network, raw):
    with pytest.raises(ValidationError) as excinfo:
        canonical_handle(network, raw)
    message = excinfo.value.messages[0]
    assert message and message[0].isupper()


def test_mastodon_instance_can_be_given_apart():
    canonical = canonical_handle("mastodon", "camille", "Piaille.fr")
    assert (canonical.handle, canonical.instance) == ("camille", "piaille.fr")


def test_one_account_cannot_be_declared_by_two_people(db):
    first, second = UserFactory(), UserFactory()
    services.handle_save(user=first, network="x", handle="@Camille_LG")
    with pytest.raises(Conflict):
        services.handle_save(user=second, network="x", handle="camille_lg")


def test_redeclaring_replaces_the_handle_and_dates_the_follower_count(db):
    user = UserFactory()
    first = services.handle_save(user=user, network="x", handle="camille_lg", follower_count=100)
    second = services.handle_save(user=user, network="x", handle="camille_lg2", follower_count=150)
    assert first.pk == second.pk
    assert second.handle == "camille_lg2"
    assert second.follower_count == 150 and second.followers_declared_at is not None


def test_negative_follower_count_is_refused(db):
    with pytest.raises(DomainError):
        services.handle_save(user=UserFactory(), network="x", handle="camille_lg", follower_count=-1)


def test_handle_page_shows_the_network_rule_on_bad_input(client, ambassador):
    client.force_login(ambassador)
    response = client.post("/profil/reseaux/x/", {"handle": "pas valide!", "network": "x"})
    assert response.status_code == 200
    assert "Un nom d’utilisateur X compte de 1 à 15 caractères" in response.content.decode()
    assert not ambassador.handles.filter(network="x").exists()


def test_handle_page_shows_a_wrong_mastodon_instance_under_the_instance_field(client, ambassador):
    client.force_login(ambassador)
    response = client.post("/profil/reseaux/mastodon/", {"handle": "@camille", "instance": "pas un domaine"})
    form = response.context["form"]
    assert form.errors == {
        "instance": ["L’instance Mastodon doit être un nom de domaine, par exemple « mastodon.social »."]
    }
    missing = client.post("/profil/reseaux/mastodon/", {"handle": "camille", "instance": ""})
    assert list(missing.context["form"].errors) == ["instance"]
    # An instance written in the handle itself is the handle's error.
    in_handle = client.post("/profil/reseaux/mastodon/", {"handle": "@camille@pas un domaine", "instance": ""})
    assert list(in_handle.context["form"].errors) == ["handle"]


def test_handle_api_names_the_instance_field_when_the_instance_is_wrong(api_client, ambassador):
    api_client.force_login(ambassador)
    response = api_client.post(
        "/api/v1/me/handles/", {"network": "mastodon", "handle": "camille", "instance": "pas un domaine"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["instance"]


def test_handle_api_returns_a_structured_error(api_client, ambassador):
    api_client.force_login(ambassador)
    response = api_client.post("/api/v1/me/handles/", {"network": "bluesky", "handle": "camille"}, format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and "handle" in body["fields"]


def test_handle_api_declares_and_deletes(api_client, ambassador):
    api_client.force_login(ambassador)
    created = api_client.post(
        "/api/v1/me/handles/",
        {"network": "mastodon", "handle": "@camille@piaille.fr", "follower_count": 42},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["profile_url"] == "https://piaille.fr/@camille"
    assert api_client.delete("/api/v1/me/handles/mastodon/").status_code == 204
    assert api_client.delete("/api/v1/me/handles/mastodon/").status_code == 404
