"""Raw events for the roll-up and report tests: shares through the sharing service, clicks
and posts written as the click drain and the collectors write them."""

import itertools
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from advocacy.reach.models import SocialPost
from advocacy.sharing.models import Click, Share
from tests.sharing.factories import live_kit
from tests.sharing.factories import share as share_record

_ids = itertools.count(1)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_default_timezone())


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def shared(*, ambassador, kit=None, network="x", day=None) -> Share:
    share = share_record(ambassador=ambassador, kit=kit or live_kit(), network=network)
    if day is not None:
        Share.objects.filter(pk=share.pk).update(created_at=at_noon(day))
        share.refresh_from_db()
    return share


def clicks(link, *, day, human=0, visitors=None, bot=0, preview=0, head=0, prefetch=0):
    """`human` clicks from `visitors` distinct visitors (each click its own visitor by default)."""
    visitors = visitors or human
    rows = [
        Click(event_id=uuid.uuid4(), link=link, at=at_noon(day), day=day, kind="human", visitor_hash=f"v{i % visitors}")
        for i in range(human)
    ]
    for kind, count in (("bot", bot), ("preview", preview), ("head", head), ("prefetch", prefetch)):
        rows += [Click(event_id=uuid.uuid4(), link=link, at=at_noon(day), day=day, kind=kind) for _ in range(count)]
    Click.objects.bulk_create(rows)
    return rows


def post(
    *,
    day,
    network="x",
    ambassador=None,
    unit=None,
    tracked_code="",
    followers=100,
    hashtags=" avecpoleemploi ",
    **metrics,
) -> SocialPost:
    if ambassador is not None:
        attribution = SocialPost.Attribution.AMBASSADOR
        unit = unit or ambassador.unit
    elif tracked_code:
        attribution = SocialPost.Attribution.TRACKED_LINK
    else:
        attribution = SocialPost.Attribution.ORGANIC
    n = next(_ids)
    return SocialPost.objects.create(
        network=network,
        external_id=f"post-{n}",
        author_handle=f"auteur{n}",
        author_name=f"Auteur {n}",
        author_followers=followers,
        text="Bravo #AvecPôleEmploi",
        posted_at=at_noon(day),
        hashtags=hashtags,
        source=SocialPost.Source.IMPORT,
        attribution=attribution,
        ambassador=ambassador,
        unit=unit,
        tracked_code=tracked_code,
        **metrics,
    )
