"""Demo shares and clicks (seeding step 40): demo ambassadors share the live demo kits.

Runs after the content library's demo step (order 30). Without live kits it creates
nothing. Idempotent: it does nothing once demo shares exist.
"""

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from advocacy import demo
from advocacy.errors import DomainError
from advocacy.sharing import clicks, services
from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.intents import Channel
from advocacy.sharing.models import Click, Share

DEMO_NAMESPACE = uuid.UUID("0b6f3f5e-8a55-4d7e-9a61-5a1b2c3d4e5f")
TEXT_ENDINGS = [
    "Dans mon agence, on le voit chaque semaine.",
    "Fier·e de ce que fait mon équipe.",
    "Un accompagnement qui change des parcours.",
    "",
]
REFERRERS = ["t.co", "www.linkedin.com", "l.facebook.com", "bsky.app", "piaille.fr", ""]


@demo.step(40, "Partages et clics de démonstration")
@transaction.atomic
def seed(context: dict) -> None:
    from content.selectors import kits_live_for

    if Share.objects.exists():
        return
    rng = random.Random(40)
    people = list(
        User.objects.filter(opted_in_at__isnull=False, is_active=True, email__endswith="avecpoleemploi.fr")
        .select_related("unit")
        .order_by("pk")
    )
    featured = [p for p in people if p.email.split("@")[0] in ("ambassadeur", "manager", "curateur")]
    others = rng.sample([p for p in people if p not in featured], k=min(60, max(0, len(people) - len(featured))))
    now = timezone.now()
    salt = clicks.salt_for(timezone.localdate())
    networks = [Channel.X, Channel.LINKEDIN, Channel.LINKEDIN, Channel.FACEBOOK, Channel.BLUESKY, Channel.EMAIL]
    for person in featured + others:
        kits = list(kits_live_for(user=person).prefetch_related("texts").order_by("pk"))
        chance = 0.8 if person in featured else 0.35
        for kit in kits:
            if rng.random() > chance:
                continue
            texts = list(kit.texts.all())
            base = texts[rng.randrange(len(texts))].body if texts else kit.title
            text = f"{base} {rng.choice(TEXT_ENDINGS)}".strip()
            for network in rng.sample(networks, k=rng.choice([1, 1, 2])):
                try:
                    recorded = services.share_record(ambassador=person, kit=kit, network=network, text=text)
                except DomainError:
                    continue  # the demo follows the same rules as everyone
                shared_at = now - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12))
                Share.objects.filter(pk=recorded.pk).update(created_at=shared_at)
                _seed_clicks(rng, recorded, shared_at, now, salt)


def _seed_clicks(rng, recorded, shared_at, now, salt) -> None:
    span = max(1, int((now - shared_at).total_seconds()))
    rows = []
    for i in range(rng.randint(0, 40)):
        at = shared_at + dt.timedelta(seconds=int(span * rng.random() ** 2))
        kind = rng.choices(
            [ClickKind.HUMAN, ClickKind.PREVIEW, ClickKind.BOT, ClickKind.HEAD, ClickKind.PREFETCH],
            weights=[70, 15, 8, 4, 3],
        )[0]
        rows.append(
            Click(
                event_id=uuid.uuid5(DEMO_NAMESPACE, f"{recorded.link_id}-{recorded.pk}-{i}"),
                link_id=recorded.link_id,
                at=at,
                day=timezone.localdate(at),
                kind=kind,
                visitor_hash=clicks.visitor_hash(salt=salt, address=f"demo-{rng.randint(0, 400)}", user_agent="demo"),
                referrer_host=rng.choice(REFERRERS),
            )
        )
    Click.objects.bulk_create(rows, ignore_conflicts=True)
