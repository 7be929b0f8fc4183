"""Mastodon: the public hashtag timeline (/api/v1/timelines/tag/:hashtag) of each
configured instance: a first run reads back from the newest through the Link header
(max_id), later runs read forward from the newest status seen (min_id), keeping their
progress even when they stop part-way. A 429 pauses every query of the instance (its
limit is per address, whatever the tag) until its `X-RateLimit-Reset`; transient failures
are retried a few times; one run at a time collects a query (see collectors.query_claim).

A status gets its id from its publication time when the instance fetches it (a boost of
an older post, a reply thread), not from when it arrives: one that arrives late sits below
where the forward read stands. The refresh (`collect(refresh=True)`) reads the last
MASTODON_REFRESH_HOURS again, newest first, to catch those, and updates the metrics of
the statuses it reads.

Mastodon folds case and accents in hashtags itself, so one timeline per tag is enough.
A status is stored under its URI, which is the same on every instance that shows it,
so reading the same post on two instances stores it once.
"""

import html
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Network
from advocacy.reach import hashtags
from advocacy.reach.collectors import (
    ClaimLost,
    CollectorError,
    RateLimited,
    Skipped,
    http_get,
    json_body,
    posted_at,
    query_claim,
    query_claim_renew,
    query_release,
    query_release_paused,
)
from advocacy.reach.ingestion import Matcher, PostData, posts_upsert
from advocacy.reach.models import Hashtag, SocialPost

logger = logging.getLogger(__name__)

PAGE_SIZE = 40  # the API's largest page
# A first run on a busy tag stops here; later runs are incremental anyway.
MAX_PAGES = 25
# The shortest pause after a 429, whatever reset time the instance gives.
MIN_RATE_LIMIT_PAUSE = timedelta(minutes=1)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r"""href=["']([^"']+)["']""")


def plain_text(content: str) -> str:
    """Mastodon's HTML content as text: paragraphs and line breaks become new lines."""
    content = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", content or "")
    return html.unescape(_TAG.sub("", content)).strip()


def parse_statuses(statuses: list, *, instance: str) -> list[PostData]:
    """The public statuses of a timeline page, boosts left out.

    A status without what a post needs (a readable date) is left out and logged: the
    rest of the page is stored and the run goes on past it, rather than fail on it at
    every run and never read further.
    """
    posts = []
    for status in statuses:
        if status.get("reblog"):
            continue  # a boost carries the original's counters; the original is counted
        if status.get("visibility") not in (None, "public", "unlisted"):
            continue
        try:
            posts.append(parse_status(status, instance=instance))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            logger.warning(
                "Mastodon %s: status left out, not understood (%s: %s): %.300r", instance, type(exc).__name__, exc,
                status,
            )  # fmt: skip
    return posts


def parse_status(status: dict, *, instance: str) -> PostData:
    account = status.get("account") or {}
    username, _at, domain = (account.get("acct") or "").partition("@")
    return PostData(
        network=Network.MASTODON,
        external_id=status.get("uri") or status.get("url") or f"https://{instance}/{status['id']}",
        posted_at=posted_at(status["created_at"]),
        text=plain_text(status.get("content", "")),
        url=status.get("url") or status.get("uri") or "",
        author_external_id=account.get("url", "") or account.get("id", ""),
        author_handle=username or account.get("username", ""),
        # A local account's acct has no domain: it lives on the instance we read.
        author_instance=domain or instance,
        author_name=account.get("display_name") or account.get("username", ""),
        author_followers=account.get("followers_count"),
        reposts=status.get("reblogs_count"),
        replies=status.get("replies_count"),
        likes=status.get("favourites_count"),
        quotes=status.get("quotes_count"),
        impressions=None,  # Mastodon does not count views
        extra_tags=[tag.get("name", "") for tag in status.get("tags", [])],
        extra_urls=_HREF.findall(status.get("content", "")),
    )


# Mastodon's status ids are the creation time in milliseconds, shifted 16 bits left over
# a sequence number (Mastodon::Snowflake).
SNOWFLAKE_SHIFT = 16


def snowflake_at(moment: datetime) -> int:
    """The smallest id Mastodon gives a status created at `moment`."""
    return int(moment.timestamp() * 1000) << SNOWFLAKE_SHIFT


def snowflake_time(status_id: int) -> datetime:
    """When the status of this id was created (to the millisecond)."""
    return datetime.fromtimestamp((status_id >> SNOWFLAKE_SHIFT) / 1000, tz=UTC)


def _ids(statuses: list) -> list[str]:
    """The ids of a page's statuses that have one (numbers, as Mastodon writes them)."""
    ids = []
    for status in statuses:
        status_id = str(status.get("id", "")) if isinstance(status, dict) else ""
        if status_id.isdigit():
            ids.append(status_id)
    return ids


