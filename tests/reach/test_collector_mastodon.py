"""The Mastodon hashtag timeline collector, against recorded responses on 127.0.0.1."""

import pytest

from accounts.models import Network
from advocacy.reach.collectors import CollectorError, mastodon
from advocacy.reach.models import CollectorState, SocialPost
from tests.reach.fake_server import recorded


@pytest.fixture
def collector(api_server):
    return mastodon.MastodonCollector(instance="piaille.fr", base_url=api_server.base)


def test_timeline_pages_are_followed_through_the_link_header(collector, api_server, programme_tag):
    api_server.queue(
        recorded("mastodon/tag_page1.json", base=api_server.base),
        recorded("mastodon/tag_page2.json", base=api_server.base),
        recorded("mastodon/tag_empty.json"),
    )

    assert collector.collect(hashtag=programme_tag) == 3

    first, second, third = api_server.received
    # Mastodon folds accents itself: the plain spelling is the tag's timeline.
    assert first.path == "/api/v1/timelines/tag/AvecPoleEmploi"
    assert first.query == {"limit": ["40"]}
    assert second.query["max_id"] == ["113546700000000001"]
    assert third.query["max_id"] == ["113546600000000000"]
    assert SocialPost.objects.filter(network=Network.MASTODON).count() == 3
    assert CollectorState.objects.get(key="mastodon:piaille.fr:avecpoleemploi").since_id == "113546789012345678"


def test_statuses_are_stored_with_author_instance_metrics_and_tracked_code(collector, api_server, programme_tag):
    api_server.queue(recorded("mastodon/tag_page1.json", base=api_server.base), recorded("mastodon/tag_empty.json"))
    collector.collect(hashtag=programme_tag)

    local = SocialPost.objects.get(external_id="https://piaille.fr/users/camille/statuses/113546789012345678")
    assert (local.author_handle, local.author_instance) == ("camille", "piaille.fr")
    assert (local.reposts, local.replies, local.likes, local.quotes, local.impressions) == (5, 2, 14, 0, None)
    assert local.author_followers == 96
    assert local.text.startswith("Atelier numérique ce matin à l'agence de Rennes #AvecPôleEmploi")
    assert local.tracked_code == "Mx9Ta2Qw"
    assert local.url == "https://piaille.fr/@camille/113546789012345678"
    remote = SocialPost.objects.get(url="https://mastodon.social/@emploi_toulouse/113546699887766554")
    assert (remote.author_handle, remote.author_instance) == ("emploi_toulouse", "mastodon.social")
    assert remote.quotes is None  # older servers do not send quotes_count
    assert remote.text == "Le #avecpoleemploi recrute aussi des saisonniers\nInscriptions ouvertes"


def test_next_run_asks_only_for_newer_statuses_and_updates_metrics(collector, api_server, programme_tag):
    api_server.queue(recorded("mastodon/tag_page1.json", base=api_server.base), recorded("mastodon/tag_empty.json"))
    collector.collect(hashtag=programme_tag)
    api_server.queue(recorded("mastodon/tag_refetch.json"))

    collector.collect(hashtag=programme_tag)

    assert api_server.received[2].query["min_id"] == ["113546789012345678"]
    post = SocialPost.objects.get(external_id="https://piaille.fr/users/camille/statuses/113546789012345678")
    assert (post.reposts, post.replies, post.likes, post.author_followers) == (8, 3, 21, 97)
    assert SocialPost.objects.count() == 2


def test_later_runs_read_forward_from_the_last_status_seen_so_a_page_limit_leaves_no_gap(
    collector, api_server, programme_tag, monkeypatch
):
    """Mastodon gives the newest statuses first for since_id, but those immediately newer
    than min_id: reading forward, a run that stops at MAX_PAGES misses nothing."""
    api_server.queue(recorded("mastodon/tag_page1.json", base=api_server.base), recorded("mastodon/tag_empty.json"))
    collector.collect(hashtag=programme_tag)
    monkeypatch.setattr(mastodon, "MAX_PAGES", 1)
    api_server.queue(recorded("mastodon/tag_forward_page1.json", base=api_server.base))

    assert collector.collect(hashtag=programme_tag) == 2  # stopped by the page limit

    api_server.queue(
        recorded("mastodon/tag_forward_page2.json", base=api_server.base), recorded("mastodon/tag_empty.json")
    )
    monkeypatch.setattr(mastodon, "MAX_PAGES", 25)
    assert collector.collect(hashtag=programme_tag) == 2
    asked = [request.query.get("min_id", [""])[0] for request in api_server.received[2:]]
    assert asked == ["113546789012345678", "113546800000000002", "113546810000000002"]
    assert all("since_id" not in request.query and "max_id" not in request.query for request in api_server.received[2:])
    assert CollectorState.objects.get().since_id == "113546810000000002"
    assert SocialPost.objects.count() == 6


def test_same_status_read_on_two_instances_is_stored_once(api_server, programme_tag):
    page = recorded("mastodon/tag_page1.json", base=api_server.base)
    page["headers"] = {}
    api_server.queue(page, dict(page))
    mastodon.MastodonCollector(instance="piaille.fr", base_url=api_server.base).collect(hashtag=programme_tag)
    mastodon.MastodonCollector(instance="mastodon.social", base_url=api_server.base).collect(hashtag=programme_tag)
    assert SocialPost.objects.count() == 2
    assert CollectorState.objects.count() == 2


def test_an_error_keeps_since_id_and_is_recorded(collector, api_server, programme_tag):
    api_server.queue({"status": 503, "body": {"error": "Service Unavailable"}})
    with pytest.raises(CollectorError):
        collector.collect(hashtag=programme_tag)
    state = CollectorState.objects.get()
    assert state.since_id == "" and "503" in state.last_error


def test_collect_all_reads_each_configured_instance(settings, programme_tag, api_server):
    settings.MASTODON_INSTANCES = ["piaille.fr"]
    api_server.queue(recorded("mastodon/tag_empty.json"))
    assert mastodon.collect_all(base_urls={"piaille.fr": api_server.base}) == {"piaille.fr:avecpoleemploi": 0}


def test_no_instance_configured_means_no_request(settings, programme_tag, api_server):
    settings.MASTODON_INSTANCES = []
    assert mastodon.collect_all() == {}
    assert api_server.received == []


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("mastodon/instance_maintenance.json", "piaille.fr answered 200 with something other than JSON (text/html"),
        ("mastodon/error_object.json", "piaille.fr answered 200 with a JSON dict where a list was expected"),
    ],
)
def test_an_answer_that_is_not_a_timeline_fails_that_instance_clearly(
    settings, api_server, programme_tag, watched_tag, fixture, says
):
    settings.MASTODON_INSTANCES = ["piaille.fr"]
    api_server.queue(recorded(fixture), recorded("mastodon/tag_empty.json"))

    results = mastodon.collect_all(base_urls={"piaille.fr": api_server.base})

    assert results["piaille.fr:avecpoleemploi"].startswith(f"error: {says}")
    assert results["piaille.fr:tweetecommepoleemploi"] == 0  # the next hashtag is still collected
    assert CollectorState.objects.get(key="mastodon:piaille.fr:avecpoleemploi").last_error.startswith(says)
