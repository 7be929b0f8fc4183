"""The X API v2 recent search collector, against recorded responses served on 127.0.0.1."""

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
import time_machine
from django.db.models import F
from django.utils import timezone

from accounts.models import Network
from advocacy.reach import tasks
from advocacy.reach.collectors import BUSY, CLAIM_DURATION, CollectorError, Skipped, query_claim
from advocacy.reach.collectors import x as x_collector
from advocacy.reach.models import CollectionGap, CollectorState, SocialPost
from tests.reach.fake_server import recorded


class FakeClock:
    """Starts at the real time: a pause it computes is compared with the database's now."""

    def __init__(self, now=None):
        self.now = float(int(time.time())) if now is None else now
        self.slept = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def collector(api_server, clock):
    return x_collector.XCollector(
        token="test-bearer", base_url=api_server.base, sleep=clock.sleep, clock=clock.time, max_wait=10
    )


def test_query_asks_for_both_spellings_and_leaves_reposts_out():
    assert x_collector.build_query("AvecPôleEmploi") == "(#AvecPôleEmploi OR #AvecPoleEmploi) -is:retweet"
    assert x_collector.build_query("TweeteCommePoleEmploi") == "#TweeteCommePoleEmploi -is:retweet"


def test_page_with_expansions_stores_posts_authors_and_metrics(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page_with_expansions.json"))

    assert collector.collect(hashtag=programme_tag) == 2

    request = api_server.received[0]
    assert request.path == "/2/tweets/search/recent"
    assert request.headers["authorization"] == "Bearer test-bearer"
    assert request.query["query"] == ["(#AvecPôleEmploi OR #AvecPoleEmploi) -is:retweet"]
    assert request.query["expansions"] == ["author_id"]
    assert "public_metrics" in request.query["user.fields"][0]
    assert set(request.query["tweet.fields"][0].split(",")) >= {"public_metrics", "created_at", "entities"}
    assert "since_id" not in request.query

    post = SocialPost.objects.get(network=Network.X, external_id="1992587301245706240")
    assert post.author_handle == "camille_legoff"
    assert post.author_name == "Camille Le Goff"
    assert post.author_followers == 842
    assert (post.reposts, post.replies, post.likes, post.quotes, post.impressions) == (4, 1, 23, 0, 1874)
    assert post.hashtag_list == ["avecpoleemploi"]
    assert post.tracked_code == "k7Qm2xPa"
    assert post.attribution == SocialPost.Attribution.TRACKED_LINK
    assert post.source == SocialPost.Source.X_API
    assert post.url == "https://x.com/Camille_LeGoff/status/1992587301245706240"
    assert post.posted_at.isoformat() == "2026-11-23T09:14:02+00:00"
    other = SocialPost.objects.get(external_id="1992571022911574016")
    assert other.attribution == SocialPost.Attribution.ORGANIC
    assert other.author_followers == 5120

    state = CollectorState.objects.get(key="x:avecpoleemploi")
    assert state.since_id == "1992587301245706240"
    assert state.last_success_at is not None and state.last_error == ""


def test_next_run_is_incremental_from_since_id(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page_with_expansions.json"), recorded("x/empty.json"))
    collector.collect(hashtag=programme_tag)
    collector.collect(hashtag=programme_tag)
    assert api_server.received[1].query["since_id"] == ["1992587301245706240"]
    assert CollectorState.objects.get().since_id == "1992587301245706240"


def test_pagination_follows_next_token(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page1_of_2.json"), recorded("x/page2_of_2.json"))

    assert collector.collect(hashtag=programme_tag) == 2

    first, second = api_server.received
    assert "next_token" not in first.query
    assert second.query["next_token"] == ["b26v89c19zqg8o3fr5c7fgf5m3krsy2q3ovl0pl9u8ql"]
    # The same search, continued: everything else is asked again unchanged.
    assert second.query["query"] == first.query["query"]
    assert SocialPost.objects.count() == 2
    # since_id is the newest post of the whole run, which the first page holds.
    assert CollectorState.objects.get().since_id == "1992601115468918784"
    # A full-width ＃ in the text matches even when X gives no hashtag entity.
    assert SocialPost.objects.get(external_id="1992590432711483392").hashtag_list == ["avecpoleemploi"]


def test_a_rate_limit_of_a_few_seconds_is_slept_through_then_retried(
    collector, api_server, clock, programme_tag, caplog
):
    reset = int(clock.now) + 5
    api_server.queue(recorded("x/rate_limited.json", reset=reset), recorded("x/page_with_expansions.json"))

    with caplog.at_level(logging.WARNING, logger="advocacy.reach.collectors.x"):
        assert collector.collect(hashtag=programme_tag) == 2

    assert clock.slept == [6]
    assert len(api_server.received) == 2
    assert api_server.received[0].query == api_server.received[1].query
    assert "rate limit" in caplog.text and "6 s" in caplog.text
    assert CollectorState.objects.get().resume_at is None


def test_a_longer_rate_limit_pauses_the_query_until_the_reset_without_sleeping(
    collector, api_server, clock, programme_tag, caplog
):
    reset = int(clock.now) + 900
    api_server.queue(recorded("x/rate_limited.json", reset=reset))

    with caplog.at_level(logging.WARNING, logger="advocacy.reach.collectors.x"):
        assert collector.collect(hashtag=programme_tag) == 0

    assert clock.slept == []  # no worker held asleep
    state = CollectorState.objects.get()
    resume_at = datetime.fromtimestamp(reset + 1, tz=UTC)
    assert state.resume_at == resume_at
    assert f"paused until {resume_at.isoformat()}" in caplog.text
    # A rate limit is not a failure, and the query is free for the run after the reset.
    assert state.last_error == "" and state.since_id == "" and state.claimed_until is None


def test_runs_before_the_reset_skip_every_x_query_without_a_request(
    settings, api_server, clock, programme_tag, watched_tag
):
    """With a bearer token, X's limit is the app's: a pause met by one hashtag's query
    holds the others too, even one never collected yet, instead of each spending a
    request to meet the same 429."""
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    resume_at = timezone.now() + timedelta(minutes=12)
    CollectorState.objects.create(key="x:avecpoleemploi", source=SocialPost.Source.X_API, resume_at=resume_at)

    results = x_collector.collect_all()

    paused = f"paused until {resume_at.isoformat()}"
    assert results == {"avecpoleemploi": paused, "tweetecommepoleemploi": paused}
    assert api_server.received == []


def test_a_rate_limit_met_by_one_hashtag_pauses_every_x_query_and_the_next_ones_send_nothing(
    settings, api_server, clock, programme_tag, watched_tag
):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    reset = int(time.time()) + 900
    CollectorState.objects.create(key="x:tweetecommepoleemploi", source=SocialPost.Source.X_API)
    api_server.queue(recorded("x/rate_limited.json", reset=reset))

    results = x_collector.collect_all()

    assert len(api_server.received) == 1  # one request learnt of the app's limit
    resume_at = CollectorState.objects.get(key="x:avecpoleemploi").resume_at
    assert abs(resume_at.timestamp() - (reset + 1)) < 1
    assert results == {"avecpoleemploi": 0, "tweetecommepoleemploi": f"paused until {resume_at.isoformat()}"}
    assert set(CollectorState.objects.values_list("resume_at", "pause_reason")) == {
        (resume_at, CollectorState.PauseReason.RATE_LIMIT)
    }


def test_the_monthly_usage_cap_pauses_every_x_query_for_a_day_and_says_so(
    collector, api_server, clock, programme_tag, watched_tag, caplog
):
    """X's 429 for the project's monthly post cap is not a 15-minute rate limit: its
    headers still show requests left and X gives no time for the cap's reset (the
    billing date). Every X query pauses for a day (X_USAGE_CAP_PAUSE_HOURS) without a
    retry, and the log and the admin say what it is."""
    CollectorState.objects.create(key="x:tweetecommepoleemploi", source=SocialPost.Source.X_API)
    api_server.queue(recorded("x/usage_capped.json", reset=int(clock.now) + 5))

    with caplog.at_level(logging.ERROR, logger="advocacy.reach.collectors.x"):
        assert collector.collect(hashtag=programme_tag) == 0

    assert clock.slept == [] and len(api_server.received) == 1  # not slept through nor retried
    resume_at = datetime.fromtimestamp(clock.now, tz=UTC) + timedelta(hours=24)
    assert set(CollectorState.objects.values_list("key", "resume_at", "pause_reason")) == {
        ("x:avecpoleemploi", resume_at, CollectorState.PauseReason.USAGE_CAP),
        ("x:tweetecommepoleemploi", resume_at, CollectorState.PauseReason.USAGE_CAP),
    }
    assert "X API monthly usage cap reached (Usage cap exceeded: Monthly product cap)" in caplog.text
    assert f"every X query is paused until {resume_at.isoformat()}" in caplog.text
    assert CollectorState.objects.get(key="x:avecpoleemploi").get_pause_reason_display() == (
        "plafond mensuel de l’API X atteint"
    )
    with pytest.raises(Skipped, match="paused until"):
        collector.collect(hashtag=watched_tag)
    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False), pytest.raises(Skipped):
        collector.collect(hashtag=programme_tag)
    assert len(api_server.received) == 1


def test_the_usage_cap_pause_comes_from_the_settings(settings, api_server, programme_tag):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    settings.X_USAGE_CAP_PAUSE_HOURS = 6
    api_server.queue(recorded("x/usage_capped.json", reset=int(time.time()) + 900))
    before = timezone.now()
    x_collector.collect_all()
    resume_at = CollectorState.objects.get().resume_at
    assert before + timedelta(hours=6) - timedelta(seconds=2) <= resume_at <= timezone.now() + timedelta(hours=6)


def test_the_refresh_reads_as_far_back_as_the_settings_say(settings, api_server, programme_tag):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    settings.X_REFRESH_DAYS = 2
    api_server.queue(recorded("x/empty.json"))
    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False):
        x_collector.collect_all(refresh=True)
    assert api_server.received[0].query["start_time"] == ["2026-11-21T12:00:00Z"]


def test_after_the_reset_the_paused_query_is_collected_again(collector, api_server, clock, programme_tag):
    api_server.queue(recorded("x/rate_limited.json", reset=int(clock.now) + 900))
    collector.collect(hashtag=programme_tag)
    api_server.queue(recorded("x/page_with_expansions.json"))

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert collector.collect(hashtag=programme_tag) == 2

    state = CollectorState.objects.get()
    assert state.resume_at is None and state.since_id == "1992587301245706240"


def test_a_run_stopped_part_way_never_moves_since_id_past_pages_it_did_not_read(
    collector, api_server, clock, programme_tag
):
    """X gives the newest first and next_token goes older: a run stopped after its first
    page leaves unread posts between since_id and that page, which the next run reads."""
    api_server.queue(recorded("x/page_with_expansions.json"))
    collector.collect(hashtag=programme_tag)
    first_since_id = "1992587301245706240"
    # New posts: the newest page is read, then X says to wait a quarter of an hour.
    api_server.queue(recorded("x/page1_of_2.json"), recorded("x/rate_limited.json", reset=int(clock.now) + 900))

    assert collector.collect(hashtag=programme_tag) == 1

    state = CollectorState.objects.get()
    assert state.since_id == first_since_id
    assert (state.until_id, state.next_since_id) == ("1992601115468918784", "1992601115468918784")
    CollectorState.objects.update(resume_at=None)  # the reset has passed
    api_server.queue(recorded("x/page2_of_2.json"))

    assert collector.collect(hashtag=programme_tag) == 1

    gap = api_server.received[-1].query
    assert gap["since_id"] == [first_since_id] and gap["until_id"] == ["1992601115468918784"]
    assert "next_token" not in gap  # a token X gave a quarter of an hour ago is not relied on
    assert SocialPost.objects.filter(external_id="1992590432711483392").exists()
    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == ("1992601115468918784", "", "")
    api_server.queue(recorded("x/empty.json"))
    collector.collect(hashtag=programme_tag)
    assert api_server.received[-1].query["since_id"] == ["1992601115468918784"]
    assert "until_id" not in api_server.received[-1].query


def test_failure_half_way_keeps_stored_pages_and_since_id_and_remembers_the_gap(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page1_of_2.json"), *[{"status": 503, "body": {"title": "Service Unavailable"}}] * 4)

    with pytest.raises(CollectorError):
        collector.collect(hashtag=programme_tag)

    assert SocialPost.objects.count() == 1
    state = CollectorState.objects.get()
    assert state.since_id == "" and "503" in state.last_error
    assert state.until_id == "1992601115468918784" and state.claimed_until is None
    api_server.queue(recorded("x/page2_of_2.json"))
    collector.collect(hashtag=programme_tag)
    assert api_server.received[-1].query["until_id"] == ["1992601115468918784"]
    assert CollectorState.objects.get().since_id == "1992601115468918784"


def test_an_interrupted_refresh_leaves_since_id_and_the_gap_alone(collector, api_server, clock, programme_tag):
    api_server.queue(recorded("x/page_with_expansions.json"))
    collector.collect(hashtag=programme_tag)
    api_server.queue(recorded("x/page1_of_2.json"), recorded("x/rate_limited.json", reset=int(clock.now) + 900))

    collector.collect(hashtag=programme_tag, refresh=True)

    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == ("1992587301245706240", "", "")
    assert state.resume_at is not None


def test_a_transient_error_is_retried_after_a_short_backoff(collector, api_server, clock, programme_tag):
    api_server.queue(
        {"status": 503, "body": {"title": "Service Unavailable"}},
        {"status": 502, "text": "<html><body>502 Bad Gateway</body></html>"},
        recorded("x/page_with_expansions.json"),
    )

    assert collector.collect(hashtag=programme_tag) == 2

    assert clock.slept == [2, 4]
    assert CollectorState.objects.get().last_error == ""


def test_a_connection_that_keeps_failing_is_retried_a_few_times_then_recorded(clock, programme_tag, unused_port):
    collector = x_collector.XCollector(
        token="test-bearer", base_url=f"http://127.0.0.1:{unused_port}", sleep=clock.sleep, clock=clock.time
    )

    with pytest.raises(CollectorError, match=r"X API unreachable: .* \(after 4 attempts\)"):
        collector.collect(hashtag=programme_tag)

    assert clock.slept == [2, 4, 8]
    state = CollectorState.objects.get()
    assert "unreachable" in state.last_error and state.claimed_until is None


def test_a_timeout_is_retried_like_a_connection_error(api_server, clock, programme_tag):
    class FirstRequestTimesOut(requests.Session):
        calls = 0

        def get(self, *args, **kwargs):
            self.calls += 1
            if self.calls == 1:
                raise requests.ReadTimeout("HTTPSConnectionPool(host='api.x.com'): Read timed out. (read timeout=30)")
            return super().get(*args, **kwargs)

    collector = x_collector.XCollector(
        token="test-bearer", base_url=api_server.base, session=FirstRequestTimesOut(), sleep=clock.sleep,
        clock=clock.time,
    )  # fmt: skip
    api_server.queue(recorded("x/page_with_expansions.json"))

    assert collector.collect(hashtag=programme_tag) == 2
    assert clock.slept == [2]


def test_a_refused_request_is_not_retried(collector, api_server, clock, programme_tag):
    api_server.queue(recorded("x/unauthorized.json"))
    with pytest.raises(CollectorError):
        collector.collect(hashtag=programme_tag)
    assert clock.slept == [] and len(api_server.received) == 1


def test_a_query_another_run_is_collecting_is_skipped_without_a_request(collector, api_server, programme_tag):
    query_claim(key="x:avecpoleemploi", source=SocialPost.Source.X_API)

    with pytest.raises(Skipped, match="another run"):
        collector.collect(hashtag=programme_tag)

    assert api_server.received == []


def test_a_dead_runs_claim_expires_and_the_query_is_collected_again(collector, api_server, programme_tag):
    query_claim(key="x:avecpoleemploi", source=SocialPost.Source.X_API)  # its worker then died
    api_server.queue(recorded("x/page_with_expansions.json"))

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert collector.collect(hashtag=programme_tag) == 2

    state = CollectorState.objects.get()
    assert state.claims == 2 and state.claimed_until is None and state.since_id == "1992587301245706240"


def test_a_run_whose_claim_was_taken_over_writes_nothing_on_the_state(api_server, clock, programme_tag):
    """A run so slow that its claim expired, and a later run took the query: the slow one
    stops at its next page and leaves since_id to the run that now owns the query."""

    class AnotherRunTakesOverAfterTheFirstPage(requests.Session):
        def get(self, *args, **kwargs):
            response = super().get(*args, **kwargs)
            CollectorState.objects.update(claims=F("claims") + 1, since_id="1992601115468918784")
            return response

    collector = x_collector.XCollector(
        token="test-bearer", base_url=api_server.base, session=AnotherRunTakesOverAfterTheFirstPage(),
        sleep=clock.sleep, clock=clock.time,
    )  # fmt: skip
    api_server.queue(recorded("x/page1_of_2.json"), recorded("x/page2_of_2.json"))

    assert collector.collect(hashtag=programme_tag) == 1

    assert len(api_server.received) == 1
    state = CollectorState.objects.get()
    assert state.since_id == "1992601115468918784" and state.claimed_until is not None


def test_collect_all_reports_a_busy_query_and_collects_the_others(settings, api_server, programme_tag, watched_tag):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    query_claim(key="x:avecpoleemploi", source=SocialPost.Source.X_API)
    api_server.queue(recorded("x/empty.json"))

    assert x_collector.collect_all() == {"avecpoleemploi": BUSY, "tweetecommepoleemploi": 0}


def test_a_refresh_that_found_a_query_busy_is_retried_for_that_query_only(
    settings, api_server, programme_tag, watched_tag, monkeypatch
):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    query_claim(key="x:avecpoleemploi", source=SocialPost.Source.X_API)
    api_server.queue(recorded("x/empty.json"))
    retried = []

    class Retry(Exception):
        pass

    def retry(**options):
        retried.append(options)
        return Retry()

    monkeypatch.setattr(tasks.collect_x, "retry", retry)
    with pytest.raises(Retry):
        tasks.collect_x.run(refresh=True)
    assert retried == [{"kwargs": {"refresh": True, "only": ["avecpoleemploi"]}, "countdown": 60}]
    # It keeps trying for longer than a dead worker's claim lasts, after which the query is free.
    assert tasks.collect_x.max_retries * 60 > CLAIM_DURATION.total_seconds()

    CollectorState.objects.filter(key="x:avecpoleemploi").update(claimed_until=None)
    api_server.queue(recorded("x/empty.json"))
    tasks.collect_x.run(**retried[0]["kwargs"])
    assert [r.query["query"][0] for r in api_server.received[1:]] == [
        "(#AvecPôleEmploi OR #AvecPoleEmploi) -is:retweet"
    ]


def test_a_regular_run_that_found_a_query_busy_is_not_retried(settings, api_server, programme_tag, monkeypatch):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    query_claim(key="x:avecpoleemploi", source=SocialPost.Source.X_API)
    monkeypatch.setattr(tasks.collect_x, "retry", lambda **options: pytest.fail("retried"))
    tasks.collect_x.run()
    assert api_server.received == []


def test_deleted_author_keeps_the_post_without_author(collector, api_server, programme_tag):
    api_server.queue(recorded("x/deleted_author.json"))

    collector.collect(hashtag=programme_tag)

    post = SocialPost.objects.get()
    assert post.author_handle == "" and post.author_followers is None
    assert post.author_external_id == "1311111111111111111"
    assert post.attribution == SocialPost.Attribution.ORGANIC
    assert post.likes == 37
    assert post.url == "https://x.com/i/web/status/1992455010083454976"


def test_missing_metrics_are_unknown_not_zero(collector, api_server, programme_tag):
    api_server.queue(recorded("x/missing_metrics.json"))

    collector.collect(hashtag=programme_tag)

    partial = SocialPost.objects.get(external_id="1992470118240215040")
    assert partial.likes == 1 and partial.impressions is None and partial.author_followers is None
    bare = SocialPost.objects.get(external_id="1992470118240215041")
    assert (bare.reposts, bare.replies, bare.likes, bare.quotes, bare.impressions) == (None,) * 5


def test_changed_metric_on_refetch_updates_the_row(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page_with_expansions.json"), recorded("x/changed_metric.json"))
    collector.collect(hashtag=programme_tag)
    before = SocialPost.objects.get(external_id="1992587301245706240")

    collector.collect(hashtag=programme_tag, refresh=True)

    after = SocialPost.objects.get(external_id="1992587301245706240")
    assert after.pk == before.pk
    assert (after.reposts, after.likes, after.quotes, after.impressions) == (9, 58, 1, 4410)
    assert after.author_followers == 851
    assert after.first_seen_at == before.first_seen_at
    assert after.fetched_at > before.fetched_at
    assert SocialPost.objects.count() == 2
    # A refresh asks for the last seven days instead of what came after since_id.
    refresh = api_server.received[1]
    assert "since_id" not in refresh.query and "start_time" in refresh.query


def test_refetch_with_a_metric_missing_keeps_the_known_value(collector, api_server, programme_tag):
    api_server.queue(recorded("x/page_with_expansions.json"))
    collector.collect(hashtag=programme_tag)
    later = recorded("x/changed_metric.json")
    del later["body"]["data"][0]["public_metrics"]["impression_count"]
    del later["body"]["includes"]
    api_server.queue(later)

    collector.collect(hashtag=programme_tag, refresh=True)

    post = SocialPost.objects.get(external_id="1992587301245706240")
    assert post.likes == 58 and post.impressions == 1874 and post.author_followers == 842


def test_without_token_the_collector_is_off_and_says_so_once(settings, programme_tag, caplog, monkeypatch):
    settings.X_BEARER_TOKEN = ""
    monkeypatch.setattr(x_collector, "_warned_off", False)
    with caplog.at_level(logging.INFO, logger="advocacy.reach.collectors.x"):
        assert x_collector.collect_all() == {}
        assert x_collector.collect_all() == {}
    assert caplog.text.count("X_BEARER_TOKEN") == 1
    assert not CollectorState.objects.exists()


def test_collect_all_runs_each_active_hashtag(settings, api_server, programme_tag, watched_tag):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    api_server.queue(recorded("x/page_with_expansions.json"), recorded("x/empty.json"))

    results = x_collector.collect_all()

    assert results == {"avecpoleemploi": 2, "tweetecommepoleemploi": 0}
    assert {r.query["query"][0] for r in api_server.received} == {
        "(#AvecPôleEmploi OR #AvecPoleEmploi) -is:retweet",
        "#TweeteCommePoleEmploi -is:retweet",
    }


def test_an_answer_that_is_not_json_fails_that_hashtag_and_the_others_are_still_collected(
    settings, api_server, programme_tag, watched_tag, caplog
):
    settings.X_BEARER_TOKEN = "test-bearer"
    settings.X_API_BASE_URL = api_server.base
    api_server.queue(recorded("x/proxy_maintenance.json"), recorded("x/empty.json"))

    with caplog.at_level(logging.ERROR, logger="advocacy.reach.collectors.x"):
        results = x_collector.collect_all()

    assert results["avecpoleemploi"].startswith("error: X API answered 200 with something other than JSON (text/html")
    assert results["tweetecommepoleemploi"] == 0
    state = CollectorState.objects.get(key="x:avecpoleemploi")
    assert "Maintenance" in state.last_error and state.since_id == ""
    assert "other than JSON" in caplog.text


def test_a_refused_token_is_logged_with_what_to_check(collector, api_server, programme_tag, caplog):
    api_server.queue(recorded("x/unauthorized.json"))

    with caplog.at_level(logging.ERROR, logger="advocacy.reach.collectors.x"), pytest.raises(CollectorError):
        collector.collect(hashtag=programme_tag)

    assert "X API answered 401 (the bearer token was refused: check X_BEARER_TOKEN)" in caplog.text
    assert "401" in CollectorState.objects.get().last_error


def test_a_since_id_older_than_recent_search_reaches_is_replaced_by_the_last_seven_days(
    collector, api_server, clock, programme_tag, caplog
):
    """X only takes the id of a post of the last seven days: a query left unread for longer
    (collector off, token revoked) reads the seven days X still has and goes on from there,
    instead of failing on every run."""
    old = "1519056945277198339"
    CollectorState.objects.create(key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old)
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900),
        recorded("x/page_with_expansions.json"),
    )
    assert collector.collect(hashtag=programme_tag) == 2
    refused, window = api_server.received
    assert refused.query["since_id"] == [old]
    assert "since_id" not in window.query and "start_time" in window.query
    state = CollectorState.objects.get()
    assert (state.since_id, state.last_error) == ("1992587301245706240", "")
    assert "older than recent search reaches" in caplog.text
    api_server.queue(recorded("x/empty.json"))
    collector.collect(hashtag=programme_tag)
    assert api_server.received[-1].query["since_id"] == ["1992587301245706240"]


def _too_old_run(collector, api_server, clock, programme_tag, **state):
    old = "1519056945277198339"
    CollectorState.objects.create(key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old, **state)
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900), recorded("x/empty.json")
    )
    started = timezone.now()
    collector.collect(hashtag=programme_tag)
    return started


