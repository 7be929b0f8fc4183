"""The one write path for collected posts: every source hands `posts_upsert` a batch of
`PostData`, and each post ends up stored once per network and external id.

Collecting a post again refreshes what changed (metrics, follower count, text) and
touches nothing when nothing changed, so importing the same file twice is a no-op. A
value the source does not give (None) never erases a value another source gave.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from advocacy.reach import attribution, hashtags
from advocacy.reach.models import Hashtag, SocialPost

METRICS = ("reposts", "replies", "likes", "quotes", "impressions")
# Fields a later collection may change. `source` and `first_seen_at` keep their first value.
MUTABLE = (
    "author_external_id", "author_handle", "author_instance", "author_name", "author_followers",
    "text", "url", "posted_at", *METRICS, "hashtags", "tracked_code", "attribution", "ambassador_id", "unit_id",
)  # fmt: skip
UPDATE_FIELDS = [name.removesuffix("_id") if name in ("ambassador_id", "unit_id") else name for name in MUTABLE] + [
    "fetched_at"
]
KEEP_WHEN_MISSING = ("author_followers", "author_external_id", "author_name", "url", *METRICS)


@dataclass
class PostData:
    network: str
    external_id: str
    posted_at: datetime
    text: str = ""
    url: str = ""
    author_external_id: str = ""
    author_handle: str = ""
    author_instance: str = ""
    author_name: str = ""
    author_followers: int | None = None
    reposts: int | None = None
    replies: int | None = None
    likes: int | None = None
    quotes: int | None = None
    impressions: int | None = None
    # Tags and addresses the source gives beside the text (X entities, Mastodon tags...).
    extra_tags: list[str] = field(default_factory=list)
    extra_urls: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.network, self.external_id)


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Index in the batch -> why the post was not kept.
    skipped: dict[int, str] = field(default_factory=dict)

    def add(self, other: "UpsertResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


class Matcher:
    """What a batch is matched against; build once per run, not once per batch."""

    def __init__(self, followed: list[str] | None = None):
        if followed is None:
            followed = list(Hashtag.objects.filter(is_active=True).values_list("normalized", flat=True))
        self.followed = set(followed)
        self.code_pattern = attribution.tracked_code_pattern()

    def tags(self, post: PostData) -> list[str]:
        return hashtags.match(post.text, self.followed, post.extra_tags)

    def code(self, post: PostData) -> str:
        return attribution.find_tracked_code([post.text, *post.extra_urls], self.code_pattern)


NOT_RELEVANT = "ne porte aucun hashtag suivi ni lien suivi"


def posts_upsert(
    *, posts: list[PostData], source: str, matcher: Matcher | None = None, now: datetime | None = None
) -> UpsertResult:
    """Store `posts` (one batch, a few thousand at most). Later duplicates in the batch win."""
    matcher = matcher or Matcher()
    now = now or timezone.now()
    result = UpsertResult()

    prepared: dict[tuple[str, str], tuple[PostData, list[str], str]] = {}
    for index, post in enumerate(posts):
        tags = matcher.tags(post)
        code = matcher.code(post)
        if not tags and not code:
            result.skipped[index] = NOT_RELEVANT
            continue
        post.author_handle, post.author_instance = attribution.canonical_author(
            post.network, post.author_handle, post.author_instance
        )
        if post.key in prepared:
            result.unchanged += 1  # the same post twice in one batch counts once
        prepared[post.key] = (post, tags, code)
    if not prepared:
        return result

    existing = _existing(prepared.keys())
    decisions = attribution.decide_many(
        (p.network, p.author_handle, p.author_instance, p.posted_at, code) for p, _tags, code in prepared.values()
    )

    to_write = []
    for (key, (post, tags, code)), decision in zip(prepared.items(), decisions, strict=True):
        values = {
            "author_external_id": post.author_external_id,
            "author_handle": post.author_handle,
            "author_instance": post.author_instance,
            "author_name": post.author_name[:255],
            "author_followers": post.author_followers,
            "text": post.text,
            "url": post.url[:500],
            # In UTC: see importing._parse_date_text about the autumn's repeated hour.
            "posted_at": post.posted_at.astimezone(UTC),
            **{name: getattr(post, name) for name in METRICS},
            "hashtags": hashtags.to_field(tags),
            "tracked_code": code,
            "attribution": decision.attribution,
            "ambassador_id": decision.ambassador_id,
            "unit_id": decision.unit_id,
        }
        before = existing.get(key)
        if before is not None:
            for name in KEEP_WHEN_MISSING:
                if values[name] in (None, "") and before[name] not in (None, ""):
                    values[name] = before[name]
            # See reach.attribution: an ambassador's post stays theirs.
            if before["attribution"] == SocialPost.Attribution.AMBASSADOR:
                for name in ("attribution", "ambassador_id", "unit_id"):
                    values[name] = before[name]
            if all(values[name] == before[name] for name in MUTABLE):
                result.unchanged += 1
                continue
            result.updated += 1
        else:
            result.created += 1
        values.update(
            network=post.network, external_id=post.external_id, source=source, first_seen_at=now, fetched_at=now
        )
        to_write.append(values)
    if to_write:
        _write(to_write)
    return result


def _write(rows: list[dict]) -> None:
    """Insert or update `rows` (field attname -> value), one upsert for the batch."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _write_postgresql(rows)
        else:
            SocialPost.objects.bulk_create(
                [SocialPost(**row) for row in rows],
                update_conflicts=True,
                unique_fields=["network", "external_id"],
                update_fields=UPDATE_FIELDS,
            )


def _write_postgresql(rows: list[dict]) -> None:
    """The same upsert as bulk_create(update_conflicts=True), through COPY.

    Building a 2,000-row INSERT is most of the time bulk_create takes; COPY into a
    session's temporary table and one INSERT ... ON CONFLICT from it does the same
    write in a fraction of it, which is what lets a million-row import keep up with a
    plain COPY of the file.
    """
    fields = [SocialPost._meta.get_field(name) for name in ("network", "external_id", "source", "first_seen_at")]
    fields += [SocialPost._meta.get_field(name) for name in UPDATE_FIELDS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(SocialPost._meta.db_table)
    updates = ", ".join(
        f"{connection.ops.quote_name(SocialPost._meta.get_field(name).column)} = "
        f"EXCLUDED.{connection.ops.quote_name(SocialPost._meta.get_field(name).column)}"
        for name in UPDATE_FIELDS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the model, never from input.
            f"CREATE TEMPORARY TABLE IF NOT EXISTS reach_post_staging AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
        )
        cursor.execute("TRUNCATE reach_post_staging")
        with cursor.cursor.copy(f"COPY reach_post_staging ({columns}) FROM STDIN") as copy:
            names = [field.attname for field in fields]
            for row in rows:
                copy.write_row([row[name] for name in names])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reach_post_staging "  # noqa: S608
            f"ON CONFLICT (network, external_id) DO UPDATE SET {updates}"
        )


def _existing(keys) -> dict[tuple[str, str], dict]:
    by_network: dict[str, list[str]] = {}
    for network, external_id in keys:
        by_network.setdefault(network, []).append(external_id)
    found = {}
    for network, ids in by_network.items():
        for row in SocialPost.objects.filter(network=network, external_id__in=ids).values("external_id", *MUTABLE):
            found[(network, row["external_id"])] = row
    return found
