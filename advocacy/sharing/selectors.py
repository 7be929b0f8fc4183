"""Reads of the ambassador portal, always scoped to the requesting person."""

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.intents import Channel
from advocacy.sharing.models import Click, Share, TrackedLink


def kits_for_feed(*, user: User, topic: str | None = None) -> QuerySet:
    """The kits live for `user`, important first then newest, each with `my_shares`.

    `my_shares` (the person's own shares of the kit) and the topics come in one query
    each, so the page costs the same number of queries whatever the number of kits.
    """
    from content.models import Topic
    from content.selectors import kits_live_for

    kits = kits_live_for(user=user)
    if topic:
        kits = kits.filter(pk__in=Topic.kits.through.objects.filter(topic__slug=topic).values("kit_id"))
    return kits.order_by(*FEED_ORDER).prefetch_related(*_feed_prefetch(user))


FEED_ORDER = ("-is_important", "-published_at", "-pk")
FEED_CACHE_SECONDS = 60
_FEED_GENERATION = "sharing:feed:generation"


def _feed_prefetch(user):
    return (
        "topics",
        Prefetch(
            "shares",
            queryset=Share.objects.filter(ambassador=user).only("pk", "kit_id", "channel", "created_at"),
            to_attr="my_shares",
        ),
    )


def feed_kit_ids(*, user: User, topic: str | None = None) -> list[int]:
    """The ordered ids of `kits_for_feed`, shared for a minute by everyone with the same unit
    and job function (they see the same kits), so a launch-day crowd runs the targeting
    query once per audience rather than once per page view.

    Publishing, retracting or expiring a kit starts a new generation (see `feed_forget`),
    so a kit enters or leaves every feed at once.
    """
    # The list is stored with the generation it was computed in, so both are read in one
    # round trip: a list from an older generation is computed again.
    key = f"sharing:feed:{user.unit_id}:{user.job_function}:{topic or ''}"
    found = cache.get_many([_FEED_GENERATION, key])
    generation = found.get(_FEED_GENERATION)
    if generation is None:
        generation = secrets.token_hex(4)
        cache.add(_FEED_GENERATION, generation, None)
        generation = cache.get(_FEED_GENERATION, generation)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    ids = list(kits_for_feed(user=user, topic=topic).values_list("pk", flat=True))
    cache.set(key, (generation, ids), FEED_CACHE_SECONDS)
    return ids


def feed_kits(*, user: User, ids: list[int]) -> list:
    """The kits of `ids` (one page of the feed), in that order, each with `my_shares`."""
    from content.models import Kit

    kits = Kit.objects.filter(pk__in=ids).prefetch_related(*_feed_prefetch(user)).in_bulk()
    return [kits[pk] for pk in ids if pk in kits]


def feed_forget(kit=None) -> None:
    """Hook on kit publication, retraction and expiry: every cached feed is recomputed."""
    cache.set(_FEED_GENERATION, secrets.token_hex(4), None)


@dataclass
class FeedPageKit:
    """A kit of a feed page as the page reads it on every view: whether its cached card is
    still current (version, updated_at), the frame around the card (is_important) and the
    channels the person already shared it on, in Channel order."""

    pk: int
    version: int
    updated_at: dt.datetime
    is_important: bool
    my_channels: list = field(default_factory=list)
    # Set by the page: the card every ambassador sees, "Publié le …", the channels' labels.
    card: str = ""
    card_published: str = ""
    shared_channels: list = field(default_factory=list)


def feed_page_kits(*, user: User, ids: list[int]) -> list[FeedPageKit]:
    """The kits of `ids` (one page of the feed), in that order, in one query whatever the
    page holds: each kit's row comes once per share of the person (or once if none).

    What the cards show comes from `feed_card_kits`, for the cards not in the cache only.
    """
    from content.models import Kit

    rows = (
        Kit.objects.filter(pk__in=ids)
        .annotate(mine=FilteredRelation("shares", condition=Q(shares__ambassador=user)))
        .order_by()
        .values_list("pk", "version", "updated_at", "is_important", "mine__channel")
    )
    kits, shared = {}, defaultdict(set)
    for pk, version, updated_at, is_important, channel in rows:
        if pk not in kits:
            kits[pk] = FeedPageKit(pk=pk, version=version, updated_at=updated_at, is_important=is_important)
        if channel:
            shared[pk].add(channel)
    page = []
    for pk in ids:
        kit = kits.get(pk)
        if kit is not None:
            if pk in shared:
                kit.my_channels = [channel for channel in Channel.values if channel in shared[pk]]
            page.append(kit)
    return page