def test_what_a_query_left_unread_too_long_misses_is_recorded_for_the_reports(
    collector, api_server, clock, programme_tag
):
    # Last read through ten days ago (collector off, token revoked, monthly cap): the three
    # days before the seven X still has are out of reach.
    last_read = timezone.now() - timedelta(days=10)
    started = _too_old_run(collector, api_server, clock, programme_tag, last_success_at=last_read)
    gap = CollectionGap.objects.get()
    assert (gap.source, gap.key, gap.tag, gap.starts_at) == ("x_api", "x:avecpoleemploi", "AvecPôleEmploi", last_read)
    window_start = started - x_collector.RECENT_WINDOW
    assert window_start - timedelta(seconds=5) <= gap.ends_at <= window_start + timedelta(seconds=5)
    assert gap.filled_at is None


def test_a_refresh_run_first_after_an_outage_does_not_hide_it(collector, api_server, clock, programme_tag):
    # The refresh reads its window only: the query is still not read through, and the
    # regular run that finds its cursor refused records the outage from its last reading.
    old = "1519056945277198339"
    last_read = timezone.now() - timedelta(days=10)
    CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old, last_success_at=last_read
    )
    api_server.queue(recorded("x/empty.json"))
    collector.collect(hashtag=programme_tag, refresh=True)
    state = CollectorState.objects.get()
    assert (state.last_success_at, state.last_error, state.last_run_at is not None) == (last_read, "", True)
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900), recorded("x/empty.json")
    )
    collector.collect(hashtag=programme_tag)
    assert CollectionGap.objects.get().starts_at == last_read
    assert CollectorState.objects.get().last_success_at > last_read  # the regular run read it through


