"""The Mastodon hashtag timeline collector, against recorded responses on 127.0.0.1."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Network
from advocacy.reach.collectors import CollectorError, Skipped, mastodon, query_claim
from advocacy.reach.models import CollectorState, SocialPost
from tests.reach.fake_server import recorded


@pytest.fixture
def slept():
    return []


@pytest.fixture
def collector(api_server, slept):
    return mastodon.MastodonCollector(instance="piaille.fr", base_url=api_server.base, sleep=slept.append)


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


def test_an_error_keeps_since_id_and_is_recorded(collector, api_server, programme_tag, slept):
    api_server.queue(*[{"status": 503, "body": {"error": "Service Unavailable"}}] * 4)
    with pytest.raises(CollectorError, match=r"503.*\(after 4 attempts\)"):
        collector.collect(hashtag=programme_tag)
    state = CollectorState.objects.get()
    assert state.since_id == "" and "503" in state.last_error
    assert slept == [2, 4, 8] and state.claimed_until is None


def test_a_transient_error_is_retried_after_a_short_backoff(collector, api_server, programme_tag, slept):
    api_server.queue(
        {"status": 502, "text": "<html><body><h1>502 Bad Gateway</h1></body></html>"},
        recorded("mastodon/tag_page1.json", base=api_server.base),
        recorded("mastodon/tag_empty.json"),
    )

    assert collector.collect(hashtag=programme_tag) == 2

    assert slept == [2]
    assert CollectorState.objects.get().since_id == "113546789012345678"


def test_an_instance_that_is_down_is_retried_then_recorded(programme_tag, unused_port, slept):
    collector = mastodon.MastodonCollector(
        instance="piaille.fr", base_url=f"http://127.0.0.1:{unused_port}", sleep=slept.append
    )
    with pytest.raises(CollectorError, match=r"piaille.fr unreachable: .*\(after 4 attempts\)"):
        collector.collect(hashtag=programme_tag)
    assert slept == [2, 4, 8]
    assert "unreachable" in CollectorState.objects.get().last_error


def _read_first_page(collector, api_server, programme_tag):
    api_server.queue(recorded("mastodon/tag_page1.json", base=api_server.base), recorded("mastodon/tag_empty.json"))
    collector.collect(hashtag=programme_tag)


def test_a_rate_limit_pauses_the_query_until_the_reset_and_keeps_what_was_read(
    collector, api_server, programme_tag, slept, caplog
):
    _read_first_page(collector, api_server, programme_tag)
    reset = (timezone.now() + timedelta(minutes=4)).replace(microsecond=0)
    api_server.queue(
        recorded("mastodon/tag_forward_page1.json", base=api_server.base),
        recorded("mastodon/rate_limited.json", reset=reset.isoformat().replace("+00:00", ".000Z")),
    )

    with caplog.at_level(logging.WARNING, logger="advocacy.reach.collectors.mastodon"):
        assert collector.collect(hashtag=programme_tag) == 2

    assert slept == []
    state = CollectorState.objects.get()
    assert state.resume_at == reset and state.last_error == ""
    # Read forward, the page before the limit is kept: the next run goes on after it.
    assert state.since_id == "113546800000000002"
    assert f"paused until {reset.isoformat()}" in caplog.text
    with pytest.raises(Skipped, match="paused until"):
        collector.collect(hashtag=programme_tag)
    assert len(api_server.received) == 4


def test_an_error_after_some_forward_pages_keeps_them_and_the_next_run_goes_on(collector, api_server, programme_tag):
    _read_first_page(collector, api_server, programme_tag)
    api_server.queue(
        recorded("mastodon/tag_forward_page1.json", base=api_server.base),
        *[{"status": 503, "body": {"error": "Service Unavailable"}}] * 4,
    )
    with pytest.raises(CollectorError):
        collector.collect(hashtag=programme_tag)
    assert CollectorState.objects.get().since_id == "113546800000000002"

    api_server.queue(
        recorded("mastodon/tag_forward_page2.json", base=api_server.base), recorded("mastodon/tag_empty.json")
    )
    assert collector.collect(hashtag=programme_tag) == 2
    assert api_server.received[-2].query["min_id"] == ["113546800000000002"]
    assert SocialPost.objects.count() == 6


def test_a_first_run_stopped_part_way_starts_again_from_the_newest(collector, api_server, programme_tag):
    """Read backward, the pages after an error were never read: since_id stays empty."""
    api_server.queue(
        recorded("mastodon/tag_page1.json", base=api_server.base),
        recorded("mastodon/rate_limited.json", reset="2026-11-23T10:15:00.000Z"),
    )
    collector.collect(hashtag=programme_tag)
    assert CollectorState.objects.get().since_id == ""


def test_a_query_another_run_is_collecting_is_skipped_without_a_request(collector, api_server, programme_tag):
    query_claim(key="mastodon:piaille.fr:avecpoleemploi", source=SocialPost.Source.MASTODON)
    with pytest.raises(Skipped, match="another run"):
        collector.collect(hashtag=programme_tag)
    assert api_server.received == []


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


def test_a_status_without_a_readable_date_is_left_out_and_the_run_goes_on(collector, api_server, programme_tag, caplog):
    """One status an instance sends without what a post needs must not fail its page at
    every run: it is left out and logged, the others are stored, since_id moves past it."""
    page = recorded("mastodon/tag_page1.json", base=api_server.base)
    broken = page["body"][0]
    broken["created_at"] = "hier"
    api_server.queue(page, recorded("mastodon/tag_empty.json"))
    stored = collector.collect(hashtag=programme_tag)
    assert stored == len(page["body"]) - 1
    assert not SocialPost.objects.filter(external_id=broken["uri"]).exists()
    state = CollectorState.objects.get()
    assert (state.since_id, state.last_error) == (broken["id"], "")
    assert "status left out" in caplog.text


def test_an_impossible_reset_time_pauses_five_minutes(collector, api_server, programme_tag):
    api_server.queue(recorded("mastodon/rate_limited.json", reset="2026-02-30T10:15:00.000Z"))
    before = timezone.now()
    collector.collect(hashtag=programme_tag)
    state = CollectorState.objects.get()
    assert before + timedelta(minutes=4) < state.resume_at <= timezone.now() + timedelta(minutes=5)


def test_a_rate_limit_pauses_every_query_of_the_instance_and_not_the_other_instances(
    settings, api_server, programme_tag, watched_tag
):
    """Mastodon limits each address, whatever the tag: once one tag meets the 429, the
    instance's other tags wait for the same reset without a request of their own."""
    settings.MASTODON_INSTANCES = ["piaille.fr", "mastodon.social"]
    CollectorState.objects.create(key="mastodon:mastodon.social:avecpoleemploi", source=SocialPost.Source.MASTODON)
    reset = (timezone.now() + timedelta(minutes=4)).replace(microsecond=0)
    api_server.queue(
        recorded("mastodon/rate_limited.json", reset=reset.isoformat().replace("+00:00", ".000Z")),
        recorded("mastodon/tag_empty.json"),
        recorded("mastodon/tag_empty.json"),
    )

    results = mastodon.collect_all(base_urls={"piaille.fr": api_server.base, "mastodon.social": api_server.base})

    assert results == {
        "piaille.fr:avecpoleemploi": 0,
        "piaille.fr:tweetecommepoleemploi": f"paused until {reset.isoformat()}",
        "mastodon.social:avecpoleemploi": 0,
        "mastodon.social:tweetecommepoleemploi": 0,
    }
    assert len(api_server.received) == 3
    state = CollectorState.objects.get(key="mastodon:piaille.fr:avecpoleemploi")
    assert (state.resume_at, state.pause_reason) == (reset, CollectorState.PauseReason.RATE_LIMIT)
    assert CollectorState.objects.get(key="mastodon:mastodon.social:avecpoleemploi").resume_at is None


