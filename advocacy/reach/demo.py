"""Demo data of the reach app: followed hashtags and 90 days of collected posts.

Posts go through reach.ingestion like real ones, so their attribution (ambassador,
organic) follows the same rules as in production. Idempotent: nothing is added when
the demo posts are already there.
"""

import math
import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Network, SocialHandle
from advocacy import demo
from advocacy.reach import services
from advocacy.reach.ingestion import Matcher, PostData, posts_upsert
from advocacy.reach.models import Hashtag, SocialPost

DAYS = 90
AMBASSADOR_POSTS = 1400
ORGANIC_POSTS = 1500
WATCHED_POSTS = 90

SENTENCES = [
    "Atelier CV ce matin avec {n} demandeurs d’emploi, merci à toute l’équipe",
    "Job dating dans le secteur du soin : {n} recrutements à la clé",
    "Forum de l’alternance cette semaine, venez nous rencontrer",
    "Belle réussite : {n} personnes accompagnées ont retrouvé un emploi ce mois-ci",
    "Réunion d’information création d’entreprise jeudi à l’agence",
    "Nos conseillers entreprise à la rencontre des employeurs du territoire",
    "Matinale de l’emploi : {n} entreprises présentes",
    "Fiers de nos équipes mobilisées pour la semaine de l’industrie",
    "Des métiers qui recrutent près de chez vous : découvrez-les avec nous",
    "Immersion professionnelle réussie pour {n} jeunes",
]
WATCHED_SENTENCES = [
    "Encore une heure d’attente au téléphone",
    "Le site est encore en panne aujourd’hui",
    "Mon dossier a été perdu pour la troisième fois",
]
# Valid everywhere they post: at most 15 characters for X, "_" becomes "-" on LinkedIn.
ORGANIC_AUTHORS = [
    "mde_brest", "cite_metiers", "rennes_emploi", "jeunes_pro", "asso_insertion", "cci_occitanie",
    "recrut_sante", "forum_alternanc", "missionlocale35", "club_entreprise", "radio_locale", "journal_emploi",
]  # fmt: skip


def _ensure_hashtags():
    for tag, kind in (("AvecPôleEmploi", Hashtag.Kind.PROGRAMME), ("TweeteCommePoleEmploi", Hashtag.Kind.WATCHED)):
        from advocacy.reach import hashtags

        if not Hashtag.objects.filter(normalized=hashtags.normalize(tag)).exists():
            services.hashtag_save(tag=tag, kind=kind)


def _metrics(rng, network, followers):
    reach = max(20, followers or 200)
    likes = int(rng.lognormvariate(math.log(reach / 60 + 1), 0.9))
    return {
        "likes": likes,
        "reposts": int(likes * rng.uniform(0.05, 0.3)),
        "replies": int(likes * rng.uniform(0.0, 0.15)),
        "quotes": int(likes * rng.uniform(0.0, 0.05)) if network == Network.X else None,
        # Mastodon counts no views; X and LinkedIn do.
        "impressions": None if network == Network.MASTODON else int(reach * rng.uniform(0.3, 2.5)) + likes * 20,
    }


def _post_url(network, handle, instance, i) -> str:
    """The address of a post in the shape each network gives it."""
    if network == Network.MASTODON:
        return f"https://{instance}/@{handle}/{110000000000000000 + i}"
    if network == Network.LINKEDIN:
        # LinkedIn post addresses carry the activity, not the author's handle.
        return f"https://www.linkedin.com/feed/update/urn:li:activity:{7100000000000000000 + i}/"
    return f"https://x.com/{handle}/status/{1700000000000000000 + i}"


def _post(rng, i, *, network, handle, instance, name, followers, at, text) -> PostData:
    external_id = f"demo-{network}-{i}"
    if network == Network.LINKEDIN:
        handle = handle.replace("_", "-")
    return PostData(
        network=network,
        external_id=external_id,
        posted_at=at,
        text=text,
        url=_post_url(network, handle, instance, i),
        author_external_id=f"demo-author-{handle}",
        author_handle=handle,
        author_instance=instance,
        author_name=name,
        author_followers=followers,
        **_metrics(rng, network, followers),
    )


@demo.step(50, "Publications collectées (observatoire)")
def seed_posts(context):
    _ensure_hashtags()
    if SocialPost.objects.filter(external_id__startswith="demo-").exists():
        return
    rng = random.Random(2013)
    now = timezone.now()
    start = now - timedelta(days=DAYS)
    handles = list(
        SocialHandle.objects.filter(network__in=[Network.X, Network.MASTODON, Network.LINKEDIN])
        .select_related("user")
        .order_by("pk")
    )
    posts_by_source: dict[str, list[PostData]] = {s: [] for s in SocialPost.Source.values}
    source_of = {Network.X: SocialPost.Source.X_API, Network.MASTODON: SocialPost.Source.MASTODON}
    i = 0
    for _ in range(AMBASSADOR_POSTS if handles else 0):
        handle = rng.choice(handles)
        # Posts land after the person joined, most of them, and a few before: those
        # stay organic, as attribution only counts the time a person was opted in.
        earliest = max(start, (handle.user.opted_in_at or start) - timedelta(days=10))
        at = earliest + (now - earliest) * rng.random()
        text = rng.choice(SENTENCES).format(n=rng.randint(3, 40)) + " #AvecPôleEmploi"
        i += 1
        posts_by_source[source_of.get(handle.network, SocialPost.Source.IMPORT)].append(
            _post(rng, i, network=handle.network, handle=handle.handle, instance=handle.instance,
                  name=handle.user.get_full_name(), followers=handle.follower_count, at=at, text=text)
        )  # fmt: skip
    for _ in range(ORGANIC_POSTS):
        network = rng.choices([Network.X, Network.MASTODON, Network.LINKEDIN], [6, 1, 3])[0]
        author = rng.choice(ORGANIC_AUTHORS)
        at = start + (now - start) * rng.random()
        spelling = rng.choice(["#AvecPôleEmploi", "#AvecPoleEmploi", "#avecpoleemploi", "＃AvecPôleEmploi"])
        text = rng.choice(SENTENCES).format(n=rng.randint(3, 40)) + f" {spelling}"
        i += 1
        posts_by_source[source_of.get(network, SocialPost.Source.IMPORT)].append(
            _post(rng, i, network=network, handle=author, instance="piaille.fr" if network == Network.MASTODON else "",
                  name=author.replace("_", " ").title(), followers=rng.randint(50, 20000), at=at, text=text)
        )  # fmt: skip
    # A spike on the watched hashtag twelve days ago, for the alerting to come.
    spike = now - timedelta(days=12)
    for n in range(WATCHED_POSTS):
        at = spike + timedelta(minutes=rng.randint(0, 360)) if n < 60 else start + (now - start) * rng.random()
        i += 1
        posts_by_source[SocialPost.Source.X_API].append(
            _post(rng, i, network=Network.X, handle=f"citoyen{rng.randint(1, 400)}", instance="", name="",
                  followers=rng.randint(10, 3000), at=at,
                  text=rng.choice(WATCHED_SENTENCES) + " #TweeteCommePoleEmploi")
        )  # fmt: skip
    matcher = Matcher()
    for source, posts in posts_by_source.items():
        for offset in range(0, len(posts), 1000):
            posts_upsert(posts=posts[offset : offset + 1000], source=source, matcher=matcher, now=now)