def test_a_quiet_hashtag_read_all_along_misses_nothing(collector, api_server, clock, programme_tag):
    # Its last post is weeks old, but its query was read through five minutes ago.
    _too_old_run(collector, api_server, clock, programme_tag, last_success_at=timezone.now() - timedelta(minutes=5))
    assert not CollectionGap.objects.exists()


def test_a_cursor_never_read_through_misses_from_its_post_on(collector, api_server, clock, programme_tag):
    # A since_id set in the admin, never followed by a complete run: from its post's time.
    _too_old_run(collector, api_server, clock, programme_tag)
    assert CollectionGap.objects.get().starts_at == x_collector.snowflake_time(1519056945277198339)


def test_an_outage_is_recorded_once_when_reading_the_seven_days_stops_before_any_post(
    collector, api_server, clock, programme_tag
):
    # The first run meets a rate limit on the week's first page: nothing read, the refused
    # since_id stays, and the next run is refused it again. Same outage, one gap, which
    # grows to the later start of the seven days X still has.
    old = "1519056945277198339"
    last_read = timezone.now() - timedelta(days=10)
    CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old, last_success_at=last_read
    )
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900),
        recorded("x/rate_limited.json", reset=int(clock.now) + 900),
    )
    collector.collect(hashtag=programme_tag)
    first_end = CollectionGap.objects.get().ends_at
    CollectorState.objects.update(resume_at=None)  # the reset has passed
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900), recorded("x/empty.json")
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        collector.collect(hashtag=programme_tag)
    gap = CollectionGap.objects.get()
    assert gap.starts_at == last_read
    assert gap.ends_at >= first_end + timedelta(hours=2) - timedelta(seconds=5)


