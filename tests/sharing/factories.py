"""Factories for the ambassador portal: live kits, shares and clicks made through the services."""

import time
import uuid

from django.utils import timezone

from advocacy.sharing import services
from advocacy.sharing.selectors import feed_forget
from content.models import Kit
from tests.content.factories import make_kit


def live_kit(**fields) -> Kit:
    kit = make_kit(status=Kit.Status.PUBLISHED, **fields)
    # The publication hooks run on commit, which a test transaction never reaches.
    feed_forget(kit)
    return kit


def share(*, ambassador, kit=None, network="x", text="Mon texte à moi #AvecPôleEmploi"):
    kit = kit or live_kit()
    return services.share_record(ambassador=ambassador, kit=kit, network=network, text=text)


def click_event(link, *, kind="human", visitor="v1", day=None, at=None):
    at = at or time.time()
    return {
        "id": uuid.uuid4().hex,
        "link": link.pk,
        "at": at,
        "day": (day or timezone.localdate()).isoformat(),
        "kind": kind,
        "visitor": visitor,
        "referrer": "t.co",
    }