def test_the_refresh_catches_a_status_that_arrived_below_the_cursor_and_updates_metrics(
    settings, api_server, programme_tag
):
    """Mastodon gives a status it fetches late (a boost of an older post, a reply thread)
    an id from its publication time, not from its arrival: once the forward read stands
    past it, min_id never returns it. The refresh reads the last hours again, newest
    first, from the id of their first millisecond, and leaves the cursor where it was."""
    settings.MASTODON_INSTANCES = ["piaille.fr"]
    settings.MASTODON_REFRESH_HOURS = 72
    cursor = "117665464320010775"  # a status of 11:15, read before the late one arrived
    CollectorState.objects.create(
        key="mastodon:piaille.fr:avecpoleemploi", source=SocialPost.Source.MASTODON, since_id=cursor
    )
    api_server.queue(recorded("mastodon/tag_recent_with_late_status.json", base=api_server.base))
    api_server.queue(recorded("mastodon/tag_empty.json"))

    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False):
        results = mastodon.collect_all(base_urls={"piaille.fr": api_server.base}, refresh=True)

    assert results == {"piaille.fr:avecpoleemploi": 2}
    first, second = api_server.received
    window_start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert first.query == {"limit": ["40"], "since_id": [str(int(window_start.timestamp() * 1000) << 16)]}
    assert "min_id" not in first.query
    assert second.query["max_id"] == ["117665287372810775"] and second.query["since_id"] == first.query["since_id"]
    late = SocialPost.objects.get(external_id="https://mastodon.social/users/agence_lyon/statuses/113547120000000000")
    assert int("117665287372810775") < int(cursor) and late.author_instance == "mastodon.social"
    assert CollectorState.objects.get().since_id == cursor