def test_a_refused_until_id_records_the_outage_once(collector, api_server, clock, programme_tag):
    # A run stopped part-way, then nothing for ten days: X refuses the gap's until_id.
    last_read = timezone.now() - timedelta(days=12)
    CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id="1519056945277198339",
        until_id="1519056945277198400", next_since_id="1519056945277198500", last_success_at=last_read,
    )  # fmt: skip
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id="1519056945277198400", reset=int(clock.now) + 900),
        recorded("x/page1_of_2.json"),
        recorded("x/rate_limited.json", reset=int(clock.now) + 900),
    )
    collector.collect(hashtag=programme_tag)
    CollectorState.objects.update(resume_at=None)
    api_server.queue(recorded("x/page2_of_2.json"))
    collector.collect(hashtag=programme_tag)
    assert CollectionGap.objects.get().starts_at == last_read
    assert CollectorState.objects.get().until_id == ""


def test_a_gap_marked_filled_is_not_reported_again_by_the_same_outage(collector, api_server, clock, programme_tag):
    # The team imported the missing posts and marked the gap filled while the runs still
    # failed: only what came after the filled gap is reported.
    old = "1519056945277198339"
    last_read = timezone.now() - timedelta(days=10)
    CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old, last_success_at=last_read
    )
    filled = CollectionGap.objects.create(
        source=SocialPost.Source.X_API, key="x:avecpoleemploi", tag="AvecPôleEmploi", starts_at=last_read,
        ends_at=timezone.now() - timedelta(days=8), filled_at=timezone.now(),
    )  # fmt: skip
    _too_old_run_again(collector, api_server, clock, programme_tag, old)
    still_open = CollectionGap.objects.get(filled_at__isnull=True)
    assert still_open.starts_at == filled.ends_at


