"""X API v2 recent search: posts carrying our hashtags, with their authors and metrics.

One query per followed hashtag, asking for every spelling X treats as different (with
and without accents). Runs are incremental (`since_id`) and follow `next_token`; a run
stopped part-way records the gap it left (`until_id`), read first by the next runs, so no
post is skipped. On a 429 the query waits until the reset time X gives in
`x-rate-limit-reset` (logged): a few seconds asleep (X_MAX_RATE_LIMIT_WAIT), longer as a
pause recorded on the CollectorState of every X query (with a bearer token the limit is
the app's, not a hashtag's), which later runs skip until the reset, so no worker is held.
A 429 that says the project's monthly post cap is reached pauses them for
X_USAGE_CAP_PAUSE_HOURS instead: X gives no time for the cap's reset. One run at a time
collects a query (see collectors.query_claim); transient failures are retried a few
times. Without a bearer token the collector is off, which is logged once per process.
"""

import itertools
import logging
import time
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import Network
from advocacy.reach import hashtags, services
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
from advocacy.reach.models import CollectorState, Hashtag, SocialPost

logger = logging.getLogger(__name__)

# X's post ids carry their creation time: milliseconds since X's epoch, above 22 bits.
SNOWFLAKE_EPOCH_MS = 1288834974657
SNOWFLAKE_SHIFT = 22


