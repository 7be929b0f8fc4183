"""The reach report: one object built from the roll-up tables, read by the pages, the
exports, the API and the monthly e-mail alike, so a figure is the same number everywhere.

`reach_report(*, user, period, unit=None)` is the only way in; it scopes to what `user`
may see (accounts.selectors.units_visible_to) and refuses a unit outside that scope
with a 404, never an empty report that would confirm the unit exists.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Role, can
from accounts.models import Network, OrgUnit, ProgrammeMembership, User
from accounts.selectors import units_visible_to
from advocacy.reach.models import AmbassadorDaily, ReachDaily
from advocacy.reach.rollups import programme_posts
from content.models import Kit

ANONYMOUS_AMBASSADOR = _("un·e ambassadeur·rice")
TOP = 10

# Every headline figure, in the order the page, the exports and the API show them.
# (key, label, kind) — kind "estimate" is always labelled as such.
FIGURES = (
    ("ambassadors_enrolled", _("Ambassadeur·rices inscrit·es"), "count"),
    ("ambassadors_active", _("Ambassadeur·rices actif·ves (ont partagé)"), "count"),
    ("participation_rate", _("Taux de participation"), "percent"),
    ("shares", _("Partages"), "count"),
    ("human_clicks", _("Clics (hors robots)"), "count"),
    ("click_rate", _("Clics par partage"), "ratio"),
    ("link_day_visitors", _("Visiteurs uniques (par lien et par jour, additionnés)"), "count"),
    ("bot_clicks", _("Requêtes de robots et aperçus (exclues)"), "count"),
    ("ambassador_posts", _("Publications avec le hashtag : ambassadeur·rices"), "count"),
    ("organic_posts", _("Publications avec le hashtag : organiques"), "count"),
    ("reposts", _("Partages des publications"), "count"),
    ("likes", _("J’aime"), "count"),
    ("impressions", _("Impressions (là où le réseau les donne)"), "count"),
    ("posts_with_impressions", _("Publications dont les impressions sont connues"), "count"),
    ("potential_reach", _("Audience potentielle (estimation)"), "estimate"),
)
FIGURE_KEYS = tuple(key for key, _label, _kind in FIGURES)
SUMMED = (
    "shares",
    "human_clicks",
    "link_day_visitors",
    "bot_clicks",
    "ambassador_posts",
    "organic_posts",
    "reposts",
    "likes",
    "impressions",
    "posts_with_impressions",
    "potential_reach",
)
SERIES = ("shares", "human_clicks", "ambassador_posts", "organic_posts")


@dataclass(frozen=True)
class Period:
    """Europe/Paris days from `start` to `end`, both included."""

    start: date
    end: date
    # The month in progress, from its 1st to today (Period.month_to_date). Said when the
    # period is made, not guessed from its dates: the 7 last days seen on the 8th also run
    # from a 1st, and are compared with the 7 days just before them.
    is_month_to_date: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_calendar_month(self) -> bool:
        return (
            self.start.day == 1
            and (self.start.year, self.start.month) == (self.end.year, self.end.month)
            and (self.end + timedelta(days=1)).day == 1
        )

    def previous(self) -> "Period":
        """The period of the same length just before; for a whole calendar month, the
        month before, so that the monthly report's "previous month" holds exactly the
        figures of last month's report (the 30 days before March would start in January);
        for the month in progress (1 to 7 December), the same days of the month before (1
        to 7 November), cut at its end (1 to 30 March gives all of February)."""
        if self.is_calendar_month or self.is_month_to_date:
            last = self.start - timedelta(days=1)
            month = Period.month(last.year, last.month)
            if self.is_calendar_month:
                return month
            return Period(month.start, min(month.end, month.start + timedelta(days=self.end.day - 1)))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def day_list(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end_instant(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone())

    @property
    def start_instant(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.get_default_timezone())

    @property
    def is_in_progress(self) -> bool:
        """Whether the period holds today, whose figures are not complete yet: compared with a
        previous period of whole days, it looks lower than it will be."""
        return self.end >= timezone.localdate()

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> "Period":
        """The `days` whole days before today: compared with the same number of whole days
        before them, like with like (today, not over yet, would pull every change down)."""
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days), today - timedelta(days=1))

    @classmethod
    def month_to_date(cls, today: date) -> "Period":
        """The month in progress, from its 1st to `today`; on its last day, the whole month."""
        month = cls.month(today.year, today.month)
        if month.end == today:
            return month
        return cls(month.start, today, is_month_to_date=True)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return cls(start, following - timedelta(days=1))


MAX_PERIOD_DAYS = 366


@dataclass
class Delta:
    value: float | int | None
    previous: float | int | None

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        change = self.value - self.previous
        # Rates carry one or two decimals; 8.31 - 13.2 is -4.889999999999999 in binary
        # floating point, which the exports would print as such.
        return round(change, 2) if isinstance(change, float) else change

    @property
    def percent(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return round(self.change * 100 / self.previous, 1)


@dataclass
class Report:
    user_scope_label: str
    unit: OrgUnit | None
    is_national: bool
    period: Period
    previous_period: Period
    figures: dict
    previous_figures: dict
    trend: list = field(default_factory=list)  # one dict per day: day + SERIES
    networks: list = field(default_factory=list)  # dicts: network + SUMMED
    sub_units: list = field(default_factory=list)  # dicts: unit (OrgUnit), label, is_direct + SUMMED
    # Two rankings of the same dicts (kit_id, title, shares, human_clicks, posts): the kits
    # ambassadors shared most, and those whose links brought the most clicks.
    top_kits: list = field(default_factory=list)
    top_kits_by_clicks: list = field(default_factory=list)
    top_ambassadors: list = field(default_factory=list)  # dicts: name, unit, shares, human_clicks, posts
    # The stretches of time a collector could not read (CollectionGap, not yet marked
    # filled) within the period or the one it is compared with: their posts are missing.
    collection_gaps: list = field(default_factory=list)

    @property
    def deltas(self) -> dict:
        return {key: Delta(self.figures[key], self.previous_figures[key]) for key in FIGURE_KEYS}

    def figure_rows(self):
        """(key, label, kind, value, previous, delta) in display order. Organic posts belong
        to no unit, so only the whole organisation's report counts them: elsewhere the row
        would always read 0, as if the hashtag had no life of its own there."""
        deltas = self.deltas
        for key, label, kind in FIGURES:
            if key == "organic_posts" and not self.is_national:
                continue
            yield key, label, kind, self.figures[key], self.previous_figures[key], deltas[key]


def network_label(value: str) -> str:
    """X, LinkedIn, … and the sharing channels that are not networks (e-mail, copy)."""
    from advocacy.sharing.intents import Channel

    labels = {**dict(Network.choices), **dict(Channel.choices)}
    return str(labels.get(value, value))


def report_units_for(*, user) -> list[OrgUnit]:
    """The units `user` may pick, in tree order."""
    return list(units_visible_to(user=user).order_by("path"))


def sees_national(user) -> bool:
    return can(user, Role.CURATOR, Role.MODERATOR, Role.ADMIN)


def report_unit(*, user, unit_id: int | None) -> OrgUnit | None:
    """The unit of a report `user` asked for, checked against their scope.

    None (no unit asked) is the national view for the web-social team and the managed
    unit for a manager. A unit outside the scope is a 404.
    """
    visible = units_visible_to(user=user)
    if unit_id is None:
        if sees_national(user):
            return None
        if user.managed_unit_id is None:
            raise Http404
        return visible.get(pk=user.managed_unit_id)
    unit = visible.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _clean(row: dict) -> dict:
    """Sums over no rows are NULL: zero for counters, but impressions stay unknown."""
    return {key: (row.get(key) if key == "impressions" else row.get(key) or 0) for key in SUMMED}


def _figures(row: dict, *, enrolled: int, active: int) -> dict:
    figures = _clean(row)
    figures["ambassadors_enrolled"] = enrolled
    figures["ambassadors_active"] = active
    figures["participation_rate"] = round(active * 100 / enrolled, 1) if enrolled else None
    figures["click_rate"] = round(figures["human_clicks"] / figures["shares"], 2) if figures["shares"] else None
    return figures


def reach_report(*, user, period: Period, unit: OrgUnit | None = None, unit_id: int | None = None) -> Report:
    """The report of `period` for `unit` (or the user's default scope), from the roll-ups.

    Query count is constant whatever the data: headline figures for both periods in one
    aggregate, then the trend, networks, sub-units, kits and people, one query each.
    """
    with small_reads():
        return _reach_report(user=user, period=period, unit=unit, unit_id=unit_id)


@contextmanager
def small_reads():
    """One transaction for the report's queries, without parallel workers on PostgreSQL.

    Each query reads a few thousand roll-up rows at most; PostgreSQL would still plan a
    parallel scan for the larger ones, and starting the workers costs more than the scan
    (a 2 ms aggregate took 28 ms in parallel on the benchmark's data). SET LOCAL needs
    the transaction and ends with it.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _int(value):
    # PostgreSQL sums big integers as numeric (a Decimal); every figure here is a count.
    return None if value is None else int(value)


def _sums(values) -> dict:
    return dict(zip(SUMMED, map(_int, values), strict=True))


class _Reads:
    """The report's reads of the roll-up tables, as SQL that runs on SQLite and PostgreSQL.

    Written by hand rather than with the ORM: the ORM spent longer building these nine
    queries (a dozen sums each, filters, joins) than PostgreSQL spent running them, and
    the report is the page managers open most (bench/bench_report.py). The same figures
    come out: the report tests compare them with the raw events, the exports and the API.
    Table and column names come from the models; values are always parameters.
    """

    def __init__(self, unit_ids: list[int] | None):
        # None is the whole organisation, organic activity (no unit) included.
        self.unit_ids = unit_ids
        self.reach = ReachDaily._meta.db_table
        self.people = AmbassadorDaily._meta.db_table
        self.units = OrgUnit._meta.db_table

    def scope(self, column: str) -> tuple[str, list]:
        if self.unit_ids is None:
            return "1 = 1", []
        if not self.unit_ids:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(self.unit_ids))})", list(self.unit_ids)

    @staticmethod
    def day(value: date):
        return connection.ops.adapt_datefield_value(value)

    @staticmethod
    def instant(value: datetime):
        return connection.ops.adapt_datetimefield_value(value)

    @staticmethod
    def rows(sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def summed(self, *, group: str, first: date, last: date, extra_params=(), join: str = "", tail: str = ""):
        """(group value, *SUMMED) of the reach rows in scope from `first` to `last`."""
        scope, params = self.scope("r.unit_id")
        sums = ", ".join(f"SUM(r.{key})" for key in SUMMED)
        return self.rows(
            f"SELECT {group}, {sums} FROM {self.reach} r {join} "  # noqa: S608 - names from the models
            f"WHERE {scope} AND r.day >= %s AND r.day <= %s GROUP BY 1 {tail}",
            [*extra_params, *params, self.day(first), self.day(last)],
        )

    def both_periods(self, period: Period, previous: Period) -> dict[bool, dict]:
        """The headline sums of each period, in one scan grouped by period."""
        both = {True: {}, False: {}}
        rows = self.summed(
            group="CASE WHEN r.day >= %s THEN 1 ELSE 0 END",
            first=previous.start,
            last=period.end,
            extra_params=[self.day(period.start)],
        )
        for row in rows:
            both[bool(row[0])] = _sums(row[1:])
        return both

    def active(self, period: Period, previous: Period) -> tuple[int, int]:
        """Ambassadors who shared at least once in each period."""
        scope, params = self.scope("a.unit_id")
        day = self.day
        count = "COUNT(DISTINCT a.ambassador_id) FILTER (WHERE a.day >= %s AND a.day <= %s)"
        ((current, before),) = self.rows(
            f"SELECT {count}, {count} FROM {self.people} a "  # noqa: S608
            f"WHERE {scope} AND a.shares > 0 AND a.day >= %s AND a.day <= %s",
            [day(period.start), day(period.end), day(previous.start), day(previous.end)]
            + [*params, day(previous.start), day(period.end)],
        )
        return current, before

    def enrolled(self, *periods: Period) -> list[int]:
        """Ambassadors whose membership was open at the end of each period, in the unit
        they belonged to when they joined (the membership's snapshot)."""
        scope, params = self.scope("m.unit_id")
        counts, values = [], []
        for period in periods:
            counts.append("COUNT(*) FILTER (WHERE m.joined_at < %s AND (m.left_at IS NULL OR m.left_at >= %s))")
            values += [self.instant(period.end_instant)] * 2
        (row,) = self.rows(
            f"SELECT {', '.join(counts)} FROM {ProgrammeMembership._meta.db_table} m WHERE {scope}",  # noqa: S608
            values + params,
        )
        return list(row)

    def trend(self, period: Period) -> list[dict]:
        scope, params = self.scope("r.unit_id")
        sums = ", ".join(f"SUM(r.{key})" for key in SERIES)
        by_day = {}
        for day, *values in self.rows(
            f"SELECT r.day, {sums} FROM {self.reach} r "  # noqa: S608
            f"WHERE {scope} AND r.day >= %s AND r.day <= %s GROUP BY r.day",
            [*params, self.day(period.start), self.day(period.end)],
        ):
            by_day[date.fromisoformat(day) if isinstance(day, str) else day] = values
        zeros = [0] * len(SERIES)
        return [
            {"day": d, **{k: _int(v) or 0 for k, v in zip(SERIES, by_day.get(d, zeros), strict=True)}}
            for d in period.day_list()
        ]

    def networks(self, period: Period) -> list[dict]:
        rows = self.summed(group="r.network", first=period.start, last=period.end, tail="ORDER BY 1")
        return [
            {
                "network": network,
                "label": network_label(network),
                **_clean(dict(zip(SUMMED, map(_int, sums), strict=True))),
            }
            for network, *sums in rows
        ]

    def sub_units(self, unit: OrgUnit | None, period: Period) -> list[dict]:
        """The direct children of `unit` (the regions, for the national view), each with
        its subtree's figures, then the activity of people attached to `unit` itself
        (a regional office, the head office), when there is any: without that row the
        comparison would not add up to the report's own figures."""
        parent = unit
        if unit is None:
            children = list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
            if len(children) == 1:  # the head office: compare what lies under it
                parent = children[0]
                children = list(OrgUnit.objects.filter(parent=parent).order_by("path"))
        else:
            children = list(OrgUnit.objects.filter(parent=unit).order_by("path"))
        if not children:
            return []
        per_unit = self.summed(
            group="u.path", join=f"JOIN {self.units} u ON u.id = r.unit_id", first=period.start, last=period.end
        )
        totals = {child.pk: _clean({}) for child in children}
        direct = _clean({})
        for path, *values in per_unit:
            if parent is not None and path == parent.path:
                target = direct
            else:
                child = next((child for child in children if path.startswith(child.path)), None)
                if child is None:
                    continue
                target = totals[child.pk]
            for key, value in _sums(values).items():
                if value is not None:
                    target[key] = (target[key] or 0) + value
        rows = [{"unit": child, "label": child.name, "is_direct": False, **totals[child.pk]} for child in children]
        if any(direct.values()):
            label = _("%(unit)s (hors sous-unités)") % {"unit": parent.name}
            rows.append({"unit": parent, "label": str(label), "is_direct": True, **direct})
        return rows

    def top_kits(self, period: Period) -> tuple[list[dict], list[dict]]:
        """The kits most shared in the period (by shares, then clicks) and those whose links
        brought the most clicks (by clicks, then shares), in one scan ranked both ways.

        "Most shared" is what the title says: a kit shared before the period but clicked
        in it has no place there, and a kit without a click none among the most clicked.
        """
        scope, params = self.scope("r.unit_id")
        rows = self.rows(
            "SELECT kit_id, title, s, c, p, by_shares, by_clicks FROM ("  # noqa: S608
            "SELECT r.kit_id, k.title, SUM(r.shares) AS s, SUM(r.human_clicks) AS c, SUM(r.ambassador_posts) AS p, "
            "ROW_NUMBER() OVER (ORDER BY SUM(r.shares) DESC, SUM(r.human_clicks) DESC, r.kit_id) AS by_shares, "
            "ROW_NUMBER() OVER (ORDER BY SUM(r.human_clicks) DESC, SUM(r.shares) DESC, r.kit_id) AS by_clicks "
            f"FROM {self.reach} r JOIN {Kit._meta.db_table} k ON k.id = r.kit_id "
            f"WHERE {scope} AND r.day >= %s AND r.day <= %s "
            f"GROUP BY r.kit_id, k.title) ranked WHERE by_shares <= {TOP} OR by_clicks <= {TOP}",
            [*params, self.day(period.start), self.day(period.end)],
        )
        kits = [
            (
                by_shares,
                by_clicks,
                {
                    "kit_id": kit_id,
                    "title": title,
                    "shares": _int(s) or 0,
                    "human_clicks": _int(c) or 0,
                    "posts": _int(p) or 0,
                },
            )
            for kit_id, title, s, c, p, by_shares, by_clicks in rows
        ]
        most_shared = [kit for rank, _c, kit in sorted(kits, key=lambda k: k[0]) if rank <= TOP and kit["shares"]]
        most_clicked = [
            kit for _s, rank, kit in sorted(kits, key=lambda k: k[1]) if rank <= TOP and kit["human_clicks"]
        ]
        return most_shared, most_clicked

    def top_ambassadors(self, period: Period) -> list[dict]:
        """From the per-ambassador roll-up; a person who declined rankings is not named.

        The most active are those who shared most in the period, then posted most with
        the hashtag, then brought most clicks: what they did, not what others did with
        it. Someone whose period holds only clicks on older shares is not listed.

        The unit shown is the person's current one, and only when it lies within the
        report's scope: someone who has since moved to another region still counts
        here, but where they went is not this manager's to read.
        """
        scope, params = self.scope("a.unit_id")
        rows = self.rows(
            "SELECT a.ambassador_id, p.first_name, p.last_name, p.appears_in_rankings, p.unit_id, pu.name, "  # noqa: S608
            "SUM(a.shares) AS s, SUM(a.human_clicks) AS c, SUM(a.posts) AS n "
            f"FROM {self.people} a JOIN {User._meta.db_table} p ON p.id = a.ambassador_id "
            f"LEFT JOIN {self.units} pu ON pu.id = p.unit_id "
            f"WHERE {scope} AND a.day >= %s AND a.day <= %s "
            "GROUP BY a.ambassador_id, p.first_name, p.last_name, p.appears_in_rankings, p.unit_id, pu.name "
            "HAVING SUM(a.shares) > 0 OR SUM(a.posts) > 0 "
            f"ORDER BY s DESC, n DESC, c DESC, a.ambassador_id LIMIT {TOP}",
            [*params, self.day(period.start), self.day(period.end)],
        )
        in_scope = None if self.unit_ids is None else set(self.unit_ids)
        result = []
        for _id, first_name, last_name, named, unit_id, unit_name, s, c, n in rows:
            shows_unit = named and (in_scope is None or unit_id in in_scope)
            result.append(
                {
                    "name": f"{first_name} {last_name}".strip() if named else str(ANONYMOUS_AMBASSADOR),
                    "unit": (unit_name or "") if shows_unit else "",
                    "shares": _int(s) or 0,
                    "human_clicks": _int(c) or 0,
                    "posts": _int(n) or 0,
                }
            )
        return result


def _reach_report(*, user, period: Period, unit: OrgUnit | None, unit_id: int | None) -> Report:
    if unit is not None:
        unit_id = unit.pk
    unit = report_unit(user=user, unit_id=unit_id)
    previous = period.previous()
    # The subtree's ids, for an IN list the (unit, day) indexes serve, instead of a join
    # on the path prefix that makes PostgreSQL scan every roll-up row.
    unit_ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)) if unit else None
    reads = _Reads(unit_ids)
    both = reads.both_periods(period, previous)
    top_kits, top_kits_by_clicks = reads.top_kits(period)
    active, active_before = reads.active(period, previous)
    enrolled, enrolled_before = reads.enrolled(period, previous)
    return Report(
        user_scope_label=str(unit) if unit else str(_("Toute l’organisation")),
        unit=unit,
        is_national=unit is None,
        period=period,
        previous_period=previous,
        figures=_figures(both[True], enrolled=enrolled, active=active),
        previous_figures=_figures(both[False], enrolled=enrolled_before, active=active_before),
        trend=reads.trend(period),
        networks=reads.networks(period),
        sub_units=reads.sub_units(unit, period),
        top_kits=top_kits,
        top_kits_by_clicks=top_kits_by_clicks,
        top_ambassadors=reads.top_ambassadors(period),
        collection_gaps=collection_gaps(period, previous),
    )