def _too_old_run_again(collector, api_server, clock, programme_tag, old):
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900), recorded("x/empty.json")
    )
    collector.collect(hashtag=programme_tag)


def test_another_bad_request_is_recorded_not_mistaken_for_an_old_since_id(collector, api_server, programme_tag):
    api_server.queue(
        {"status": 400, "headers": {}, "body": {"errors": [{"parameters": {"query": ["("]}, "message": "bad"}]}}
    )
    with pytest.raises(x_collector.CollectorError):
        collector.collect(hashtag=programme_tag)
    assert len(api_server.received) == 1
    assert "400" in CollectorState.objects.get().last_error


def test_a_refused_since_id_is_dropped_once_the_last_seven_days_are_read(collector, api_server, clock, programme_tag):
    """A quiet hashtag (#TweeteCommePoleEmploi may go weeks without a post): its since_id
    ages past seven days while the collector runs. Once the seven days are read, the
    refused id is of no use: runs no longer send it, get a 400 and read the week twice."""
    old = "1519056945277198339"
    CollectorState.objects.create(key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old)
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900), recorded("x/empty.json")
    )
    assert collector.collect(hashtag=programme_tag) == 0
    assert CollectorState.objects.get().since_id == ""

    api_server.queue(recorded("x/empty.json"))
    assert collector.collect(hashtag=programme_tag) == 0
    assert len(api_server.received) == 3
    assert "since_id" not in api_server.received[-1].query


