"""API of the ambassador portal: feed, share creation, post address, my figures."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from advocacy.sharing import services
from tests.content.factories import topic
from tests.sharing.factories import click_event, live_kit, share


@pytest.fixture
def api(api_client, ambassador):
    api_client.force_authenticate(ambassador)
    return api_client


def test_feed_lists_my_kits_with_where_i_shared(api, ambassador, django_assert_max_num_queries):
    youth = topic("Jeunes")
    kit = live_kit(title="Un kit", topics=[youth], is_important=True)
    live_kit(title="Un autre")
    share(ambassador=ambassador, kit=kit, network="bluesky")
    body = api.get(reverse("api_sharing_feed")).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert (first["title"], first["shared_on"], first["topics"]) == (
        "Un kit",
        ["bluesky"],
        [{"slug": youth.slug, "name": "Jeunes"}],
    )


def test_create_share_returns_the_networks_link_and_the_tracked_link(api):
    kit = live_kit()
    response = api.post(
        reverse("api_sharing_share_create", kwargs={"slug": kit.slug}),
        {"network": "x", "text": "Mon texte"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert "/s/" in body["tracked_link"]
    query = parse_qs(urlsplit(body["share_url"]).query)
    assert query["url"] == [body["tracked_link"]] and query["text"] == ["Mon texte"]


def test_create_share_on_linkedin_gives_the_text_to_paste(api):
    kit = live_kit()
    body = api.post(
        reverse("api_sharing_share_create", kwargs={"slug": kit.slug}),
        {"network": "linkedin", "text": "Mon texte"},
        format="json",
    ).json()
    assert body["share_url"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert body["clipboard"].startswith("Mon texte")


def test_create_share_of_an_unknown_kit_is_not_found(api, db):
    response = api.post(
        reverse("api_sharing_share_create", kwargs={"slug": "nope"}), {"network": "x", "text": "t"}, format="json"
    )
    assert response.status_code == 404


def test_create_share_refused_by_a_rule_is_a_structured_error(api):
    kit = live_kit()
    response = api.post(
        reverse("api_sharing_share_create", kwargs={"slug": kit.slug}), {"network": "myspace", "text": "t"}
    )
    assert response.status_code == 400
    assert "network" in response.json()["error"]["fields"]


def test_attach_post_url(api, ambassador):
    recorded = share(ambassador=ambassador, network="x")
    response = api.post(
        reverse("api_sharing_share_post", kwargs={"pk": recorded.pk}), {"post_url": "https://linkedin.com/p/1"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"post_url": [response.json()["error"]["message"]]}


def test_my_figures(api, ambassador):
    recorded = share(ambassador=ambassador, network="x")
    services.clicks_store([click_event(recorded.link), click_event(recorded.link, kind="preview")])
    body = api.get(reverse("api_sharing_my_figures")).json()
    assert (body["shares"], body["human_clicks"], body["other_requests"]["preview"]) == (1, 1, 1)
    assert body["by_network"] == [{"network": "x", "shares": 1, "human_clicks": 1}]
    assert body["last_30_days"][-1]["human_clicks"] == 1
