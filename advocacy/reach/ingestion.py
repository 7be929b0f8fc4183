"""The one write path for collected posts: every source hands `posts_upsert` a batch of
`PostData`, and each post ends up stored once per network and external id.

Collecting a post again refreshes what changed (metrics, follower count, text) and
touches nothing when nothing changed, so importing the same file twice is a no-op. A
value the source does not give (None, or an empty text) never erases a value another
source gave, and what is known of who a post counts for is never lost (see
reach.attribution): an export without the author's column or the link behind a t.co
address leaves the author and the tracked link the X API gave.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.db import binary_parameters_query
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
KEEP_WHEN_MISSING = (
    "author_followers", "author_external_id", "author_handle", "author_instance", "author_name", "text", "url",
    *METRICS, "tracked_code",
)  # fmt: skip


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
# PostgreSQL stores no NUL character, and no text can hold half of a UTF-16 surrogate
# pair (JSON can write one, "\ud800"): either would fail the whole batch it came in.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason() -> str:
    return _("caractère invalide (caractère nul ou moitié de paire UTF-16) : la ligne ne peut pas être enregistrée")


# A prepared row: what a source says about a post, checked, matched and truncated to the
# model's lengths, in this order (see `prepare` and reach.importing, which builds them
# column by column for files). Attribution, source and timestamps are added when stored.
ROW_FIELDS = (
    "network", "external_id", "author_external_id", "author_handle", "author_instance", "author_name",
    "author_followers", "text", "url", "posted_at", *METRICS, "hashtags", "tracked_code",
)  # fmt: skip
NETWORK, EXTERNAL_ID, AUTHOR_HANDLE, AUTHOR_INSTANCE, POSTED_AT, TRACKED_CODE = (
    ROW_FIELDS.index(name)
    for name in ("network", "external_id", "author_handle", "author_instance", "posted_at", "tracked_code")
)


@dataclass
class Prepared:
    """Rows ready to store, unique by (network, external_id), the later one winning."""

    rows: dict[tuple[str, str], tuple] = field(default_factory=dict)
    # Rows that repeat a post seen earlier in the same batch: counted once, as unchanged.
    repeated: int = 0

    def add(self, row: tuple) -> None:
        key = (row[NETWORK], row[EXTERNAL_ID])
        if key in self.rows:
            self.repeated += 1
        self.rows[key] = row


def prepare(posts: list[PostData], matcher: Matcher, skipped: dict[int, str]) -> Prepared:
    """The rows to store for `posts`; those that match nothing go to `skipped` (index -> reason)."""
    prepared = Prepared()
    for index, post in enumerate(posts):
        # The values as stored (see importing.ColumnParser, which checks the same).
        post.author_external_id, post.author_name, post.url = (
            post.author_external_id[:100], post.author_name[:255], post.url[:500]
        )  # fmt: skip
        post.author_handle, post.author_instance = post.author_handle[:255], post.author_instance[:253]
        stored_text = (
            post.external_id, post.author_external_id, post.author_handle, post.author_instance, post.author_name,
            post.text, post.url,
        )  # fmt: skip
        if UNSTORABLE.search("".join(stored_text)):
            skipped[index] = unstorable_reason()
            continue
        tags = matcher.tags(post)
        code = matcher.code(post)
        if not tags and not code:
            skipped[index] = NOT_RELEVANT
            continue
        handle, instance = attribution.canonical_author(post.network, post.author_handle, post.author_instance)
        post.author_handle, post.author_instance = handle, instance
        prepared.add(
            (
                post.network, post.external_id, post.author_external_id, handle, instance, post.author_name,
                post.author_followers, post.text, post.url,
                # In UTC: see importing._parse_date_text about the autumn's repeated hour.
                post.posted_at.astimezone(UTC),
                post.reposts, post.replies, post.likes, post.quotes, post.impressions,
                hashtags.to_field(tags), code,
            )
        )  # fmt: skip
    return prepared


def posts_upsert(
    *, posts: list[PostData], source: str, matcher: Matcher | None = None, now: datetime | None = None
) -> UpsertResult:
    """Store `posts` (one batch, a few thousand at most). Later duplicates in the batch win."""
    result = UpsertResult()
    prepared = prepare(posts, matcher or Matcher(), result.skipped)
    result.add(rows_store(prepared=prepared, source=source, now=now))
    return result


def rows_store(
    *, prepared: Prepared, source: str, now: datetime | None = None, durable: bool = True, likely_new: bool = False
) -> UpsertResult:
    """Attribute and store prepared rows: create the new posts, refresh those that changed.

    `durable=False` (file imports only) lets PostgreSQL acknowledge the batch before its
    log reaches the disk: a crash loses at most the last fraction of a second, which
    running the same file again restores. Posts from the API or the collectors, which
    nobody would send again, are always committed durably.

    `likely_new=True` (file imports, after a batch whose posts were all new) skips asking
    whether any of the posts is stored already, and copies them straight into the table;
    the first one that is makes the copy fail and the batch is merged instead, as when
    another source wrote one meanwhile. The result is the same either way."""
    now = now or timezone.now()
    result = UpsertResult(unchanged=prepared.repeated)
    rows = list(prepared.rows.values())
    if not rows:
        return result
    decisions = attribution.decide_many(
        (row[NETWORK], row[AUTHOR_HANDLE], row[AUTHOR_INSTANCE], row[POSTED_AT], row[TRACKED_CODE]) for row in rows
    )
    rows = [
        (*row, decision.attribution, decision.ambassador_id, decision.unit_id)
        for row, decision in zip(rows, decisions, strict=True)
    ]
    if connection.vendor == "postgresql":
        result.add(_store_postgresql(rows, source=source, now=now, durable=durable, likely_new=likely_new))
    else:
        result.add(_store_orm(rows, source=source, now=now))
    return result


# A stored row: ROW_FIELDS, then the attribution decided for it.
STORED_FIELDS = (*ROW_FIELDS, "attribution", "ambassador_id", "unit_id")
assert set(STORED_FIELDS) == set(MUTABLE) | {"network", "external_id"}  # noqa: S101 - a module invariant


def _store_orm(rows: list[tuple], *, source: str, now: datetime) -> UpsertResult:
    """Any database: compare with the stored posts in Python, then one bulk upsert."""
    result = UpsertResult()
    existing = _existing((row[NETWORK], row[EXTERNAL_ID]) for row in rows)
    to_write = []
    for row in rows:
        values = dict(zip(STORED_FIELDS, row, strict=True))
        before = existing.get((values["network"], values["external_id"]))
        if before is not None:
            for name in KEEP_WHEN_MISSING:
                if values[name] in (None, "") and before[name] not in (None, ""):
                    values[name] = before[name]
            # See reach.attribution: an ambassador's post stays theirs, and a post found
            # with a tracked link keeps it (its code is kept above) when a later source
            # does not show the link.
            if before["attribution"] == SocialPost.Attribution.AMBASSADOR:
                for name in ("attribution", "ambassador_id", "unit_id"):
                    values[name] = before[name]
            elif before["attribution"] == SocialPost.Attribution.TRACKED_LINK:
                if values["attribution"] == SocialPost.Attribution.ORGANIC:
                    values["attribution"] = before["attribution"]
            if all(values[name] == before[name] for name in MUTABLE):
                result.unchanged += 1
                continue
            result.updated += 1
        else:
            result.created += 1
        values.update(source=source, first_seen_at=now, fetched_at=now)
        to_write.append(values)
    if to_write:
        with transaction.atomic():
            SocialPost.objects.bulk_create(
                [SocialPost(**values) for values in to_write],
                update_conflicts=True,
                unique_fields=["network", "external_id"],
                update_fields=UPDATE_FIELDS,
            )
    return result


def _existing(keys) -> dict[tuple[str, str], dict]:
    by_network: dict[str, list[str]] = {}
    for network, external_id in keys:
        by_network.setdefault(network, []).append(external_id)
    found = {}
    for network, ids in by_network.items():
        for row in SocialPost.objects.filter(network=network, external_id__in=ids).values("external_id", *MUTABLE):
            found[(network, row["external_id"])] = row
    return found


# --- PostgreSQL: COPY, and the comparison done by the server ----------------------------

# Binary COPY needs each column's type.
_COPY_TYPES = {
    models.CharField: "varchar", models.URLField: "varchar", models.TextField: "text",
    models.PositiveBigIntegerField: "int8", models.DateTimeField: "timestamptz", models.ForeignKey: "int8",
}  # fmt: skip
STAGING = "reach_post_staging"


def _column(name: str) -> str:
    return connection.ops.quote_name(SocialPost._meta.get_field(name).column)


def _merged(name: str, new: str = "EXCLUDED", old: str = "p") -> str:
    """SQL for the value a post keeps in an upsert: the same rules as _store_orm."""
    new, old = f"{new}.{_column(name)}", f"{old}.{_column(name)}"
    if name in ("attribution", "ambassador_id", "unit_id"):
        ambassador, tracked, organic = (
            SocialPost.Attribution.AMBASSADOR, SocialPost.Attribution.TRACKED_LINK, SocialPost.Attribution.ORGANIC
        )  # fmt: skip
        old_attribution = f"{old.rpartition('.')[0]}.{_column('attribution')}"
        if name == "attribution":
            return (
                f"CASE WHEN {old} = '{ambassador}' THEN {old} "
                f"WHEN {old} = '{tracked}' AND {new} = '{organic}' THEN {old} ELSE {new} END"
            )
        return f"CASE WHEN {old_attribution} = '{ambassador}' THEN {old} ELSE {new} END"
    if name in KEEP_WHEN_MISSING:
        nullable = SocialPost._meta.get_field(name).null
        return f"COALESCE({new}, {old})" if nullable else f"COALESCE(NULLIF({new}, ''), {old})"
    return new


@lru_cache(maxsize=1)
def _statements() -> dict:
    fields = [*STORED_FIELDS, "source", "first_seen_at", "fetched_at"]
    columns = ", ".join(_column(name) for name in fields)
    table = connection.ops.quote_name(SocialPost._meta.db_table)
    types = [_COPY_TYPES[type(SocialPost._meta.get_field(name))] for name in fields]
    mutable = [name for name in STORED_FIELDS if name in MUTABLE]
    assignments = ", ".join(
        [f"{_column(name)} = {_merged(name)}" for name in mutable]
        + [f"{_column('fetched_at')} = EXCLUDED.{_column('fetched_at')}"]
    )
    stored = ", ".join(f"p.{_column(name)}" for name in mutable)
    merged = ", ".join(_merged(name) for name in mutable)
    # The same comparison, made before writing, between the staged row (s) and the
    # stored one (e), read without locking it: unchanged posts are left out of the
    # INSERT, which would otherwise lock (and so write) each of them.
    existing = ", ".join(f"e.{_column(name)}" for name in mutable)
    existing_merged = ", ".join(_merged(name, new="s", old="e") for name in mutable)
    staged = ", ".join(f"s.{_column(name)}" for name in fields)
    network, external_id = _column("network"), _column("external_id")
    # Table and column names come from the model, never from input.
    return {
        "types": types,
        "staging": f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} AS SELECT {columns} FROM {table} WITH NO DATA",  # noqa: S608
        "copy_staging": f"COPY {STAGING} ({columns}) FROM STDIN (FORMAT binary)",
        "copy_table": f"COPY {table} ({columns}) FROM STDIN (FORMAT binary)",
        # Whether any of the keys is stored already: one probe of the unique index per key.
        "exists": (
            f"SELECT EXISTS (SELECT FROM unnest(%b::varchar[], %b::varchar[]) AS k(network, external_id) "  # noqa: S608
            f"WHERE EXISTS (SELECT FROM {table} p WHERE p.{_column('network')} = k.network "
            f"AND p.{_column('external_id')} = k.external_id))"
        ),
        # Rows that bring nothing new are not written (the WHERE): their fetched_at stays,
        # so the roll-ups do not recompute their days.
        "upsert": (
            f"WITH written AS (INSERT INTO {table} AS p ({columns}) SELECT {staged} FROM {STAGING} s "  # noqa: S608
            # LATERAL ... LIMIT 1: one probe of the unique index per staged row, never a
            # scan of the whole table, whatever the planner thinks of the temporary table.
            f"LEFT JOIN LATERAL (SELECT {existing}, e.{network} AS found FROM {table} e "
            f"WHERE e.{network} = s.{network} AND e.{external_id} = s.{external_id} LIMIT 1) e ON true "
            f"WHERE e.found IS NULL OR ({existing}) IS DISTINCT FROM ({existing_merged}) "
            f"ON CONFLICT ({network}, {external_id}) DO UPDATE SET {assignments} "
            f"WHERE ({stored}) IS DISTINCT FROM ({merged}) RETURNING xmax = 0 AS created) "
            "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written"
        ),
    }


def _copy(cursor, statement: str, rows: list[tuple], tail: tuple) -> None:
    with cursor.cursor.copy(statement) as copy:
        copy.set_types(_statements()["types"])
        write = copy.write_row
        for row in rows:
            write(row + tail)


def _any_stored(statement: str, rows: list[tuple]) -> bool:
    keys = [[row[NETWORK] for row in rows], [row[EXTERNAL_ID] for row in rows]]
    return binary_parameters_query(statement, keys)[0][0]


def _store_postgresql(
    rows: list[tuple], *, source: str, now: datetime, durable: bool, likely_new: bool = False
) -> UpsertResult:
    """The same upsert as _store_orm, through COPY and one INSERT ... ON CONFLICT.

    A batch of posts none of which is stored yet (the first import of a file) is copied
    straight into the table; with `likely_new`, without asking first. Otherwise the
    batch is copied into a temporary table, and the server merges it, compares and
    writes only the posts that changed: nothing travels back, which is what keeps a
    re-import cheap.
    """
    import psycopg  # noqa: PLC0415 - only with PostgreSQL

    statements = _statements()
    tail = (source, now, now)
    with transaction.atomic(), connection.cursor() as cursor:
        if not durable:
            # The job's progress, committed after each batch with the default setting,
            # flushes every batch before it (see rows_store).
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if likely_new or not _any_stored(statements["exists"], rows):
            try:
                with transaction.atomic():
                    _copy(cursor, statements["copy_table"], rows, tail)
                return UpsertResult(created=len(rows))
            except psycopg.errors.UniqueViolation:
                pass  # stored already (see likely_new), or written meanwhile by another source: merged below
        cursor.execute(statements["staging"])
        cursor.execute(f"TRUNCATE {STAGING}")
        _copy(cursor, statements["copy_staging"], rows, tail)
        cursor.execute(statements["upsert"])
        created, updated = cursor.fetchone()
    return UpsertResult(created=created, updated=updated, unchanged=len(rows) - created - updated)