@dataclass
class Unread:
    """Where a read stopped at its page limit with pages left: the statuses older than
    `below_id` (empty: it read all the instance gave)."""

    below_id: str = ""

    def read_until(self) -> datetime | None:
        """The time down to which the read went, or None when it read everything."""
        if not self.below_id.isdigit():
            return None
        return snowflake_time(int(self.below_id))


class MastodonCollector:
    def __init__(self, *, instance: str, base_url: str | None = None, session=None, timeout: float = 30,
                 sleep=time.sleep, refresh_window: timedelta = timedelta(hours=72)):  # fmt: skip
        self.instance = instance.lower()
        self.refresh_window = refresh_window
        self.base_url = (base_url or f"https://{self.instance}").rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.sleep = sleep

    def _get(self, url: str, params: dict):
        response = http_get(
            self.session, url, params=params, timeout=self.timeout, sleep=self.sleep, service=self.instance,
            headers={"User-Agent": "AvecPoleEmploi-reach/1.0"},
        )  # fmt: skip
        if response.status_code == 429:
            # Mastodon's limit is per address over five minutes; its reset is an ISO 8601 time.
            try:
                until = parse_datetime(response.headers.get("X-RateLimit-Reset") or "")
            except ValueError:  # well formed but impossible (30 February)
                until = None
            if until is None or until.tzinfo is None:
                until = timezone.now() + timedelta(minutes=5)
            # A 429 says the limit is met now: a reset already past (the instance's clock
            # behind ours) would pause nothing, and the instance's other tags would each
            # meet the same 429.
            until = max(until, timezone.now() + MIN_RATE_LIMIT_PAUSE)
            raise RateLimited(f"{self.instance} rate limit: reset at {until.isoformat()}", until=until)
        if response.status_code != 200:
            raise CollectorError(f"{self.instance} answered {response.status_code}: {response.text[:300]}")
        return response

    def pages(self, *, tag: str, since_id: str = ""):
        """The tag's statuses, a page at a time.

        A first run reads back from the newest, up to MAX_PAGES. A later run reads forward
        from since_id, asking with min_id for the statuses immediately newer than the last
        one read: since_id would give the newest first, and when more than MAX_PAGES came
        in between two runs (the worker or the instance was down), those between the last
        page read and since_id were never asked for again. Forward, a run that stops at
        MAX_PAGES leaves no gap: the next one goes on from where it stopped.
        """
        url = f"{self.base_url}/api/v1/timelines/tag/{quote(tag)}"
        params = {"limit": PAGE_SIZE}
        if since_id:
            yield from self._pages_forward(url, params, min_id=since_id)
            return
        yield from self._pages_backward(url, params)

    def pages_recent(self, *, tag: str, since: datetime, max_pages: int, left: "Unread"):
        """The tag's statuses from the newest down to those created at `since` (since_id
        is the first id of that time), a page at a time, up to `max_pages`; `left` says
        where the read stopped when pages of the window were left unread."""
        url = f"{self.base_url}/api/v1/timelines/tag/{quote(tag)}"
        params = {"limit": PAGE_SIZE, "since_id": str(snowflake_at(since))}
        yield from self._pages_backward(url, params, max_pages=max_pages, left=left)

    def _pages_backward(self, url: str, params: dict, *, max_pages: int = MAX_PAGES, left: "Unread | None" = None):
        for _page in range(max_pages):
            response = self._get(url, params)
            statuses = json_body(response, service=self.instance, expected=list)
            if not statuses:
                return
            yield statuses
            next_link = response.links.get("next", {}).get("url", "")
            max_id = parse_qs(urlsplit(next_link).query).get("max_id", [""])[0]
            if not max_id:
                return
            # We keep our own parameters and take only max_id from the next link, so a
            # link to another host is never followed.
            params = {**params, "max_id": max_id}
        if left is not None:
            # The instance still had a page to give: everything below max_id was not read.
            left.below_id = params.get("max_id", "")

    def _pages_forward(self, url: str, params: dict, *, min_id: str):
        for _page in range(MAX_PAGES):
            response = self._get(url, {**params, "min_id": min_id})
            statuses = json_body(response, service=self.instance, expected=list)
            if not statuses:
                return
            yield statuses
            ids = _ids(statuses)
            if not ids:
                raise CollectorError(f"answer not understood (no status id in {response.text[:200]!r})")
            newest = max(ids, key=int)
            if int(newest) <= int(min_id):  # an instance that ignores min_id: stop, not loop
                return
            min_id = newest
        logger.info("Mastodon %s: %d pages read, the next run goes on from %s", self.instance, MAX_PAGES, min_id)

    def collect(self, *, hashtag: Hashtag, matcher: Matcher | None = None, refresh: bool = False) -> int:
        """Read the tag's new statuses (with `refresh`, those of the last refresh_window
        again); returns statuses stored.

        Raises Skipped when the query is paused or another run holds it, CollectorError
        when the run fails (recorded). Reading forward, every page follows the last without
        a gap, so a run stopped part-way (error, rate limit, page limit) keeps its progress
        as since_id. A first run reads backward from the newest: it sets since_id only when
        it ends (a failed first run starts again from the newest). A refresh leaves since_id
        as it is: it reads below it.
        """
        matcher = matcher or Matcher()
        tag = hashtags.spelling_variants(hashtag.tag)[-1]
        state = query_claim(key=f"mastodon:{self.instance}:{hashtag.normalized}", source=SocialPost.Source.MASTODON)
        now = timezone.now()
        since_id = state.since_id
        if since_id and not since_id.isdigit():
            # Mastodon ids are numbers: anything else was typed by hand before the admin
            # checked it. Reading it would fail the query at every run; read as a first run.
            logger.warning("Mastodon %s #%s: since_id %r is not a status id; reading from the newest instead",
                           self.instance, hashtag.tag, since_id)  # fmt: skip
            since_id = ""
        forward = bool(since_id) and not refresh
        newest, seen = since_id, 0
        unread = Unread()
        if refresh:
            max_pages = math.ceil(settings.MASTODON_REFRESH_MAX_STATUSES / PAGE_SIZE)
            pages = self.pages_recent(tag=tag, since=now - self.refresh_window, max_pages=max_pages, left=unread)
        else:
            pages = self.pages(tag=tag, since_id=since_id)
        try:
            for statuses in pages:
                try:
                    page_newest = newest
                    for status_id in _ids(statuses):
                        if not page_newest or int(status_id) > int(page_newest):
                            page_newest = status_id
                    posts = parse_statuses(statuses, instance=self.instance)
                except (KeyError, TypeError, ValueError) as exc:
                    raise CollectorError(f"answer not understood ({type(exc).__name__}: {exc})") from exc
                result = posts_upsert(posts=posts, source=SocialPost.Source.MASTODON, matcher=matcher)
                seen += len(posts) - len(result.skipped)
                newest = page_newest
                query_claim_renew(state)
        except ClaimLost as exc:
            logger.warning("Mastodon collection of #%s on %s stopped: %s", hashtag.tag, self.instance, exc)
            return seen
        except RateLimited as exc:
            logger.warning("%s: every query on %s paused until %s", exc, self.instance, exc.until.isoformat())
            query_release_paused(
                state, exc, last_run_at=now, posts_seen=F("posts_seen") + seen,
                **({"since_id": newest} if forward else {}),
            )  # fmt: skip
            return seen
        except CollectorError as exc:
            logger.error("Mastodon collection of #%s on %s failed: %s", hashtag.tag, self.instance, exc)
            query_release(
                state, last_run_at=now, last_error=str(exc)[:2000], last_error_at=timezone.now(),
                posts_seen=F("posts_seen") + seen, **({"since_id": newest} if forward else {}),
            )  # fmt: skip
            raise CollectorError(str(exc)) from exc
        except BaseException:
            query_release(state)
            raise
        if refresh:
            # Not an error, and nothing the next refresh makes up for: each reads from the
            # newest again. Said in the log and on the query's state, not passed over.
            read_until = unread.read_until()
            if read_until is not None:
                logger.warning(
                    "Mastodon %s #%s: the refresh stopped at %d statuses (MASTODON_REFRESH_MAX_STATUSES), down to "
                    "%s; the statuses of the window older than that, back to %s, were not refreshed",
                    self.instance, hashtag.tag, settings.MASTODON_REFRESH_MAX_STATUSES, read_until.isoformat(),
                    (now - self.refresh_window).isoformat(),
                )  # fmt: skip
            done = {"refresh_read_until": read_until}
        else:
            done = {"since_id": newest}
        query_release(
            state, last_run_at=now, last_success_at=timezone.now(), last_error="", posts_seen=F("posts_seen") + seen,
            **done,
        )  # fmt: skip
        return seen


def collect_all(
    *, base_urls: dict[str, str] | None = None, sleep=time.sleep, refresh: bool = False, only: list[str] | None = None
) -> dict[str, int | str]:
    """Every active hashtag on every configured instance (only the "instance:tag" keys in
    `only`, if given); one failure does not stop the rest.

    `base_urls` maps an instance to another address (tests serve it locally). Values:
    statuses stored, or why not."""
    results: dict[str, int | str] = {}
    if not settings.MASTODON_INSTANCES:
        return results
    matcher = Matcher()
    tags = list(Hashtag.objects.filter(is_active=True))
    window = timedelta(hours=settings.MASTODON_REFRESH_HOURS)
    for instance in settings.MASTODON_INSTANCES:
        collector = MastodonCollector(
            instance=instance, base_url=(base_urls or {}).get(instance), sleep=sleep, refresh_window=window
        )
        for hashtag in tags:
            key = f"{instance}:{hashtag.normalized}"
            if only is not None and key not in only:
                continue
            try:
                results[key] = collector.collect(hashtag=hashtag, matcher=matcher, refresh=refresh)
            except Skipped as exc:
                results[key] = str(exc)
            except CollectorError as exc:
                results[key] = f"error: {exc}"
    return results
