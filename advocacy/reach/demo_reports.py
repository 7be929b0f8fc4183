"""Demo step (order 60): a realistic 90-day history of shares, clicks and hashtag posts,
then the roll-ups, so the report dashboards show figures on `make run`.

It only adds history when there is none (an earlier step, such as the portal's or the
observatory's, may already provide shares or posts) and always recomputes the roll-ups
of the last 92 days, so running it again changes nothing.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from advocacy import demo

HISTORY_DAYS = 90
DEMO_KITS = [
    ("Semaine de l’emploi des jeunes", "https://www.francetravail.fr/actualites/jeunes"),
    ("Job dating dans nos agences", "https://www.francetravail.fr/actualites/job-dating"),
    ("Recruter sans CV : la méthode", "https://www.francetravail.fr/actualites/sans-cv"),
    ("Salon des métiers du numérique", "https://www.francetravail.fr/actualites/numerique"),
    ("Nos conseillers entreprise sur le terrain", "https://www.francetravail.fr/actualites/entreprises"),
    ("Témoignage : reconversion réussie", "https://www.francetravail.fr/actualites/reconversion"),
]
CHANNEL_WEIGHTS = [("linkedin", 55), ("x", 20), ("facebook", 12), ("mastodon", 4), ("bluesky", 4), ("email", 5)]


def _noon(day):
    return datetime.combine(day, time(9), tzinfo=timezone.get_default_timezone())


def _kits(context):
    from accounts.models import User
    from content import workflow
    from content.models import AllowedDomain, Kit

    live = list(Kit.objects.filter(status=Kit.Status.PUBLISHED).order_by("pk")[:8])
    if len(live) >= 3:
        return live
    curator = User.objects.filter(is_curator=True, is_active=True).order_by("pk").first()
    moderator = User.objects.filter(is_moderator=True, is_active=True).exclude(pk=getattr(curator, "pk", None)).first()
    if curator is None or moderator is None:
        return live
    AllowedDomain.objects.get_or_create(domain="francetravail.fr")
    for title, link in DEMO_KITS:
        if Kit.objects.filter(title=title).exists():
            continue
        kit = workflow.kit_create(
            by=curator,
            title=title,
            link=link,
            texts=[{"body": f"{title} : à découvrir et à partager #AvecPôleEmploi", "networks": []}],
        )
        kit = workflow.kit_submit(kit=kit, by=curator)
        kit = workflow.kit_approve(kit=kit, by=moderator)
        if kit.status == Kit.Status.APPROVED:
            workflow.kit_publish(kit=kit)
    return list(Kit.objects.filter(status=Kit.Status.PUBLISHED).order_by("pk")[:8])


def _history(kits, rng):
    """Shares by a third of the ambassadors, clicks decaying over the days after each share."""
    from accounts.models import User
    from advocacy.sharing.models import Click, Share, TrackedLink

    ambassadors = list(User.objects.filter(opted_in_at__isnull=False, is_active=True).order_by("pk"))
    sharers = [a for a in ambassadors if rng.random() < 0.35]
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    today = timezone.localdate()
    plan = []  # (ambassador, kit, channel, day)
    for person in sharers:
        for _ in range(rng.randint(1, 6)):
            kit = rng.choice(kits)
            age = min(HISTORY_DAYS - 1, int(rng.expovariate(1 / 35)))
            plan.append((person, kit, rng.choices(channels, weights)[0], today - timedelta(days=age)))
    TrackedLink.objects.bulk_create(
        [TrackedLink(ambassador=p, unit_id=p.unit_id, kit=k, channel=c) for p, k, c, _d in plan], ignore_conflicts=True
    )
    links = {
        (link.ambassador_id, link.kit_id, link.channel): link
        for link in TrackedLink.objects.filter(ambassador__in=sharers).select_related(None)
    }
    shares = [
        Share(
            ambassador=p,
            unit_id=p.unit_id,
            job_function=p.job_function,
            kit=k,
            channel=c,
            text=f"{k.title} #AvecPôleEmploi",
            text_hash=uuid.uuid4().hex,
            link=links[(p.pk, k.pk, c)],
        )
        for p, k, c, _d in plan
    ]
    created = Share.objects.bulk_create(shares, batch_size=500)
    # created_at is set on insert (auto_now_add): date the history afterwards, one day at a time.
    by_day = {}
    for share, (_p, _k, _c, day) in zip(created, plan, strict=True):
        by_day.setdefault(day, []).append(share.pk)
    for day, ids in by_day.items():
        Share.objects.filter(pk__in=ids).update(created_at=_noon(day))

    clicks = []
    kinds = [("human", 78), ("preview", 12), ("bot", 6), ("head", 2), ("prefetch", 2)]
    kind_values, kind_weights = zip(*kinds, strict=True)
    for share, (_p, _k, channel, day) in zip(created, plan, strict=True):
        if channel == "email":
            total = rng.randint(0, 4)
        else:
            total = int(rng.expovariate(1 / 14))
        for _ in range(total):
            offset = min(int(rng.expovariate(1 / 1.5)), (today - day).days)
            click_day = day + timedelta(days=offset)
            kind = rng.choices(kind_values, kind_weights)[0]
            clicks.append(
                Click(
                    event_id=uuid.uuid4(),
                    link_id=share.link_id,
                    at=_noon(click_day) + timedelta(minutes=rng.randint(0, 600)),
                    day=click_day,
                    kind=kind,
                    # Some people click twice: fewer visitors than clicks, as in real life.
                    visitor_hash=f"{share.link_id:x}{rng.randint(0, total * 3 // 4):04x}" if kind == "human" else "",
                    referrer_host={"linkedin": "www.linkedin.com", "x": "t.co"}.get(channel, ""),
                )
            )
    Click.objects.bulk_create(clicks, batch_size=1000)
    return sharers


def _posts(sharers, rng):
    """Posts carrying the hashtag: ambassadors' (on their declared handles) and organic ones."""
    from accounts.models import SocialHandle
    from advocacy.reach.models import SocialPost

    today = timezone.localdate()
    handles = list(SocialHandle.objects.filter(user__in=sharers, network__in=["x", "linkedin", "mastodon"]))
    posts = []
    for n, handle in enumerate(handles):
        for i in range(rng.randint(0, 4)):
            day = today - timedelta(days=min(HISTORY_DAYS - 1, int(rng.expovariate(1 / 35))))
            posts.append(
                SocialPost(
                    network=handle.network,
                    external_id=f"demo-{handle.network}-{n}-{i}",
                    author_handle=handle.handle,
                    author_instance=handle.instance,
                    author_name=f"{handle.user.first_name} {handle.user.last_name}",
                    author_followers=handle.follower_count,
                    text="Fier·e de partager notre action #AvecPôleEmploi",
                    posted_at=_noon(day) + timedelta(minutes=rng.randint(0, 600)),
                    reposts=rng.randint(0, 12),
                    likes=rng.randint(0, 60),
                    impressions=rng.randint(100, 5000) if handle.network == "x" else None,
                    hashtags=" avecpoleemploi ",
                    source=SocialPost.Source.MASTODON if handle.network == "mastodon" else SocialPost.Source.IMPORT,
                    attribution=SocialPost.Attribution.AMBASSADOR,
                    ambassador=handle.user,
                    unit_id=handle.user.unit_id,
                )
            )
    organic_authors = [("emploi_bzh", 5400), ("collectif_rh", 1200), ("marie_recrute", 310), ("actu_emploi", 22000)]
    for i in range(260):
        handle, followers = rng.choice(organic_authors)
        day = today - timedelta(days=rng.randint(0, HISTORY_DAYS - 1))
        watched = rng.random() < 0.05
        network = rng.choice(["x", "x", "mastodon"])
        posts.append(
            SocialPost(
                network=network,
                external_id=f"demo-organic-{i}",
                author_handle=handle,
                author_instance="piaille.fr" if network == "mastodon" else "",
                author_name=handle.replace("_", " ").title(),
                author_followers=followers,
                text="#TweeteCommePoleEmploi encore une file d’attente" if watched else "Merci #AvecPôleEmploi !",
                posted_at=_noon(day) + timedelta(minutes=rng.randint(0, 600)),
                reposts=rng.randint(0, 5),
                likes=rng.randint(0, 30),
                impressions=None,
                hashtags=" tweetecommepoleemploi " if watched else " avecpoleemploi ",
                source=SocialPost.Source.IMPORT,
                attribution=SocialPost.Attribution.ORGANIC,
            )
        )
    SocialPost.objects.bulk_create(posts, batch_size=500, ignore_conflicts=True)


@demo.step(60, "Historique d’audience sur 90 jours et agrégats des rapports")
def seed_reach_history(context):
    from advocacy.reach import rollups, services
    from advocacy.reach.models import Hashtag, SocialPost
    from advocacy.sharing.models import Share

    rng = random.Random(2013)
    today = timezone.localdate()
    with transaction.atomic():
        if not Hashtag.objects.exists():
            services.hashtag_save(tag="AvecPôleEmploi", kind=Hashtag.Kind.PROGRAMME)
            services.hashtag_save(tag="TweeteCommePoleEmploi", kind=Hashtag.Kind.WATCHED)
        # The portal's demo (step 40) shares over the last few weeks only: the history
        # is added when nothing reaches two months back.
        history_start = timezone.now() - timedelta(days=60)
        if not Share.objects.filter(created_at__lt=history_start).exists():
            kits = _kits(context)
            sharers = _history(kits, rng) if kits else []
            if not SocialPost.objects.exists():
                _posts(sharers, rng)
    rollups.rollup_days(today - timedelta(days=HISTORY_DAYS + 2), today)
