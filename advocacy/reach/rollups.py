"""Roll-ups: whole Europe/Paris days recomputed from the raw events (shares, clicks, posts).

A day is always recomputed whole (delete + insert in one transaction), never
incremented, so running it twice, or concurrently with a late event, converges on what
the raw events say. `rollup_refresh()` is what Celery beat runs every few minutes:
today, yesterday, and days marked dirty by late events or imports, a bounded number of
days per pass, one pass at a time.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Replace, Trim, TruncDate
from django.utils import timezone

from advocacy.reach.models import Hashtag, SocialPost, unclaimed
from advocacy.reach.report_models import AmbassadorDaily, DirtyDay, ReachDaily, RollupState
from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.models import Click, Share, TrackedLink

logger = logging.getLogger(__name__)

COUNTERS = (
    "shares",
    "human_clicks",
    "bot_clicks",
    "preview_clicks",
    "head_clicks",
    "prefetch_clicks",
    "link_day_visitors",
    "ambassador_posts",
    "organic_posts",
    "reposts",
    "likes",
    "impressions",
    "posts_with_impressions",
    "potential_reach",
)
AMBASSADOR_COUNTERS = ("shares", "human_clicks", "posts")
BOT_KINDS = {
    ClickKind.BOT: "bot_clicks",
    ClickKind.PREVIEW: "preview_clicks",
    ClickKind.HEAD: "head_clicks",
    ClickKind.PREFETCH: "prefetch_clicks",
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of `day` and of the next one in Europe/Paris (23 or 25 hours on DST days)."""
    tz = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _click_units(link_ids, links: dict, start: datetime, end: datetime) -> dict[int, list]:
    """For each link clicked on the day [start, end): the units its clicks count for, as
    [(from, unit_id)] in time order, the first from None (the start of the day).

    A click counts for the unit copied on the latest share made with its link at or
    before the click, or, before any share (or for a share without a unit), the unit
    copied on the link when it was made. Both are snapshots and a share only ever comes
    after the clicks already counted, so a person moving to another unit never changes a
    past figure, and their clicks follow them only from their first share in the new unit.
    """
    current = {pk: link["unit_id"] for pk, link in links.items()}
    changes: dict[int, list] = defaultdict(list)
    shares = (
        Share.objects.filter(link_id__in=link_ids, created_at__lt=end)
        .order_by("link_id", "created_at", "pk")
        .values_list("link_id", "created_at", "unit_id")
    )
    for link_id, created_at, unit_id in shares:
        unit_id = unit_id if unit_id is not None else links[link_id]["unit_id"]
        if created_at <= start:
            current[link_id] = unit_id
        else:
            changes[link_id].append((created_at, unit_id))
    timelines = {}
    for pk, unit_id in current.items():
        timeline = [(None, unit_id)]
        for created_at, changed_to in changes.get(pk, ()):
            if changed_to != timeline[-1][1]:
                timeline.append((created_at, changed_to))
        timelines[pk] = timeline
    return timelines


def _unit_at(timeline: list, moment: datetime):
    unit_id = timeline[0][1]
    for since, changed_to in timeline[1:]:
        if moment < since:
            break
        unit_id = changed_to
    return unit_id


@dataclass
class DayFigures:
    units: dict  # (unit_id, network, kit_id) -> {counter: value}
    people: dict  # (ambassador_id, unit_id) -> {counter: value}


def watched_tags() -> set[str]:
    """The normalised tags whose posts alone are not the programme's reach (programme_posts).

    Switched off or not: a watched hashtag no longer collected leaves its posts what they
    were, mentions of the institution.
    """
    return set(Hashtag.objects.filter(kind=Hashtag.Kind.WATCHED).values_list("normalized", flat=True))


def programme_posts(posts):
    """`posts` without those collected only for a watched hashtag.

    A watched hashtag (#TweeteCommePoleEmploi) is followed to raise spike alerts; a post
    that carries it and none of the programme's tags nor a tracked link is a mention of
    the institution, not reach of the programme, and counting it would inflate the
    posts, likes and potential reach the reports show.
    """
    watched = sorted(watched_tags())
    if not watched:
        return posts
    # Tags are stored as " a b " (hashtags.to_field), each once: removing every watched
    # tag leaves only blanks when the post carries nothing else.
    others = F("hashtags")
    for tag in watched:
        others = Replace(others, Value(f" {tag} "), Value(" "))
    return posts.alias(other_tags=Trim(others)).exclude(Q(tracked_code="") & Q(other_tags="") & ~Q(hashtags=""))


