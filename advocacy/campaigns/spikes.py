"""Spike alerts on watched hashtags (say #TweeteCommePoleEmploi).

`detect_spike` is a pure function over hourly counts; `check_watched_hashtags` feeds it
the reach app's collected posts and alerts the web-social team with sample posts and a
link to the observatory.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

HOURS_IN_WEEK = 7 * 24


@dataclass(frozen=True)
class SpikeCheck:
    window_count: int
    median_hourly: float
    threshold: float
    is_spike: bool


def detect_spike(
    hourly_counts: Sequence[int],
    *,
    window_hours: int,
    multiple: float,
    minimum: int,
    history_hours: int = HOURS_IN_WEEK,
) -> SpikeCheck:
    """Is the last `window_hours` of `hourly_counts` (oldest first) a spike?

    The usual level is the median hourly count over the `history_hours` before the
    window (a median, so that one earlier burst does not hide the next). The window is a
    spike when its count reaches `multiple` times the usual level over as many hours,
    and at least `minimum` posts, so that a quiet tag going from 0 to 3 stays quiet.
    """
    if window_hours <= 0:
        raise ValueError("window_hours must be positive")
    counts = list(hourly_counts)
    window = counts[-window_hours:]
    history = counts[max(0, len(counts) - window_hours - history_hours) : max(0, len(counts) - window_hours)]
    median = float(statistics.median(history)) if history else 0.0
    threshold = max(multiple * median * window_hours, float(minimum))
    window_count = sum(window)
    return SpikeCheck(
        window_count=window_count,
        median_hourly=median,
        threshold=threshold,
        is_spike=window_count >= threshold and window_count >= minimum,
    )


def _reach_sources():
    """The reach app's models: watched hashtags and the posts collected for them."""
    from advocacy.reach.models import Hashtag, SocialPost  # noqa: PLC0415

    return Hashtag, SocialPost


def hourly_counts_from_posts(posted_at: Sequence[datetime], *, end: datetime, hours: int) -> list[int]:
    """Bucket post times into `hours` hourly counts ending at `end` (oldest first)."""
    start = end - timedelta(hours=hours)
    counts = [0] * hours
    for at in posted_at:
        if start <= at < end:
            counts[int((at - start).total_seconds() // 3600)] += 1
    return counts


def check_watched_hashtags(*, now=None, sources=None) -> list:
    """Check every watched hashtag and raise an alert for each spike."""
    from advocacy.campaigns.alerts import alert_raise
    from advocacy.campaigns.models import Alert

    sources = sources or _reach_sources()
    hashtag_model, post_model = sources
    # A rolling window: hourly buckets end now, not at the last full hour.
    now = now or timezone.now()
    window = settings.SPIKE_WINDOW_HOURS
    hours = HOURS_IN_WEEK + window
    raised = []
    for tag in _watched(hashtag_model):
        posts = _posts_with(post_model, tag, since=now - timedelta(hours=hours), until=now)
        counts = hourly_counts_from_posts([p.posted_at for p in posts], end=now, hours=hours)
        check = detect_spike(
            counts, window_hours=window, multiple=settings.SPIKE_MULTIPLE, minimum=settings.SPIKE_MIN_COUNT
        )
        if not check.is_spike:
            continue
        samples = [p for p in posts if p.posted_at >= now - timedelta(hours=window)][-3:]
        lines = [
            _(
                "Le hashtag surveillé #%(tag)s compte %(count)s publications sur les %(hours)s dernières heures, "
                "pour un niveau habituel de %(median).1f par heure."
            )
            % {"tag": _tag_name(tag), "count": check.window_count, "hours": window, "median": check.median_hourly}
        ]
        lines += [f"— {_post_text(p)}" for p in samples]
        alert = alert_raise(
            kind=Alert.Kind.SPIKE,
            # One open alert per tag: the team resolves it once the storm has passed.
            key=f"spike:{_tag_name(tag).lower()}",
            message="\n".join(lines),
            url=_observatory_url(),
        )
        if alert:
            raised.append(alert)
    return raised


def _watched(hashtag_model):
    return list(hashtag_model.objects.filter(kind=hashtag_model.Kind.WATCHED, is_active=True))


def _tag_name(tag) -> str:
    return str(getattr(tag, "tag", None) or getattr(tag, "name", None) or tag).lstrip("#")


def _posts_with(post_model, tag, *, since, until) -> list:
    # reach stores a post's normalised tags as " a b " (reach.hashtags.to_field), so a
    # whole-tag match is a `contains` on " tag ".
    return list(
        post_model.objects.filter(posted_at__gte=since, posted_at__lt=until, hashtags__contains=f" {tag.normalized} ")
        .only("posted_at", "text", "url")
        .order_by("posted_at")
    )


def _post_text(post) -> str:
    text = str(getattr(post, "text", "") or getattr(post, "body", "") or "")
    url = str(getattr(post, "url", "") or "")
    return " ".join(p for p in (text[:200], url) if p)


def _observatory_url() -> str:
    from django.urls import NoReverseMatch, reverse

    for name in ("reach_observatory", "reach_dashboard", "reach_import_list"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""