def test_a_refresh_that_stops_at_its_limit_says_how_far_back_it_read(
    settings, api_server, programme_tag, caplog, admin_client
):
    """A tag busier than MASTODON_REFRESH_MAX_STATUSES over the window: the refresh stops
    with a page still offered (the Link header's next), and says so in the log and on the
    query's state instead of passing over the statuses it did not read again."""
    settings.MASTODON_INSTANCES = ["piaille.fr"]
    settings.MASTODON_REFRESH_HOURS = 72
    settings.MASTODON_REFRESH_MAX_STATUSES = 40  # one page
    state = CollectorState.objects.create(
        key="mastodon:piaille.fr:avecpoleemploi", source=SocialPost.Source.MASTODON, since_id="117665464320010775"
    )
    api_server.queue(recorded("mastodon/tag_recent_with_late_status.json", base=api_server.base))
    noon = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    with caplog.at_level(logging.WARNING), time_machine.travel(noon, tick=False):
        results = mastodon.collect_all(base_urls={"piaille.fr": api_server.base}, refresh=True)

    assert results == {"piaille.fr:avecpoleemploi": 2} and len(api_server.received) == 1
    state.refresh_from_db()
    # The next link's max_id: the status of 10:30, below which nothing was read.
    assert state.refresh_read_until == datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    assert (state.last_error, state.since_id) == ("", "117665464320010775")
    [warning] = [r.getMessage() for r in caplog.records if "refresh stopped" in r.getMessage()]
    assert "#AvecPôleEmploi" in warning and "40 statuses" in warning
    assert "2026-11-23T10:30:00+00:00" in warning and "2026-11-20T12:00:00+00:00" in warning
    page = admin_client.get(f"/admin/reach/collectorstate/{state.pk}/change/").content.decode()
    assert "Dernière actualisation incomplète : lue jusqu’à" in page and "23 novembre 2026 11:30" in page

    # A refresh that reads its whole window clears it.
    settings.MASTODON_REFRESH_MAX_STATUSES = 1000
    api_server.queue(
        recorded("mastodon/tag_recent_with_late_status.json", base=api_server.base), recorded("mastodon/tag_empty.json")
    )
    with time_machine.travel(noon + timedelta(hours=1), tick=False):
        mastodon.collect_all(base_urls={"piaille.fr": api_server.base}, refresh=True)
    assert CollectorState.objects.get().refresh_read_until is None


def test_the_refresh_limit_is_a_setting_of_a_thousand_statuses_by_default():
    from django.conf import settings

    assert settings.MASTODON_REFRESH_MAX_STATUSES == 1000


def test_the_refresh_is_queued_by_beat_with_its_settings():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reach-refresh-mastodon"]
    assert entry["task"] == "advocacy.reach.tasks.collect_mastodon" and entry["kwargs"] == {"refresh": True}
    assert entry["schedule"] == settings.MASTODON_REFRESH_EVERY_HOURS * 3600


def test_a_since_id_that_is_not_a_status_id_reads_from_the_newest_instead_of_failing(
    collector, api_server, programme_tag, caplog
):
    """Typed by hand before the admin checked it, "abc" made every run fail on int()."""
    CollectorState.objects.create(key="mastodon:piaille.fr:avecpoleemploi", source=SocialPost.Source.MASTODON,
                                  since_id="abc")  # fmt: skip
    api_server.queue(recorded("mastodon/tag_page1.json", base=api_server.base), recorded("mastodon/tag_empty.json"))

    assert collector.collect(hashtag=programme_tag) == 2

    assert "min_id" not in api_server.received[0].query
    assert CollectorState.objects.get().since_id == "113546789012345678"
    assert "is not a status id" in caplog.text


def test_a_reset_time_already_past_still_pauses_the_instance_a_minute(settings, api_server, programme_tag, watched_tag):
    """A 429 says the limit is met now. A reset time already past (the instance's clock
    behind ours, or a window ending as the answer travels) paused nothing: every other tag
    of the instance sent its own request into the same 429, run after run."""
    settings.MASTODON_INSTANCES = ["piaille.fr"]
    reset = (timezone.now() - timedelta(seconds=20)).replace(microsecond=0)
    api_server.queue(
        recorded("mastodon/rate_limited.json", reset=reset.isoformat().replace("+00:00", ".000Z")),
        recorded("mastodon/tag_empty.json"),
    )
    before = timezone.now()

    results = mastodon.collect_all(base_urls={"piaille.fr": api_server.base})

    assert len(api_server.received) == 1
    assert str(results["piaille.fr:tweetecommepoleemploi"]).startswith("paused until")
    resume_at = CollectorState.objects.get(key="mastodon:piaille.fr:avecpoleemploi").resume_at
    assert before + timedelta(seconds=59) <= resume_at <= timezone.now() + timedelta(minutes=1)