def collection_gaps(*periods: Period) -> list:
    """The collection gaps not marked filled that overlap one of `periods`, oldest first.
    Each period on its own: the month in progress (1 to 20 March) is compared with the same
    days of the month before (1 to 20 February), and a gap in between touches neither."""
    from advocacy.reach.models import CollectionGap

    touching = Q()
    for period in periods:
        touching |= Q(starts_at__lt=period.end_instant, ends_at__gt=period.start_instant)
    return list(CollectionGap.objects.filter(touching, filled_at__isnull=True).order_by("starts_at"))


@dataclass
class NationalExtras:
    hashtags: list  # dicts: tag, kind, posts
    top_authors: list  # dicts: network, network_label, handle, name, posts, followers


def national_extras(*, user, report: Report) -> NationalExtras | None:
    """What only the web-social team sees, on the whole organisation's report (None on any
    other): the volume of every followed hashtag and the most active organic authors (of
    the programme's posts, as the organic figure counts them: not those who only used a
    watched hashtag). The page, its exports and the API all ask here.

    These read the collected posts themselves (an indexed range on posted_at): they are
    about public accounts and tags, which the roll-ups do not split by, and the volumes
    are small next to the click events.
    """
    from advocacy.reach.models import Hashtag, SocialPost

    if not report.is_national:
        return None
    if not sees_national(user):
        raise Http404
    period = report.period
    posts = SocialPost.objects.filter(posted_at__gte=period.start_instant, posted_at__lt=period.end_instant)
    tags = list(Hashtag.objects.filter(is_active=True).order_by("kind", "tag"))
    counts = (
        posts.aggregate(
            **{f"t{tag.pk}": Count("pk", filter=Q(hashtags__contains=f" {tag.normalized} ")) for tag in tags}
        )
        if tags
        else {}
    )
    hashtags = [
        {"tag": tag.tag, "kind": tag.get_kind_display(), "posts": counts.get(f"t{tag.pk}") or 0} for tag in tags
    ]
    top_authors = [
        {
            "network": r["network"],
            "network_label": network_label(r["network"]),
            "handle": r["author_handle"],
            "name": r["author_name"],
            "posts": r["n"],
            "followers": r["followers"],
        }
        for r in programme_posts(posts.filter(attribution=SocialPost.Attribution.ORGANIC))
        .exclude(author_handle="")
        .values("network", "author_handle", "author_name")
        .annotate(n=Count("pk"), followers=Max("author_followers"))
        .order_by("-n", "network", "author_handle")[:TOP]
    ]
    return NationalExtras(hashtags=hashtags, top_authors=top_authors)


def posts_unattributed(*, user, period: Period):
    """Posts of the period tied to no unit yet (organic, or a tracked link not yet matched), newest first."""
    from advocacy.reach.models import SocialPost

    if not sees_national(user):
        return SocialPost.objects.none()
    return SocialPost.objects.filter(
        posted_at__gte=period.start_instant,
        posted_at__lt=period.end_instant,
        unit__isnull=True,
        ambassador__isnull=True,
    ).order_by("-posted_at", "-pk")
