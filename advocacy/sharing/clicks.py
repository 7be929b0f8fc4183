"""What a click on a tracked link records: its kind, a daily visitor hash, the referrer host.

Nothing here keeps a raw address. The visitor hash is an HMAC of address and user agent
under a random salt that changes every day and is deleted two days later, so a hash can
count unique visitors per link and day but can never be linked back to an address, nor
across days.
"""

import hashlib
import hmac
import ipaddress
import re
import secrets
import threading
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClickKind(models.TextChoices):
    HUMAN = "human", _("Personne")
    BOT = "bot", _("Robot")
    PREVIEW = "preview", _("Aperçu de lien")
    HEAD = "head", _("Requête HEAD")
    PREFETCH = "prefetch", _("Préchargement")


# Link-preview fetchers: the crawlers a network or a messaging app sends when a link is
# posted, to draw its card. They are not people clicking, but counting them shows where
# the link travelled.
_PREVIEW_TOKENS = (
    "twitterbot",
    "facebookexternalhit",
    "facebookcatalog",
    "facebot",
    "meta-externalagent",
    "linkedinbot",
    "slackbot",
    "slack-imgproxy",
    "skypeuripreview",
    "microsoftpreview",
    "whatsapp",
    "discordbot",
    "telegrambot",
    "mastodon",
    "cardyb",  # Bluesky's card fetcher
    "pinterest",
    "redditbot",
    "embedly",
    "iframely",
    "vkshare",
    "snapchat",
    "google-pagerenderer",
    "outbrain",
    "quora link preview",
    "bitlybot",
    "linkexpander",
)
_PREVIEW_RE = re.compile("|".join(re.escape(token) for token in _PREVIEW_TOKENS))

# Crawlers, scripts and headless browsers. Beyond the named ones, crawlers say who they
# are with a "+http…" contact address or a "<name>bot/<version>" product token; a bare
# "bot" substring is not enough (phone brands such as Cubot carry it).
_BOT_TOKENS = (
    "googlebot",
    "google-inspectiontool",
    "googleother",
    "adsbot-google",
    "mediapartners-google",
    "bingbot",
    "bingpreview",
    "msnbot",
    "yandex",
    "baiduspider",
    "duckduckbot",
    "applebot",
    "slurp",
    "ahrefs",
    "semrush",
    "mj12bot",
    "dotbot",
    "petalbot",
    "seznambot",
    "qwantify",
    "exabot",
    "gptbot",
    "chatgpt-user",
    "oai-searchbot",
    "claudebot",
    "anthropic-ai",
    "perplexitybot",
    "ccbot",
    "bytespider",
    "amazonbot",
    "headlesschrome",
    "phantomjs",
    "puppeteer",
    "playwright",
    "selenium",
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "statuscake",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "httpie",
    "go-http-client",
    "java/",
    "okhttp",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "undici",
    "ruby",
    "php/",
    "scrapy",
    "postmanruntime",
    "insomnia",
    "crawler",
    "spider",
    "scanner",
    "preview",
)
_BOT_RE = re.compile("|".join(re.escape(token) for token in _BOT_TOKENS) + r"|\+https?://|[a-z]bot/|^mozilla/5\.0$")
_PREFETCH_HEADERS = (("sec-purpose", "prefetch"), ("purpose", "prefetch"), ("x-moz", "prefetch"))
_PREFETCH_META = tuple((name, "HTTP_" + name.upper().replace("-", "_")) for name, _token in _PREFETCH_HEADERS)


def purpose_headers(meta) -> dict:
    """The headers `classify` reads, straight from the WSGI environ: building
    request.headers parses every header and costs more than the rest of a click."""
    return {name: meta.get(key, "") for name, key in _PREFETCH_META}


def classify(*, method: str, headers, user_agent: str) -> str:
    """The kind of a request to a tracked link.

    HEAD requests and prefetches (browsers warming a link the person has not opened) are
    their own kinds whatever the agent, then link-preview fetchers, then other robots; a
    request without a user agent is a robot.
    """
    if method.upper() == "HEAD":
        return ClickKind.HEAD
    for header, token in _PREFETCH_HEADERS:
        if token in (headers.get(header) or "").lower():
            return ClickKind.PREFETCH
    return _agent_kind(user_agent or "")


# A launch day brings the same few hundred browser versions over and over: the two
# pattern searches (most of a click's own work) run once per distinct agent string.
@lru_cache(maxsize=2048)
def _agent_kind(user_agent: str) -> str:
    agent = user_agent.strip().lower()
    if not agent:
        return ClickKind.BOT
    if _PREVIEW_RE.search(agent):
        return ClickKind.PREVIEW
    if _BOT_RE.search(agent):
        return ClickKind.BOT
    return ClickKind.HUMAN


def client_address(meta) -> str:
    """The client's address (from a request's META or a WSGI environ), trusting
    X-Forwarded-For only from our own proxies.

    Same rule as the sign-in rate limits (allauth): with TRUSTED_PROXY_COUNT proxies in
    front, the client is the entry those proxies appended; otherwise REMOTE_ADDR. A
    header shorter than that count is forged or misrouted, so REMOTE_ADDR is used.
    """
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    address = meta.get("REMOTE_ADDR", "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= count:
            address = entries[-count]
    return _canonical_address(address)


@lru_cache(maxsize=4096)
def _canonical_address(address: str) -> str:
    # One spelling per address (IPv6 has many), so that the visitor hash is stable.
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return ""


def referrer_host(referrer: str) -> str:
    """Only the host of the page the click came from: its path may name a person or a search."""
    if not referrer:
        return ""
    try:
        host = urlsplit(referrer.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower()[:253]


def visitor_hash(*, salt: bytes, address: str, user_agent: str) -> str:
    """An HMAC of address and agent under the day's salt: equal for one visitor on one day only."""
    message = f"{address}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


# --- The daily salt -------------------------------------------------------------------

# Each process keeps the salts it used; a salt never changes once created, so the cache
# cannot go stale and the redirect reads the database once per day per process.
_salts: dict[date, bytes] = {}
_salts_lock = threading.Lock()
SALT_KEEP_DAYS = 2


def salt_known(day: date) -> bool:
    """Whether this process already holds the salt of `day` (so `salt_for` reads no database)."""
    return day in _salts


def salt_for(day: date) -> bytes:
    """The secret salt of `day`, created on first use (one row per day, shared by every process)."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    from advocacy.sharing.models import DailySalt

    with _salts_lock:
        row = DailySalt.objects.filter(day=day).first()
        if row is None:
            try:
                row = DailySalt.objects.create(day=day, secret=secrets.token_hex(32))
            except IntegrityError:
                # Another process created the day's salt first: use theirs.
                row = DailySalt.objects.get(day=day)
        salt = bytes.fromhex(row.secret)
        if len(_salts) > 4:
            _salts.clear()
        _salts[day] = salt
    return salt


def salts_purge(*, today: date | None = None) -> int:
    """Delete salts older than SALT_KEEP_DAYS, so past hashes can never be recomputed."""
    from advocacy.sharing.models import DailySalt

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=SALT_KEEP_DAYS)
    for day in [day for day in _salts if day < cutoff]:
        _salts.pop(day, None)
    deleted, _ = DailySalt.objects.filter(day__lt=cutoff).delete()
    return deleted
