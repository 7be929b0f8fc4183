"""Where a tracked link leads, and the short-lived cache the public redirect reads.

The destination is computed from the kit alone, never from the request: the kit's
approved link with our UTM parameters, or the withdrawn-content page once the kit is
retracted. Nothing a visitor sends can change it, so the redirect is not an open one.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.cache import cache
from django.urls import reverse

from advocacy.sharing.models import SharingSettings, TrackedLink

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
    kit = link.kit
    if kit.status in LINKED_STATUSES and kit.link:
        return with_utm(kit.link, source=link.channel, campaign=kit.slug)
    # Retracted, or back in review after an edit (its link may not be approved yet).
    return withdrawn_destination()


def lookup(code: str) -> tuple[int, str] | None:
    """(link id, destination) of `code`, or None when no such link: one cache read when warm."""
    key = cache_key(code)
    entry = cache.get(key)
    if entry is None:
        link = TrackedLink.objects.select_related("kit").filter(code=code).first()
        # Unknown codes are remembered too, so a scanner trying codes cannot reach the database.
        entry = (link.pk, destination_for(link)) if link else (0, "")
        cache.set(key, entry, CACHE_SECONDS if link else UNKNOWN_CACHE_SECONDS)
    return entry if entry[0] else None


def warm(tracked_links) -> None:
    """Cache the destinations of new links, so that even their first click reads no database."""
    cache.set_many({cache_key(link.code): (link.pk, destination_for(link)) for link in tracked_links}, CACHE_SECONDS)


def forget_kit(kit) -> None:
    """Drop the cached destinations of a kit's links (its status or link changed)."""
    codes = TrackedLink.objects.filter(kit=kit).values_list("code", flat=True)
    cache.delete_many([cache_key(code) for code in codes])
