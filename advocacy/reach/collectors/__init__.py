"""Collectors: each reads one network's API and hands batches of posts to reach.ingestion.

This module holds what both collectors share: the claim a run takes on its query (one run
at a time), the pause after a rate limit, and the GET that retries transient failures.
"""

import logging
from datetime import datetime, timedelta

import requests
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from advocacy.reach.models import CollectorState, unclaimed

logger = logging.getLogger(__name__)

# A run renews its claim after every page; a worker that died loses it after this long.
CLAIM_DURATION = timedelta(minutes=10)
# Answers a server gives when it is briefly unwell; a few retries ride them out.
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
# Seconds between attempts: three retries, 14 s of waiting at most, then the run records
# the error and the next run (a few minutes later) tries again.
RETRY_DELAYS = (2, 4, 8)
# What collect_all reports for a query another run is collecting.
BUSY = "busy: another run is collecting it"


class CollectorError(Exception):
    """A run could not complete; the message is stored on the collector's state."""


class RateLimited(CollectorError):
    """The API refuses more requests until `until`: the query pauses, no worker waits."""

    reason = CollectorState.PauseReason.RATE_LIMIT

    def __init__(self, message: str, *, until: datetime):
        super().__init__(message)
        self.until = until


class Skipped(Exception):
    """The query is not collected by this run: paused after a rate limit, or another run
    holds it. Not a failure: nothing is recorded as an error."""


class ClaimLost(Exception):
    """The run's claim expired and another run took the query: this one stops writing."""


def query_scope(key: str) -> str:
    """The prefix of the queries that share one rate limit with `key`.

    With a bearer token every X limit is the app's (all of "x:"), and the project's
    monthly cap covers all its apps; a Mastodon instance limits each address, so every
    tag read on it ("mastodon:piaille.fr:") shares one limit. A hashtag has no colon.
    """
    return key.rpartition(":")[0] + ":"


def scope_paused_until(key: str, now: datetime) -> datetime | None:
    """The latest pause of the queries sharing `key`'s limit, if one is still running."""
    paused = CollectorState.objects.filter(key__startswith=query_scope(key), resume_at__gt=now)
    return paused.aggregate(until=Max("resume_at"))["until"]


def scope_pause(*, key: str, until: datetime, reason: str) -> int:
    """Pause every stored query sharing `key`'s limit until `until` (never shortening a
    longer pause), so the next runs skip them without spending a request each to learn
    of a limit one of them already met. A query stored later is held by query_claim."""
    return (
        CollectorState.objects.filter(key__startswith=query_scope(key))
        .filter(Q(resume_at__isnull=True) | Q(resume_at__lt=until))
        .update(resume_at=until, pause_reason=reason)
    )


def query_claim(*, key: str, source: str, now: datetime | None = None) -> CollectorState:
    """Claim the query `key` for this run, or raise Skipped.

    A conditional UPDATE, so two workers (beat's run and a manual one, or a slow run and
    the next) never collect the same query at once and race on since_id. The claim
    expires by itself after CLAIM_DURATION without renewal (a dead worker); the returned
    state's `claims` numbers this run, and every later write is conditional on it. A
    query whose app or instance is paused (scope_pause) is skipped without a request.
    """
    now = now or timezone.now()
    state, _created = CollectorState.objects.get_or_create(key=key, defaults={"source": source})
    paused_until = scope_paused_until(key, now)
    if paused_until:
        raise Skipped(f"paused until {paused_until.isoformat()}")
    free = unclaimed(now)
    not_paused = Q(resume_at__isnull=True) | Q(resume_at__lte=now)
    taken = CollectorState.objects.filter(free, not_paused, pk=state.pk).update(
        claimed_until=now + CLAIM_DURATION, claims=F("claims") + 1, resume_at=None, pause_reason=""
    )
    if not taken:
        logger.info("collector query %s: another run is collecting it; skipped", key)
        raise Skipped(BUSY)
    return CollectorState.objects.get(pk=state.pk)


def query_still_mine(state: CollectorState):
    """The query's row while the run that claimed `state` owns it: the filter of its writes."""
    return CollectorState.objects.filter(pk=state.pk, claims=state.claims)


def query_claim_renew(state: CollectorState) -> None:
    """Extend the run's claim after a page; ClaimLost when another run took the query."""
    if not query_still_mine(state).update(claimed_until=timezone.now() + CLAIM_DURATION):
        raise ClaimLost(f"collector query {state.key}: claim {state.claims} was taken over by a later run")


def query_release(state: CollectorState, **changes) -> bool:
    """End the run: write `changes` and free the query, unless another run took it over."""
    written = query_still_mine(state).update(claimed_until=None, **changes)
    if not written:
        logger.warning("collector query %s: claim %s was taken over; its results are not written", state.key,
                       state.claims)  # fmt: skip
    return bool(written)


def query_release_paused(state: CollectorState, limit: RateLimited, **changes) -> bool:
    """End a run stopped by a limit: its query and every query sharing the limit pause
    until the limit ends (see query_scope); `changes` record what the run read."""
    written = query_release(state, resume_at=limit.until, pause_reason=limit.reason, **changes)
    paused = scope_pause(key=state.key, until=limit.until, reason=limit.reason)
    logger.info("collector query %s: %d queries sharing its limit paused until %s", state.key, paused,
                limit.until.isoformat())  # fmt: skip
    return written


def http_get(session, url: str, *, params: dict, headers: dict, timeout: float, sleep, service: str):
    """GET `url`, retrying connection errors, timeouts and 500/502/503/504 after RETRY_DELAYS.

    Any other answer is returned as it is (the caller reads 200s and 429s); a failure that
    outlasts the retries raises CollectorError with what the last attempt got.
    """
    attempts = len(RETRY_DELAYS) + 1
    for attempt in range(1, attempts + 1):
        try:
            response = session.get(url, params=params, headers=headers, timeout=timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            problem = f"{service} unreachable: {exc}"
        except requests.RequestException as exc:
            raise CollectorError(f"{service} unreachable: {exc}") from exc
        else:
            if response.status_code not in TRANSIENT_STATUSES:
                return response
            problem = f"{service} answered {response.status_code}: {response.text[:300]}"
        if attempt == attempts:
            raise CollectorError(f"{problem} (after {attempts} attempts)")
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning("%s; attempt %d of %d, next in %d s", problem, attempt, attempts, delay)
        sleep(delay)


def json_body(response, *, service: str, expected: type):
    """The JSON body of a successful response, or CollectorError saying what came instead.

    A proxy's or a maintenance page's HTML, or an error object where a list was due,
    must fail the run like any other bad answer (recorded, logged, the other hashtags
    collected), not raise something the collector does not expect."""
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type") or "no content type"
        raise CollectorError(
            f"{service} answered {response.status_code} with something other than JSON ({kind}): "
            f"{response.text[:200]!r}"
        ) from None
    if not isinstance(body, expected):
        raise CollectorError(
            f"{service} answered {response.status_code} with a JSON {type(body).__name__} where a "
            f"{expected.__name__} was expected: {response.text[:200]!r}"
        )
    return body


def posted_at(value) -> datetime:
    """A post's ISO 8601 creation time, or ValueError (a post cannot be stored without one)."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"unreadable creation time {value!r}")
    return moment