# What a kit's card shows, read only for the cards missing from the cache.
FEED_CARD_FIELDS = ("slug", "title", "brief", "is_important", "published_at", "version", "updated_at")


def feed_card_kits(*, ids: list[int]) -> list:
    """The kits of `ids` with what their feed card shows (FEED_CARD_FIELDS and topics).

    Only ever called with ids from the person's own feed (`feed_kit_ids`)."""
    from content.models import Kit

    return list(Kit.objects.filter(pk__in=ids).only(*FEED_CARD_FIELDS).prefetch_related("topics"))


def kit_for_sharing(*, user: User, slug: str):
    """The live kit `slug` if it is meant for `user`, else None."""
    from content.selectors import kits_live_for

    return kits_live_for(user=user).filter(slug=slug).prefetch_related("texts", "visuals", "topics").first()


def shared_channels(kit) -> list[str]:
    """The channels the person already shared `kit` on (from `kits_for_feed`'s prefetch)."""
    seen = {share.channel for share in getattr(kit, "my_shares", [])}
    return [channel for channel in Channel.values if channel in seen]


def share_of(*, user: User, pk: int) -> Share:
    """One of the person's own shares (404 for anyone else's)."""
    return get_object_or_404(Share.objects.select_related("kit", "link"), pk=pk, ambassador=user)


def shared_links_of(*, user: User) -> QuerySet:
    """The person's own tracked links that were shared or clicked, the last shared first,
    each with `share_count`, `last_shared_at` and `human_clicks`.

    One row per link (kit × channel), however many times it was shared: every post of a
    link carries the same address, so its clicks cannot be told apart by share. They are
    counted once, on the link, and the rows add up to the totals of `impact_of`.
    """
    human_clicks = (
        Click.objects.filter(link=OuterRef("pk"), kind=ClickKind.HUMAN)
        .order_by()
        .values("link")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        TrackedLink.objects.filter(ambassador=user)
        .select_related("kit")
        .only("channel", "kit__title")
        .annotate(
            share_count=Count("shares"),
            last_shared_at=Max("shares__created_at"),
            human_clicks=Coalesce(Subquery(human_clicks), 0),
        )
        .filter(Q(share_count__gt=0) | Q(human_clicks__gt=0))
        .order_by(F("last_shared_at").desc(nulls_last=True), "-pk")
    )


@dataclass
class Impact:
    shares: int = 0
    human_clicks: int = 0
    unique_visitors: int = 0
    other_requests: dict = field(default_factory=dict)
    by_channel: list = field(default_factory=list)
    days: list = field(default_factory=list)
    clicks_per_day: list = field(default_factory=list)


def impact_of(*, user: User, days: int = 30) -> Impact:
    """The person's own figures: shares, human clicks per channel and per day, other requests.

    Clicks are counted on the person's tracked links; a link shared twice on the same
    channel counts its clicks once. Unique visitors are counted per link and day.
    """
    impact = Impact()
    share_counts = dict(
        Share.objects.filter(ambassador=user).values_list("channel").annotate(n=Count("pk")).values_list("channel", "n")
    )
    impact.shares = sum(share_counts.values())
    mine = Click.objects.filter(link__ambassador=user)
    by_kind = dict(mine.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    impact.human_clicks = by_kind.get(ClickKind.HUMAN, 0)
    impact.other_requests = {
        label: by_kind.get(kind, 0) for kind, label in ClickKind.choices if kind != ClickKind.HUMAN
    }
    humans = mine.filter(kind=ClickKind.HUMAN)
    impact.unique_visitors = humans.exclude(visitor_hash="").values("link_id", "day", "visitor_hash").distinct().count()
    clicks_by_channel = dict(
        humans.values_list("link__channel").annotate(n=Count("pk")).values_list("link__channel", "n")
    )
    impact.by_channel = [
        {
            "channel": value,
            "label": label,
            "shares": share_counts.get(value, 0),
            "clicks": clicks_by_channel.get(value, 0),
        }
        for value, label in Channel.choices
        if share_counts.get(value) or clicks_by_channel.get(value)
    ]
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    per_day = defaultdict(int, humans.filter(day__gte=start).values_list("day").annotate(n=Count("pk")))
    impact.days = [start + dt.timedelta(days=i) for i in range(days)]
    impact.clicks_per_day = [per_day[day] for day in impact.days]
    return impact