def _new_counters():
    row = dict.fromkeys(COUNTERS, 0)
    row["impressions"] = None
    return row


def compute_day(day: date) -> DayFigures:
    """Every figure of `day`, from the raw events, without writing anything."""
    start, end = day_bounds(day)
    units: dict = defaultdict(_new_counters)
    people: dict = defaultdict(lambda: dict.fromkeys(AMBASSADOR_COUNTERS, 0))

    shares = (
        Share.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("unit_id", "channel", "kit_id", "ambassador_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in shares:
        units[(row["unit_id"], row["channel"], row["kit_id"])]["shares"] += row["n"]
        if row["ambassador_id"] is not None:
            people[(row["ambassador_id"], row["unit_id"])]["shares"] += row["n"]

    # Clicks are grouped by link first (the unique visitors are per link and day by
    # definition), then each link is resolved once to its unit, channel and kit.
    human = Q(kind=ClickKind.HUMAN)
    day_clicks = Click.objects.filter(day=day)
    link_ids = day_clicks.values("link_id")
    per_link = (
        day_clicks.values("link_id")
        .annotate(
            human=Count("pk", filter=human),
            visitors=Count("visitor_hash", filter=human & ~Q(visitor_hash=""), distinct=True),
            **{field: Count("pk", filter=Q(kind=kind)) for kind, field in BOT_KINDS.items()},
        )
        .order_by()
    )
    links = {
        link["pk"]: link
        for link in TrackedLink.objects.filter(pk__in=link_ids)
        .values("pk", "unit_id", "channel", "kit_id", "ambassador_id")
        .order_by()
    }
    timelines = _click_units(link_ids, links, start, end)

    def add_clicks(link, unit_id, *, human_clicks, visitors, bots):
        target = units[(unit_id, link["channel"], link["kit_id"])]
        target["human_clicks"] += human_clicks
        target["link_day_visitors"] += visitors
        for field, count in bots.items():
            target[field] += count
        if link["ambassador_id"] is not None and human_clicks:
            people[(link["ambassador_id"], unit_id)]["human_clicks"] += human_clicks

    split = {pk for pk, timeline in timelines.items() if len(timeline) > 1}
    for row in per_link:
        if row["link_id"] not in split:
            add_clicks(
                links[row["link_id"]], timelines[row["link_id"]][0][1], human_clicks=row["human"],
                visitors=row["visitors"], bots={field: row[field] for field in BOT_KINDS.values()},
            )  # fmt: skip
    if split:
        # Rare: a share with another unit was recorded during the day (the person moved),
        # so that link's clicks are split at the share. A visitor counts once, for the
        # unit of their first click of the day, as the per-link count above does.
        seen = set()
        for link_id, at, kind, visitor in (
            day_clicks.filter(link_id__in=split)
            .order_by("at", "pk")
            .values_list("link_id", "at", "kind", "visitor_hash")
        ):
            is_human = kind == ClickKind.HUMAN
            is_new_visitor = is_human and visitor != "" and (link_id, visitor) not in seen
            if is_new_visitor:
                seen.add((link_id, visitor))
            add_clicks(
                links[link_id], _unit_at(timelines[link_id], at), human_clicks=int(is_human),
                visitors=int(is_new_visitor), bots={BOT_KINDS[kind]: 1} if kind in BOT_KINDS else {},
            )  # fmt: skip

    kit_of_code = Subquery(
        TrackedLink.objects.filter(code=OuterRef("tracked_code")).values("kit_id")[:1], output_field=IntegerField()
    )
    # A post found through a tracked link counts, like a click, for the unit of the latest
    # share made with the link before it was posted, else for the link's own unit.
    share_unit_of_code = Subquery(
        Share.objects.filter(link__code=OuterRef("tracked_code"), created_at__lte=OuterRef("posted_at"))
        .order_by("-created_at", "-pk")
        .values("unit_id")[:1],
        output_field=IntegerField(),
    )
    link_unit_of_code = Subquery(
        TrackedLink.objects.filter(code=OuterRef("tracked_code")).values("unit_id")[:1], output_field=IntegerField()
    )
    organic = Q(attribution=SocialPost.Attribution.ORGANIC)
    posts = (
        programme_posts(SocialPost.objects.filter(posted_at__gte=start, posted_at__lt=end))
        .annotate(
            # Only posts with a tracked link run the lookups: most posts have none, and
            # PostgreSQL evaluates a CASE branch only for the rows that reach it.
            post_kit=Case(When(tracked_code="", then=None), default=kit_of_code, output_field=IntegerField()),
            post_unit=Case(
                When(unit_id__isnull=False, then=F("unit_id")),
                When(tracked_code="", then=None),
                default=Coalesce(share_unit_of_code, link_unit_of_code),
                output_field=IntegerField(),
            ),
        )
        .values("post_unit", "network", "post_kit", "ambassador_id")
        .annotate(
            n_ambassador=Count("pk", filter=~organic),
            n_organic=Count("pk", filter=organic),
            sum_reposts=Coalesce(Sum("reposts"), 0),
            sum_likes=Coalesce(Sum("likes"), 0),
            sum_impressions=Sum("impressions"),
            n_impressions=Count("impressions"),
            sum_followers=Coalesce(Sum("author_followers"), 0),
        )
        .order_by()
    )
    for row in posts:
        target = units[(row["post_unit"], row["network"], row["post_kit"])]
        target["ambassador_posts"] += row["n_ambassador"]
        target["organic_posts"] += row["n_organic"]
        target["reposts"] += row["sum_reposts"]
        target["likes"] += row["sum_likes"]
        target["posts_with_impressions"] += row["n_impressions"]
        target["potential_reach"] += row["sum_followers"]
        if row["sum_impressions"] is not None:
            target["impressions"] = (target["impressions"] or 0) + row["sum_impressions"]
        if row["ambassador_id"] is not None:
            people[(row["ambassador_id"], row["post_unit"])]["posts"] += row["n_ambassador"] + row["n_organic"]

    # "Bot clicks" is every request that was not a person: bots, previews, HEAD, prefetch.
    for target in units.values():
        target["bot_clicks"] = sum(target[field] for field in BOT_KINDS.values())
    return DayFigures(units=dict(units), people=dict(people))


def _unit_rows(day: date, figures: DayFigures) -> list[ReachDaily]:
    return [
        ReachDaily(day=day, unit_id=unit_id, network=network, kit_id=kit_id, **counters)
        for (unit_id, network, kit_id), counters in figures.units.items()
    ]


def _people_rows(day: date, figures: DayFigures) -> list[AmbassadorDaily]:
    return [
        AmbassadorDaily(day=day, ambassador_id=ambassador_id, unit_id=unit_id, **counters)
        for (ambassador_id, unit_id), counters in figures.people.items()
    ]


# The first key of the advisory locks that keep two computations of one day apart.
DAY_LOCK_NAMESPACE = 0x52454143  # "REAC"


def _day_lock(day: date) -> None:
    """Wait for any other transaction computing `day` to end (PostgreSQL; on SQLite the
    delete that follows waits for the other writer the same way).

    A beat pass and reconcile_reach (or the demo) may compute the same day at once: the
    second delete would wait for the first transaction without seeing the rows it
    inserted, and the second insert would then break the unique constraints. Taken
    first, the lock makes the second delete see, and remove, the first one's rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DAY_LOCK_NAMESPACE, day.toordinal()])


def rollup_day(day: date) -> int:
    """Recompute `day` whole: delete its rows and insert the new ones in one transaction.

    The figures are computed once the day's lock is held (and its rows deleted), not
    before: two computations of a day at once then write one after the other, the second
    from events read after the first committed, so the last write is never older than
    the one it replaces. Computed before the lock, a computation that began first but
    waited could write its older figures over a later one's, and a pass that had already
    moved its marks past those events would not compute the day again."""
    began = timezone.now()
    with transaction.atomic():
        _day_lock(day)
        ReachDaily.objects.filter(day=day).delete()
        AmbassadorDaily.objects.filter(day=day).delete()
        figures = compute_day(day)
        ReachDaily.objects.bulk_create(_unit_rows(day, figures), batch_size=1000)
        AmbassadorDaily.objects.bulk_create(_people_rows(day, figures), batch_size=1000)
        # A mark made while the day was being computed (a hashtag changed kind meanwhile)
        # asks for what this pass may not have seen: it stays for the next one.
        DirtyDay.objects.filter(day=day, marked_at__lte=began).delete()
    return len(figures.units)


def rollup_days(start: date, end: date) -> int:
    """Recompute every day from `start` to `end` included; returns the number of rows written.

    Used by the demo and, day by day, by `reconcile`, it neither takes nor waits for the
    refresh's pass claim. Each day is computed whole under its own lock (rollup_day), so
    running beside a pass changes no figure: whichever computes a day last read every
    event the other did. Taking the claim would hold beat's passes back for as long as a
    reconciliation of months runs, leaving today's figures stale; waiting for it would
    wait up to PASS_CLAIM_DURATION on a dead worker's claim. `pass_running` tells a
    caller that wants to say so."""
    written = 0
    day = start
    while day <= end:
        written += rollup_day(day)
        day += timedelta(days=1)
    return written


def days_mark_dirty(days) -> None:
    """Ask the next refresh to recompute these days (an import of old posts, say).

    A day already marked gets the time of this mark: a pass computing it right now
    began before, so it keeps the mark (see rollup_day).
    """
    now = timezone.now()
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=d, marked_at=now) for d in set(days)],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["marked_at"],
    )


def days_of_tags(tags) -> set[date]:
    """The Europe/Paris days on which a collected post carried one of these normalised tags."""
    tags = list(tags)
    if not tags:
        return set()
    carries = Q()
    for tag in tags:
        carries |= Q(hashtags__contains=f" {tag} ")
    paris = timezone.get_default_timezone()
    return set(
        SocialPost.objects.filter(carries)
        .annotate(d=TruncDate("posted_at", tzinfo=paris))
        .values_list("d", flat=True)
        .distinct()
        .order_by()
    )


def tags_mark_dirty(tags) -> set[date]:
    """Mark for recomputation every day a post carried one of `tags`: those tags became
    watched or stopped being watched, which changes what the day's posts count for."""
    days = days_of_tags(tags)
    days_mark_dirty(days)
    return days


# A batch of posts carries the time its write began (ingestion.rows_store) but is seen
# only once it commits, a moment later: a pass in between does not see it, and the next
# pass, starting where that one stopped, would skip it for good (an import's old days
# then stayed wrong until reconcile_reach). Each pass looks this much further back;
# recomputing a day twice changes nothing.
LATE_COMMIT_MARGIN = timedelta(minutes=5)


def _late_days(state: RollupState) -> tuple[set[date], int, datetime]:
    """Days touched since the last run by clicks written late or posts fetched again.

    The first run only sets the marks: history is rolled up by `rollup_days` (the demo,
    `reconcile_reach`), not by a beat task that would scan every event at once.
    """
    days: set[date] = set()
    last_click_id = Click.objects.aggregate(m=Max("pk"))["m"] or 0
    now = timezone.now()
    if state.last_run_at is None:
        return days, last_click_id, now
    if last_click_id > state.last_click_id:
        days.update(
            Click.objects.filter(pk__gt=state.last_click_id, pk__lte=last_click_id)
            .values_list("day", flat=True)
            .distinct()
            .order_by()
        )
    posts = SocialPost.objects.filter(fetched_at__lt=now)
    if state.posts_fetched_since is not None:
        posts = posts.filter(fetched_at__gte=state.posts_fetched_since - LATE_COMMIT_MARGIN)
    paris = timezone.get_default_timezone()
    days.update(
        posts.annotate(d=TruncDate("posted_at", tzinfo=paris)).values_list("d", flat=True).distinct().order_by()
    )
    return days, last_click_id, now


# A pass renews its claim after each day; a worker that died loses it after this long.
# A day takes seconds, so this is many days' worth of margin.
PASS_CLAIM_DURATION = timedelta(minutes=10)


def _pass_claim() -> RollupState | None:
    """Claim the refresh for this pass, or None when another pass holds it.

    Two passes computing the same day at once would each delete and insert its rows,
    and the second insert would fail on the unique constraint (PostgreSQL) after doing
    the work twice: a slow pass (a big backlog) and beat's next one must not overlap.
    """
    state = RollupState.load()
    now = timezone.now()
    free = unclaimed(now)
    if not RollupState.objects.filter(free, pk=state.pk).update(
        claimed_until=now + PASS_CLAIM_DURATION, claims=F("claims") + 1
    ):
        return None
    return RollupState.objects.get(pk=state.pk)


def pass_running(now: datetime | None = None) -> datetime | None:
    """Until when a refresh pass holds the claim (renewed after each day), or None."""
    now = now or timezone.now()
    return RollupState.objects.exclude(unclaimed(now)).values_list("claimed_until", flat=True).first()


def _pass_still_mine(state: RollupState):
    return RollupState.objects.filter(pk=state.pk, claims=state.claims)


def days_to_compute(
    *, today: date, backlog: set[date], max_days: int, waiting_longest: date | None = None
) -> list[date]:
    """Today and yesterday, the backlog's day `waiting_longest`, then the most recent
    days of the backlog, `max_days` in all.

    The most recent first: they are what reports are read for (the last 7, 30 or 90
    days, the month in progress, last month's report). An import of old posts or a
    hashtag's change of kind marks years of days at once; those are drained pass after
    pass, a few hours at most, while the days people look at stay current. A day left
    for later stays marked (DirtyDay), so none is lost; and since the refreshes mark the
    last few days again at every pass, one place goes to the day marked longest ago, so
    an old day is never starved by recent ones.
    """
    live = [today - timedelta(days=1), today]
    places = max(0, max_days - len(live))
    first = [waiting_longest] if places and waiting_longest in backlog and waiting_longest not in live else []
    older = sorted(backlog - set(live) - set(first), reverse=True)[: places - len(first)]
    return live + first + older


def rollup_refresh(*, max_days: int | None = None) -> list[date]:
    """Recompute today, yesterday and the days whose events changed since the last pass,
    at most `max_days` (REACH_ROLLUP_MAX_DAYS_PER_PASS) days per pass: the rest stays
    marked for the next passes. Returns the days computed ([] when another pass runs)."""
    max_days = max_days or settings.REACH_ROLLUP_MAX_DAYS_PER_PASS
    state = _pass_claim()
    if state is None:
        logger.info("roll-up refresh: another pass is running; skipped")
        return []
    try:
        late, last_click_id, seen_until = _late_days(state)
        backlog = late | set(DirtyDay.objects.values_list("day", flat=True))
        today = timezone.localdate()
        waiting = DirtyDay.objects.exclude(day__in=[today, today - timedelta(days=1)])
        # Among days marked at once (an import), the most recent: the order of the others.
        waiting_longest = waiting.order_by("marked_at", "-day").values_list("day", flat=True).first()
        days = days_to_compute(today=today, backlog=backlog, max_days=max_days, waiting_longest=waiting_longest)
        # The late days found here are not looked for again (the marks move on below):
        # those left for later are marked dirty first, so a pass that stops loses none.
        days_mark_dirty(late - set(days))
        if left := len(backlog - set(days)):
            logger.info("roll-up refresh: %d days computed, %d left for the next passes", len(days), left)
        for day in days:
            rollup_day(day)
            if not _pass_still_mine(state).update(claimed_until=timezone.now() + PASS_CLAIM_DURATION):
                logger.warning("roll-up refresh: pass %s was taken over by a later one; stopping", state.claims)
                return days[: days.index(day) + 1]
        _pass_still_mine(state).update(
            last_click_id=last_click_id, posts_fetched_since=seen_until, last_run_at=timezone.now(), claimed_until=None
        )
    except BaseException:
        _pass_still_mine(state).update(claimed_until=None)
        raise
    return days


@dataclass
class Difference:
    day: date
    key: tuple
    field: str
    stored: int | None
    recomputed: int | None


def reconcile(start: date, end: date, *, fix: bool = True) -> list[Difference]:
    """Compare the stored roll-ups with a recomputation from the raw events, day by day."""
    differences: list[Difference] = []
    day = start
    while day <= end:
        figures = compute_day(day)
        fresh = {key: counters for key, counters in figures.units.items()}
        stored = {
            (row["unit_id"], row["network"], row["kit_id"]): row
            for row in ReachDaily.objects.filter(day=day).values("unit_id", "network", "kit_id", *COUNTERS)
        }
        empty = _new_counters()
        for key in sorted(set(fresh) | set(stored), key=repr):
            for field in COUNTERS:
                old = stored.get(key, empty)[field]
                new = fresh.get(key, empty)[field]
                if old != new:
                    differences.append(Difference(day, key, field, old, new))
        stored_people = {
            (row["ambassador_id"], row["unit_id"]): row
            for row in AmbassadorDaily.objects.filter(day=day).values("ambassador_id", "unit_id", *AMBASSADOR_COUNTERS)
        }
        for key in sorted(set(figures.people) | set(stored_people), key=repr):
            for field in AMBASSADOR_COUNTERS:
                old = stored_people.get(key, {}).get(field, 0)
                new = figures.people.get(key, {}).get(field, 0)
                if old != new:
                    differences.append(Difference(day, ("ambassador", *key), field, old, new))
        if fix and any(d.day == day for d in differences):
            rollup_day(day)
        day += timedelta(days=1)
    return differences
