"""Spike detection on synthetic hourly series, and its wiring to an alert."""

import datetime
import random

import pytest
from django.utils import timezone

from advocacy.campaigns import spikes
from advocacy.campaigns.models import Alert

WEEK = 7 * 24
PARAMS = {"window_hours": 3, "multiple": 4.0, "minimum": 30}


def with_window(history, window):
    return list(history) + list(window)


def test_a_steady_tag_is_not_a_spike():
    rng = random.Random(1)
    series = [rng.randint(8, 12) for _ in range(WEEK + 3)]
    check = spikes.detect_spike(series, **PARAMS)
    assert not check.is_spike
    assert 8 <= check.median_hourly <= 12


def test_a_slow_rise_is_not_a_spike():
    # From 5 to 20 posts an hour over the week: growth, not a burst.
    series = [5 + (15 * hour) // (WEEK + 3) for hour in range(WEEK + 3)]
    assert not spikes.detect_spike(series, **PARAMS).is_spike


def test_a_sudden_spike_is_detected():
    series = with_window([10] * WEEK, [15, 90, 160])
    check = spikes.detect_spike(series, **PARAMS)
    assert check.is_spike
    assert (check.window_count, check.median_hourly, check.threshold) == (265, 10.0, 120.0)


def test_a_quiet_tag_stays_quiet_below_the_minimum():
    # From nearly nothing to a handful is many times the usual level, but not an event.
    series = with_window([0] * (WEEK - 10) + [1] * 10, [2, 5, 8])
    check = spikes.detect_spike(series, **PARAMS)
    assert check.median_hourly == 0 and check.window_count == 15
    assert not check.is_spike


def test_a_quiet_tag_that_explodes_is_detected():
    assert spikes.detect_spike(with_window([0] * WEEK, [0, 12, 40]), **PARAMS).is_spike


def test_one_earlier_burst_does_not_raise_the_usual_level():
    history = [10] * WEEK
    history[50:53] = [400, 400, 400]
    assert spikes.detect_spike(with_window(history, [20, 60, 120]), **PARAMS).is_spike


def test_window_must_be_positive():
    with pytest.raises(ValueError):
        spikes.detect_spike([1, 2, 3], window_hours=0, multiple=2, minimum=1)


def test_hourly_buckets():
    end = datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)
    times = [end - datetime.timedelta(minutes=m) for m in (1, 59, 61, 200, 400)]
    assert spikes.hourly_counts_from_posts(times, end=end, hours=4) == [1, 0, 1, 2]


@pytest.mark.django_db
def test_a_spike_on_a_watched_hashtag_alerts_with_sample_posts(settings, monkeypatch):
    from types import SimpleNamespace

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    posts = [SimpleNamespace(posted_at=now - datetime.timedelta(hours=h, minutes=5), text="Bof", url="") for h in
             range(3, spikes.HOURS_IN_WEEK + 3)]  # fmt: skip
    posts += [
        SimpleNamespace(posted_at=now - datetime.timedelta(minutes=m), text=f"#TweeteCommePoleEmploi n°{m}", url="")
        for m in range(1, 121)
    ]
    tag = SimpleNamespace(name="TweeteCommePoleEmploi")
    monkeypatch.setattr(spikes, "_watched", lambda model: [tag])
    monkeypatch.setattr(
        spikes, "_posts_with", lambda model, tag, since, until: sorted(posts, key=lambda p: p.posted_at)
    )
    raised = spikes.check_watched_hashtags(now=now, sources=(object, object))
    assert len(raised) == 1
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.SPIKE
    assert "#TweeteCommePoleEmploi compte 120 publications" in alert.message
    assert "n°1" in alert.message  # sample posts
    assert spikes.check_watched_hashtags(now=now, sources=(object, object)) == []


@pytest.mark.django_db
def test_the_beat_task_reads_reach_posts_of_watched_hashtags(settings):
    from advocacy.campaigns import tasks
    from advocacy.reach import services as reach_services
    from advocacy.reach.ingestion import PostData, posts_upsert

    settings.SPIKE_MIN_COUNT = 20
    reach_services.hashtag_save(tag="TweeteCommePoleEmploi", kind="watched")
    reach_services.hashtag_save(tag="AvecPôleEmploi")  # followed, not watched
    now = timezone.now()
    posts = [
        PostData(
            network="x",
            external_id=f"calm-{hour}",
            posted_at=now - datetime.timedelta(hours=hour),
            text="#TweeteCommePoleEmploi un jour comme un autre",
        )
        for hour in range(4, spikes.HOURS_IN_WEEK, 6)
    ]
    posts += [
        PostData(
            network="x",
            external_id=f"burst-{n}",
            posted_at=now - datetime.timedelta(minutes=n + 1),
            text=f"#TweeteCommePoleEmploi la moquerie n°{n}",
            url=f"https://x.com/quelquun/status/{n}",
        )
        for n in range(40)
    ]
    posts += [
        PostData(network="x", external_id=f"ours-{n}", posted_at=now - datetime.timedelta(minutes=n + 1),
                 text="Fier de notre équipe #AvecPôleEmploi")
        for n in range(60)
    ]  # fmt: skip
    posts_upsert(posts=posts, source="x_api")
    assert tasks.detect_spikes() == 1
    alert = Alert.objects.get()
    assert "#TweeteCommePoleEmploi compte 40 publications" in alert.message
    assert "la moquerie" in alert.message and "https://x.com/quelquun/status/" in alert.message
