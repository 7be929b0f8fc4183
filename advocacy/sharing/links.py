"""Where a tracked link leads, and the short-lived cache the public redirect reads.

The destination is computed from the kit alone, never from the request: the kit's
approved link with our UTM parameters, or the withdrawn-content page once the kit is
retracted. Nothing a visitor sends can change it, so the redirect is not an open one.
"""

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from advocacy.sharing import buffer
from advocacy.sharing.models import SharingSettings, TrackedLink

logger = logging.getLogger(__name__)

# A link's destination only changes when its kit is retracted (a published kit can no
# longer be edited), and retraction drops the cached entries at once through a hook. The
# long lifetime keeps every link of a launch-day kit off the database, not just the hot ones.
CACHE_SECONDS = 60 * 60 * 6
UNKNOWN_CACHE_SECONDS = 60
UTM_MEDIUM = "ambassadeur"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
# Kit statuses whose approved link people may still reach: published, and after
# publication (an expired or archived kit's posts stay online and their links keep working).
LINKED_STATUSES = frozenset({"published", "expired", "archived"})


def cache_key(code: str) -> str:
    return f"sharing:link:{code}"


def with_utm(link: str, *, source: str, campaign: str) -> str:
    """`link` with our UTM parameters, replacing any the link already had, keeping the rest."""
    parts = urlsplit(link)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in UTM_KEYS]
    query += [("utm_source", source), ("utm_medium", UTM_MEDIUM), ("utm_campaign", campaign)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def withdrawn_destination() -> str:
    configured = SharingSettings.load().withdrawn_url
    return configured or reverse("sharing:withdrawn")


def destination_for(link: TrackedLink) -> str:
    """Where `link` leads, as the Location header sends it: ASCII only, the accents of a
    French address percent-encoded (what HttpResponseRedirect would do to it)."""
    kit = link.kit
    if kit.status in LINKED_STATUSES and kit.link:
        return iri_to_uri(with_utm(kit.link, source=link.channel, campaign=kit.slug))
    # Retracted, or back in review after an edit (its link may not be approved yet).
    return iri_to_uri(withdrawn_destination())


# --- The destination store ---------------------------------------------------------------
#
# Entries are (link id, destination); an unknown code is stored as (0, "") for a minute, so
# a scanner trying codes cannot reach the database. With the Redis click buffer the entries
# live in the buffer's Redis, where one script reads the destination and buffers the click
# in a single round trip (buffer.RedisBuffer.record); otherwise in Django's cache.


class _CacheStore:
    def get(self, code: str):
        return cache.get(cache_key(code))

    def set_many(self, entries: dict, timeout: int) -> None:
        cache.set_many({cache_key(code): entry for code, entry in entries.items()}, timeout)

    def delete_many(self, codes) -> None:
        cache.delete_many([cache_key(code) for code in codes])

    def record(self, code: str, event: dict):
        entry = self.get(code)
        if entry is not None and entry[0]:
            buffer.push({"link": entry[0], **event})
        return entry


class _RedisStore:
    def __init__(self):
        self.backend = buffer.RedisBuffer()

    def get(self, code: str):
        return _decode(self.backend.destination_get(code))

    def set_many(self, entries: dict, timeout: int) -> None:
        self.backend.destinations_set({code: _encode(entry) for code, entry in entries.items()}, timeout)

    def delete_many(self, codes) -> None:
        self.backend.destinations_delete(codes)

    def record(self, code: str, event: dict):
        return _decode(self.backend.record(code, event))


def _encode(entry: tuple[int, str]) -> str:
    return f"{entry[0]}\t{entry[1]}"


def _decode(raw: str | None) -> tuple[int, str] | None:
    if raw is None:
        return None
    link_id, _tab, destination = raw.partition("\t")
    return int(link_id), destination


def _store():
    return _RedisStore() if settings.CLICK_BUFFER == "redis" else _CacheStore()


def _load(code: str, store) -> tuple[int, str]:
    link = TrackedLink.objects.select_related("kit").filter(code=code).first()
    entry = (link.pk, destination_for(link)) if link else (0, "")
    try:
        store.set_many({code: entry}, CACHE_SECONDS if link else UNKNOWN_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - see follow()
        logger.exception("tracked-link store unavailable")
    return entry


def lookup(code: str) -> tuple[int, str] | None:
    """(link id, destination) of `code`, or None when no such link: one store read when warm."""
    store = _store()
    entry = store.get(code)
    if entry is None:
        entry = _load(code, store)
    return entry if entry[0] else None


def follow(code: str, event: dict, *, store_failed: bool = False) -> str | None:
    """The destination of `code`, after buffering `event` (a click, without its link id) for
    it; None when no such link. When the destination is stored, this is one round trip.
    `store_failed`: the store just failed for this very click, so it is not asked again."""
    store = _store()
    entry = None
    if not store_failed:
        try:
            entry = store.record(code, event)
        except Exception:  # noqa: BLE001 - a store outage must not break the link: the database answers
            logger.exception("tracked-link store unavailable")
    if entry is None:
        entry = _load(code, store)
        if entry[0]:
            buffer.push({"link": entry[0], **event})
    return entry[1] if entry[0] else None


def record(code: str, event: dict) -> tuple[int, str] | None:
    """The stored entry of `code` after buffering `event` for it when it is a link, or None
    when nothing is stored (the database is not read). Store errors are raised."""
    return _store().record(code, event)


def cached(code: str) -> tuple[int, str] | None:
    """What the store holds for `code` (None when nothing), without reading the database."""
    return _store().get(code)


def warm(tracked_links) -> None:
    """Store the destinations of new links, so that even their first click reads no database."""
    _store().set_many({link.code: (link.pk, destination_for(link)) for link in tracked_links}, CACHE_SECONDS)


def forget_kit(kit) -> None:
    """Drop the stored destinations of a kit's links (its status or link changed)."""
    codes = list(TrackedLink.objects.filter(kit=kit).values_list("code", flat=True))
    _store().delete_many(codes)