def test_reading_the_last_seven_days_stopped_part_way_records_its_progress(collector, api_server, clock, programme_tag):
    """After a refused since_id, the run reads the week like a first run: stopped by a rate
    limit after its newest page, the next run reads the rest of the week below that page
    instead of starting over from the newest (and being stopped at the same place)."""
    old = "1519056945277198339"
    CollectorState.objects.create(key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=old)
    api_server.queue(
        recorded("x/since_id_too_old.json", since_id=old, reset=int(clock.now) + 900),
        recorded("x/page1_of_2.json"),
        recorded("x/rate_limited.json", reset=int(clock.now) + 900),
    )
    assert collector.collect(hashtag=programme_tag) == 1
    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == ("", "1992601115468918784", "1992601115468918784")

    CollectorState.objects.update(resume_at=None)  # the reset has passed
    api_server.queue(recorded("x/page2_of_2.json"))
    assert collector.collect(hashtag=programme_tag) == 1
    rest = api_server.received[-1].query
    assert "since_id" not in rest and rest["until_id"] == ["1992601115468918784"]
    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == ("1992601115468918784", "", "")


def test_a_post_x_gives_without_a_readable_date_is_left_out_and_the_run_goes_on(
    collector, api_server, programme_tag, caplog
):
    """One post X sends without what a post needs must not fail its page on every run (a
    gap holding it would never close): it is left out and logged, the others are stored,
    and since_id moves past it."""
    page = recorded("x/page_with_expansions.json")
    newest = page["body"]["data"][0]
    newest["created_at"] = "pas une date"
    api_server.queue(page)
    assert collector.collect(hashtag=programme_tag) == 1
    assert list(SocialPost.objects.values_list("external_id", flat=True)) == ["1992571022911574016"]
    state = CollectorState.objects.get()
    assert (state.since_id, state.last_error) == (newest["id"], "")
    assert "post left out" in caplog.text


