"""Who a collected post counts for: an ambassador and their unit, a tracked link, or
nobody in particular (organic activity on the hashtag).

Attribution happens when a post is collected, not later. The link from a network
account to a person is the SocialHandle they declared, and the programme deletes
those handles when a person leaves; a post published while they were an ambassador
but attributed only after they left would otherwise be lost to organic. So:

- a post is attributed to an ambassador only when its author's handle is declared
  *and* it was published during one of that person's ProgrammeMembership periods;
- once attributed to an ambassador, collecting the post again never takes that away
  (the handle may be gone by then, which says nothing about the post);
- once found with one of our tracked links, a post stays the link's when a later source
  does not show it (an export gives the t.co address, not the link behind it);
- an organic or tracked-link post may be upgraded to an ambassador's, when the person
  declares the handle later and the post falls inside a membership period.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q

from accounts.handles import VALIDATORS, canonical_handle
from accounts.models import Network, ProgrammeMembership, SocialHandle
from advocacy.db import binary_parameters_query
from advocacy.reach.models import SocialPost

Attribution = SocialPost.Attribution


@dataclass(frozen=True)
class Decision:
    attribution: str
    ambassador_id: int | None = None
    unit_id: int | None = None


ORGANIC = Decision(Attribution.ORGANIC)
TRACKED = Decision(Attribution.TRACKED_LINK)


def _tracked_hosts() -> list[str]:
    hosts = list(getattr(settings, "TRACKED_LINK_HOSTS", []) or [])
    site_host = urlsplit(settings.SITE_URL).netloc
    if site_host and site_host not in hosts:
        hosts.append(site_host)
    return hosts


def tracked_code_pattern() -> re.Pattern:
    hosts = "|".join(re.escape(host) for host in _tracked_hosts())
    return re.compile(rf"https?://(?:{hosts})/s/([A-Za-z0-9_-]{{4,64}})(?![A-Za-z0-9_-])", re.IGNORECASE)


def find_tracked_code(texts, pattern: re.Pattern | None = None) -> str:
    """The code of the first of our tracked links (/s/<code>) found in `texts`, or ""."""
    pattern = pattern or tracked_code_pattern()
    for text in texts:
        if text:
            found = pattern.search(text)
            if found:
                return found.group(1)
    return ""


# A bare name, "@" and letters, digits or "_": on every network but Mastodon its canonical
# form is the name in lower case without the @, whether the network's rules accept it
# (accounts.handles) or not (the best effort below), so it needs no validation.
_PLAIN_NAME = re.compile(r"@?[A-Za-z0-9_]+")
_PLAIN_NETWORKS = frozenset(VALIDATORS)


@lru_cache(maxsize=100_000)
def canonical_author(network: str, handle: str, instance: str = "") -> tuple[str, str]:
    """The author's handle in the form accounts.SocialHandle stores, or a best effort."""
    if not handle:
        return "", instance.lower()
    if not instance and network in _PLAIN_NETWORKS and _PLAIN_NAME.fullmatch(handle):
        return handle.removeprefix("@").lower(), ""
    try:
        canonical = canonical_handle(network, handle, instance)
    except ValidationError:
        return handle.strip().lstrip("@").lower(), instance.strip().lower()
    return canonical.handle, canonical.instance


def _in_period(membership, posted_at: datetime) -> bool:
    return membership.joined_at <= posted_at and (membership.left_at is None or posted_at < membership.left_at)


def _declared(pairs: set[tuple[str, str]]) -> list[tuple[str, str, str, int]]:
    """(network, handle, instance, user id) of the declared handles among these (network, handle) pairs."""
    if connection.vendor == "postgresql":
        # Two array parameters, sent in binary, rather than one parameter per handle: an
        # import asks for thousands of authors per batch.
        table = SocialHandle._meta.db_table
        fields = ("network", "handle", "instance", "user")
        columns = ", ".join(SocialHandle._meta.get_field(name).column for name in fields)
        return binary_parameters_query(
            f"SELECT {columns} FROM {table} WHERE (network, handle) IN "  # noqa: S608 - the model's table
            "(SELECT * FROM unnest(%b::varchar[], %b::varchar[]))",
            ([network for network, _handle in pairs], [handle for _network, handle in pairs]),
        )
    wanted = Q(pk__in=[])
    by_network: dict[str, list[str]] = {}
    for network, handle in sorted(pairs):
        by_network.setdefault(network, []).append(handle)
    for network, handles in by_network.items():
        wanted |= Q(network=network, handle__in=handles)
    return list(SocialHandle.objects.filter(wanted).values_list("network", "handle", "instance", "user_id"))