def snowflake_time(post_id: int) -> datetime:
    """When the post of this id was created (to the millisecond)."""
    return datetime.fromtimestamp(((post_id >> SNOWFLAKE_SHIFT) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


SEARCH_PATH = "/2/tweets/search/recent"
MAX_ATTEMPTS = 4
# Recent search reaches seven days back; a refresh starts just inside that window.
RECENT_WINDOW = timedelta(days=7) - timedelta(minutes=5)
# The problem type of the 429 X sends once the project has read its monthly post cap
# (title "UsageCapExceeded"). Its rate-limit headers still show requests left.
USAGE_CAPPED = "https://api.twitter.com/2/problems/usage-capped"
_warned_off = False
# What an operator reading the log should check first.
_HINTS = {
    401: " (the bearer token was refused: check X_BEARER_TOKEN)",
    403: " (the token's app has no access to recent search: check its project and access level)",
}


def build_query(tag: str) -> str:
    variants = " OR ".join(f"#{variant}" for variant in hashtags.spelling_variants(tag))
    # A repost has no metrics of its own and counts in its original's retweet_count: storing it would count it twice.
    return f"({variants}) -is:retweet" if " OR " in variants else f"{variants} -is:retweet"


def parse_page(page: dict) -> list[PostData]:
    """Turn one response of the recent search into posts, authors joined from `includes`.

    A post X gives without what a post needs (an id, a readable date) is left out and
    logged: the rest of the page is stored, and the run goes on past it. Otherwise one
    such post would fail its page on every run, and a gap holding it would never close.
    """
    users = {user["id"]: user for user in page.get("includes", {}).get("users", [])}
    posts = []
    for tweet in page.get("data", []):
        try:
            posts.append(parse_tweet(tweet, users))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            logger.warning("X API post left out, not understood (%s: %s): %.300r", type(exc).__name__, exc, tweet)
    return posts


def parse_tweet(tweet: dict, users: dict) -> PostData:
    """One post of a recent search page; KeyError, TypeError or ValueError when it lacks
    what a post needs (its id, its date)."""
    # A deleted or suspended author is missing from `includes`: the post is kept,
    # without an author to attribute it to.
    author = users.get(tweet.get("author_id"), {})
    username = author.get("username", "")
    metrics = tweet.get("public_metrics") or {}
    entities = tweet.get("entities") or {}
    urls = []
    for entry in entities.get("urls", []):
        urls.extend(entry.get(name, "") for name in ("expanded_url", "unwound_url"))
    return PostData(
        network=Network.X,
        external_id=tweet["id"],
        posted_at=posted_at(tweet["created_at"]),
        text=tweet.get("text", ""),
        url=f"https://x.com/{username or 'i/web'}/status/{tweet['id']}",
        author_external_id=tweet.get("author_id", ""),
        author_handle=username,
        author_name=author.get("name", ""),
        author_followers=(author.get("public_metrics") or {}).get("followers_count"),
        reposts=metrics.get("retweet_count"),
        replies=metrics.get("reply_count"),
        likes=metrics.get("like_count"),
        quotes=metrics.get("quote_count"),
        impressions=metrics.get("impression_count"),
        extra_tags=[entry.get("tag", "") for entry in entities.get("hashtags", [])],
        extra_urls=[url for url in urls if url],
    )


class CursorTooOld(CollectorError):
    """X refused since_id or until_id: recent search only takes the id of a post of the
    last seven days, so a query left unread for longer (collector off, token revoked)
    cannot go on from where it stopped."""


def _refused_cursor(response) -> bool:
    """Whether a 400 names since_id or until_id among the parameters it refuses."""
    try:
        errors = response.json().get("errors") or []
        return any({"since_id", "until_id"} & set(error.get("parameters") or {}) for error in errors)
    except (ValueError, AttributeError, TypeError):
        return False


class UsageCapped(RateLimited):
    """X refuses every read until the project's monthly post cap resets (billing cycle)."""

    reason = CollectorState.PauseReason.USAGE_CAP


def _usage_capped(response) -> str:
    """X's own words when a 429 is the monthly post cap, not a rate limit; "" otherwise."""
    try:
        problem = response.json()
    except ValueError:
        return ""
    if not isinstance(problem, dict):
        return ""
    if problem.get("type") != USAGE_CAPPED and problem.get("title") != "UsageCapExceeded":
        return ""
    return str(problem.get("detail") or problem.get("title"))


class XCollector:
    def __init__(self, *, token: str, base_url: str, session=None, sleep=time.sleep, clock=time.time,
                 max_wait: int = 10, timeout: float = 30, refresh_window: timedelta = timedelta(days=3),
                 usage_cap_pause: timedelta = timedelta(hours=24)):  # fmt: skip
        self.token = token
        # A refresh re-reads this far back: every post it returns counts against the
        # monthly post cap (once a day), so the window is the refresh's cost.
        self.refresh_window = min(refresh_window, RECENT_WINDOW)
        self.usage_cap_pause = usage_cap_pause
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.max_wait = max_wait
        self.timeout = timeout

    def _get(self, params: dict) -> dict:
        for _attempt in range(MAX_ATTEMPTS):
            response = http_get(
                self.session,
                self.base_url + SEARCH_PATH,
                params=params,
                headers={"Authorization": f"Bearer {self.token}", "User-Agent": "AvecPoleEmploi-reach/1.0"},
                timeout=self.timeout,
                sleep=self.sleep,
                service="X API",
            )
            if response.status_code == 429:
                if detail := _usage_capped(response):
                    until = datetime.fromtimestamp(self.clock(), tz=UTC) + self.usage_cap_pause
                    raise UsageCapped(f"X API monthly usage cap reached ({detail})", until=until)
                self._wait_for_reset(response)
                continue
            if response.status_code == 400 and _refused_cursor(response):
                raise CursorTooOld(f"X API refused the run's cursor: {response.text[:300]}")
            if response.status_code != 200:
                hint = _HINTS.get(response.status_code, "")
                raise CollectorError(f"X API answered {response.status_code}{hint}: {response.text[:300]}")
            return json_body(response, service="X API", expected=dict)
        raise RateLimited(
            f"X API still rate-limited after {MAX_ATTEMPTS} attempts",
            until=datetime.fromtimestamp(self.clock() + 60, tz=UTC),
        )

    def _wait_for_reset(self, response) -> None:
        """Sleep through a rate limit that ends within max_wait seconds; a longer one
        raises RateLimited, and the query pauses until the reset without holding a worker."""
        reset = response.headers.get("x-rate-limit-reset")
        try:
            wait = max(0.0, int(reset) - self.clock()) + 1
        except (TypeError, ValueError):
            wait = 60.0  # no usable reset header: a minute is X's smallest window
        reset_at = datetime.fromtimestamp(self.clock() + wait, tz=UTC)
        if wait > self.max_wait:
            raise RateLimited(f"X API rate limit: reset in {wait:.0f} s, at {reset_at.isoformat()}", until=reset_at)
        logger.warning("X API rate limit reached: waiting %.0f s, until %s", wait, reset_at.isoformat())
        self.sleep(wait)

    def pages(self, *, query: str, since_id: str = "", until_id: str = "", start_time: datetime | None = None):
        params = {
            "query": query,
            "max_results": 100,
            "expansions": "author_id",
            "user.fields": "public_metrics,username,name",
            "tweet.fields": "public_metrics,created_at,entities,author_id",
        }
        if since_id:
            params["since_id"] = since_id
        if until_id:
            params["until_id"] = until_id
        if start_time is not None:
            params["start_time"] = start_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            page = self._get(params)
            yield page
            next_token = page.get("meta", {}).get("next_token")
            if not next_token:
                return
            params = {**params, "next_token": next_token}

    def collect(self, *, hashtag: Hashtag, refresh: bool = False, matcher: Matcher | None = None) -> int:
        """Fetch new posts for `hashtag` (or, with `refresh`, those of the last `refresh_window`
        again, for their metrics); returns posts stored.

        Raises Skipped when the query is paused or another run holds it, CollectorError
        when the run fails (recorded on the query's state). A rate limit longer than
        max_wait ends the run early, not in error: what was read is kept, the pause is
        recorded, and the next run after the reset goes on from there.

        X gives the newest posts first and next_token goes older, so since_id may only
        move to the newest post read once every page down to the old since_id is read. A
        run stopped part-way records the gap instead (until_id, next_since_id), which the
        next runs read first. A refresh never moves since_id nor the gap: it reads its
        window only, not down to since_id.
        """
        matcher = matcher or Matcher()
        state = query_claim(key=f"x:{hashtag.normalized}", source=SocialPost.Source.X_API)
        now = timezone.now()
        if refresh:
            since_id, until_id = "", ""
        else:
            since_id, until_id = state.since_id, state.until_id
        newest, oldest, seen = "", "", 0
        try:
            try:
                pages = self.pages(
                    query=build_query(hashtag.tag),
                    since_id=since_id,
                    until_id=until_id,
                    start_time=now - self.refresh_window if refresh else None,
                )
                first = next(pages, None)
            except CursorTooOld:
                # The last post read is more than seven days old: read the seven days X
                # still has and go on from their newest post. Posts of the days in between
                # are out of recent search's reach (a file import from a listening tool can
                # bring them). The refused ids are dropped, so the run records its progress
                # like a first run: a stop part-way leaves a gap below what it read, and the
                # next runs neither send the refused id again nor start the week over.
                logger.warning(
                    "X collection of #%s: since_id %s is older than recent search reaches; reading the last seven "
                    "days instead, posts between them are not collected",
                    hashtag.tag, since_id,
                )  # fmt: skip
                # What was published between the last complete reading of the query and
                # the start of those seven days is missed: the reports say so.
                services.collection_gap_record(
                    state=state, tag=hashtag.tag, starts_at=_read_until(state), ends_at=now - RECENT_WINDOW
                )
                state.since_id = state.until_id = state.next_since_id = ""
                pages = self.pages(query=build_query(hashtag.tag), start_time=now - RECENT_WINDOW)
                first = next(pages, None)
            for page in itertools.chain([first] if first is not None else [], pages):
                try:
                    posts = parse_page(page)
                    # Every id X gave counts for where the run stands, a post left out too.
                    ids = [int(t["id"]) for t in page.get("data", []) if str(t.get("id", "")).isdigit()]
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise CollectorError(f"X API answer not understood ({type(exc).__name__}: {exc})") from exc
                result = posts_upsert(posts=posts, source=SocialPost.Source.X_API, matcher=matcher)
                seen += len(posts) - len(result.skipped)
                if ids:
                    newest, oldest = _newer(newest, str(max(ids))), _older(oldest, str(min(ids)))
                query_claim_renew(state)
        except ClaimLost as exc:
            logger.warning("X collection of #%s stopped: %s", hashtag.tag, exc)
            return seen
        except RateLimited as exc:
            if isinstance(exc, UsageCapped):
                logger.error(
                    "%s, met by #%s: every X query is paused until %s. The cap resets with the project's billing "
                    "cycle (its date is on the X developer portal); an admin can lift the pause sooner "
                    "(« États des collecteurs »).", exc, hashtag.tag, exc.until.isoformat(),
                )  # fmt: skip
            else:
                logger.warning("X API rate limit for #%s: every X query paused until %s (%s)", hashtag.tag,
                               exc.until.isoformat(), exc)  # fmt: skip
            query_release_paused(
                state, exc, last_run_at=now, posts_seen=F("posts_seen") + seen,
                **({} if refresh else _gap_after_stop(state, newest=newest, oldest=oldest)),
            )  # fmt: skip
            return seen
        except CollectorError as exc:
            logger.error("X collection of #%s failed: %s", hashtag.tag, exc)
            query_release(
                state, last_run_at=now, last_error=str(exc)[:2000], last_error_at=timezone.now(),
                posts_seen=F("posts_seen") + seen,
                **({} if refresh else _gap_after_stop(state, newest=newest, oldest=oldest)),
            )  # fmt: skip
            raise
        except BaseException:
            query_release(state)
            raise
        # A regular run read every page down to since_id: since_id moves forward, never
        # back, and the gap is closed. A refresh read only its window (X_REFRESH_DAYS): posts
        # between since_id and the window, or in a gap below it, are left to the regular
        # runs, so it leaves the cursor as it is.
        # Only a regular run reads the query through, so only it moves last_success_at, from
        # which a collection gap is measured (_read_until): a refresh run first after a long
        # outage would otherwise hide the outage from the regular run refused its cursor.
        read_through = {} if refresh else {
            "since_id": _newer(state.since_id, state.next_since_id, newest), "until_id": "", "next_since_id": "",
            "last_success_at": timezone.now(),
        }  # fmt: skip
        query_release(state, last_run_at=now, last_error="", posts_seen=F("posts_seen") + seen, **read_through)
        return seen


def _read_until(state: CollectorState) -> datetime | None:
    """Up to when the query was read through: its last complete run or, if it never had
    one (a cursor set in the admin), the time of the post its cursor names."""
    if state.last_success_at is not None:
        return state.last_success_at
    return snowflake_time(int(state.since_id)) if state.since_id.isdigit() else None


def _newer(*ids: str) -> str:
    """The newest of X post ids (numbers that grow with time); "" when none is given."""
    return max((i for i in ids if i), key=int, default="")


def _older(*ids: str) -> str:
    return min((i for i in ids if i), key=int, default="")


def _gap_after_stop(state: CollectorState, *, newest: str, oldest: str) -> dict:
    """Where the next run resumes after this one stopped part-way.

    The posts above `oldest` down from the first page were read; those between since_id
    and `oldest` were not. since_id stays (empty when X refused it), the next run reads
    below `oldest` (until_id), and since_id will move to the newest post read
    (next_since_id) when the gap is read.
    """
    if not oldest:
        return {}  # nothing read: the gap, if any, is unchanged
    return {"since_id": state.since_id, "until_id": oldest, "next_since_id": _newer(state.next_since_id, newest)}


def collector_from_settings(**kwargs) -> XCollector | None:
    global _warned_off
    if not settings.X_BEARER_TOKEN:
        if not _warned_off:
            logger.info("X collector is off: X_BEARER_TOKEN is not set.")
            _warned_off = True
        return None
    return XCollector(
        token=settings.X_BEARER_TOKEN,
        base_url=settings.X_API_BASE_URL,
        max_wait=settings.X_MAX_RATE_LIMIT_WAIT,
        refresh_window=timedelta(days=settings.X_REFRESH_DAYS),
        usage_cap_pause=timedelta(hours=settings.X_USAGE_CAP_PAUSE_HOURS),
        **kwargs,
    )


def collect_all(
    *, refresh: bool = False, collector: XCollector | None = None, only: list[str] | None = None
) -> dict[str, int | str]:
    """Run the X collector for every active hashtag (those normalized in `only`, if given);
    one hashtag failing does not stop the others. Values: posts stored, or why not."""
    collector = collector or collector_from_settings()
    if collector is None:
        return {}
    matcher = Matcher()
    results: dict[str, int | str] = {}
    hashtags_to_collect = Hashtag.objects.filter(is_active=True)
    if only is not None:
        hashtags_to_collect = hashtags_to_collect.filter(normalized__in=only)
    for hashtag in hashtags_to_collect:
        try:
            results[hashtag.normalized] = collector.collect(hashtag=hashtag, refresh=refresh, matcher=matcher)
        except Skipped as exc:
            results[hashtag.normalized] = str(exc)
        except CollectorError as exc:
            results[hashtag.normalized] = f"error: {exc}"
    return results