def test_a_refresh_shallower_than_seven_days_leaves_the_cursor_and_the_gap_for_the_regular_runs(
    collector, api_server, programme_tag
):
    """The refresh reads the last X_REFRESH_DAYS (3 by default), not down to since_id: a
    query behind by more (a token revoked for four days, a reset cursor, a gap left by a
    rate limit) still has posts between since_id and the refresh's window. Moving since_id
    to the refresh's newest post, or closing the gap, would skip them for good although X
    still has them; the regular runs read them."""
    behind = "1991000000000000000"  # a post older than the refresh's window
    CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=behind,
        until_id="1991500000000000000", next_since_id="1991600000000000000",
    )  # fmt: skip
    api_server.queue(recorded("x/page_with_expansions.json"))

    assert collector.collect(hashtag=programme_tag, refresh=True) == 2

    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == (
        behind, "1991500000000000000", "1991600000000000000"
    )  # fmt: skip
    # It ran without error, but did not read the query through (see _read_until).
    assert state.last_error == "" and state.last_run_at is not None and state.last_success_at is None
    api_server.queue(recorded("x/empty.json"))
    collector.collect(hashtag=programme_tag)
    gap = api_server.received[-1].query
    assert gap["since_id"] == [behind] and gap["until_id"] == ["1991500000000000000"]


def test_a_refresh_of_a_query_never_collected_leaves_the_week_to_the_first_regular_run(
    collector, api_server, programme_tag
):
    """A refresh that comes first (a new hashtag, a cursor the admin cleared) reads three
    days; the first regular run must still read the seven X offers."""
    api_server.queue(recorded("x/page_with_expansions.json"), recorded("x/empty.json"))

    collector.collect(hashtag=programme_tag, refresh=True)
    assert CollectorState.objects.get().since_id == ""
    collector.collect(hashtag=programme_tag)

    assert "since_id" not in api_server.received[-1].query