def decide_many(items) -> list[Decision]:
    """Attribute each (network, author_handle, author_instance, posted_at, tracked_code).

    Handles must already be canonical (see canonical_author). Two queries per call
    whatever the number of items: the handles (on PostgreSQL outside Django's query log,
    see advocacy.db), then the membership periods.
    """
    items = list(items)
    pairs = {(network, handle) for network, handle, _instance, _posted_at, _code in items if handle}
    owners: dict[tuple[str, str, str], int] = {}
    if pairs:
        for network, handle, instance, user_id in _declared(pairs):
            owners[(network, handle, instance if network == Network.MASTODON else "")] = user_id
    if not owners:  # most batches of an import: nobody in them declared their handle
        return [TRACKED if code else ORGANIC for _network, _handle, _instance, _posted_at, code in items]
    periods: dict[int, list] = {}
    for membership in ProgrammeMembership.objects.filter(user_id__in=set(owners.values())).select_related("user"):
        periods.setdefault(membership.user_id, []).append(membership)

    decisions = []
    for network, handle, instance, posted_at, code in items:
        key = (network, handle, instance if network == Network.MASTODON else "")
        user_id = owners.get(key)
        decision = None
        if user_id is not None:
            for membership in periods.get(user_id, []):
                if _in_period(membership, posted_at):
                    # The unit copied when the period began is the one the person's
                    # activity counted for at the time; the current unit is a fallback
                    # for periods created before units were copied.
                    unit_id = membership.unit_id or membership.user.unit_id
                    decision = Decision(Attribution.AMBASSADOR, user_id, unit_id)
                    break
        if decision is None:
            decision = TRACKED if code else ORGANIC
        decisions.append(decision)
    return decisions


def handle_declared(handle: SocialHandle) -> None:
    """Hook of accounts.services.handle_save: once the declaration is committed, let that
    account's earlier posts count for its owner, without waiting for the daily pass."""
    from advocacy.reach import tasks

    handle_id = handle.pk
    transaction.on_commit(lambda: tasks.reattribute_handle.delay(handle_id))


def handle_posts(handle: SocialHandle):
    """The collected posts written by `handle` (the key decide_many matches authors on)."""
    posts = SocialPost.objects.filter(network=handle.network, author_handle=handle.handle)
    if handle.network == Network.MASTODON:
        posts = posts.filter(author_instance=handle.instance)
    return posts


def reattribute_handle(*, handle: SocialHandle) -> int:
    """Re-run attribution on the posts of one declared account (upgrade only)."""
    return reattribute(posts=handle_posts(handle))


def reattribute(*, posts=None) -> int:
    """Re-run attribution on posts not yet attributed to an ambassador (upgrade only).

    Used after a person declares a handle, so that their earlier posts from a
    membership period count for them. Returns how many posts changed.
    """
    queryset = posts if posts is not None else SocialPost.objects.all()
    queryset = queryset.exclude(attribution=Attribution.AMBASSADOR)
    changed = 0
    batch = []
    for post in queryset.only(
        "pk", "network", "author_handle", "author_instance", "posted_at", "tracked_code", "attribution"
    ).iterator(chunk_size=2000):
        batch.append(post)
        if len(batch) >= 2000:
            changed += _reattribute_batch(batch)
            batch = []
    if batch:
        changed += _reattribute_batch(batch)
    return changed


def _reattribute_batch(batch) -> int:
    decisions = decide_many((p.network, p.author_handle, p.author_instance, p.posted_at, p.tracked_code) for p in batch)
    changed = []
    for post, decision in zip(batch, decisions, strict=True):
        if decision.attribution != post.attribution:
            post.attribution = decision.attribution
            post.ambassador_id = decision.ambassador_id
            post.unit_id = decision.unit_id
            changed.append(post)
    if changed:
        from advocacy.reach import rollups

        SocialPost.objects.bulk_update(changed, ["attribution", "ambassador", "unit"])
        # The roll-ups notice posts collected again by their fetched_at; a post that only
        # changed hands would go unnoticed, so its day is marked for recomputation.
        rollups.days_mark_dirty(rollups.local_day(post.posted_at) for post in changed)
    return len(changed)
