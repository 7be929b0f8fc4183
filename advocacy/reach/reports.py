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
from django.db.models import Case, Count, Max, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Role, can
from accounts.models import Network, OrgUnit, ProgrammeMembership
from accounts.selectors import units_visible_to
from advocacy.reach.models import AmbassadorDaily, ReachDaily

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

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def day_list(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end_instant(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone())

    @property
    def start_instant(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.get_default_timezone())

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)

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
        return self.value - self.previous

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
    sub_units: list = field(default_factory=list)  # dicts: unit (OrgUnit) + SUMMED
    top_kits: list = field(default_factory=list)  # dicts: kit_id, title, shares, human_clicks, posts
    top_ambassadors: list = field(default_factory=list)  # dicts: name, unit, shares, human_clicks, posts

    @property
    def deltas(self) -> dict:
        return {key: Delta(self.figures[key], self.previous_figures[key]) for key in FIGURE_KEYS}

    def figure_rows(self):
        """(key, label, kind, value, previous, delta) in display order."""
        deltas = self.deltas
        for key, label, kind in FIGURES:
            yield key, label, kind, self.figures[key], self.previous_figures[key], deltas[key]


def network_label(value: str) -> str:
    """X, LinkedIn, … and the sharing channels that are not networks (e-mail, copy)."""
    from advocacy.sharing.intents import Channel

    labels = {**dict(Network.choices), **dict(Channel.choices)}
    return str(labels.get(value, value))


def _scope_filter(unit: OrgUnit | None, unit_ids: list[int] | None = None) -> Q:
    """Rows of `unit` and everything under it; None is the whole organisation plus organic.

    With the subtree's ids given, the filter is an IN list the (unit, day) index serves,
    instead of a join on the path prefix that makes PostgreSQL scan every roll-up row.
    """
    if unit is None:
        return Q()
    if unit_ids is not None:
        return Q(unit_id__in=unit_ids)
    return Q(unit__path__startswith=unit.path)


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


def _sums(**filters):
    return {key: Sum(key, **filters) for key in SUMMED}


def _clean(row: dict) -> dict:
    """Sums over no rows are NULL: zero for counters, but impressions stay unknown."""
    return {key: (row.get(key) if key == "impressions" else row.get(key) or 0) for key in SUMMED}


def _enrolment(unit: OrgUnit | None, *periods: Period) -> list[int]:
    """Ambassadors whose membership was open at the end of each period, in the unit
    they belonged to when they joined (the membership's snapshot); one query."""
    qs = ProgrammeMembership.objects.all()
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)

    def open_at(instant):
        return Q(joined_at__lt=instant) & (Q(left_at__isnull=True) | Q(left_at__gte=instant))

    counts = qs.aggregate(**{f"p{i}": Count("pk", filter=open_at(p.end_instant)) for i, p in enumerate(periods)})
    return [counts[f"p{i}"] for i in range(len(periods))]


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


def _reach_report(*, user, period: Period, unit: OrgUnit | None, unit_id: int | None) -> Report:
    if unit is not None:
        unit_id = unit.pk
    unit = report_unit(user=user, unit_id=unit_id)
    previous = period.previous()
    unit_ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)) if unit else None
    scope = _scope_filter(unit, unit_ids)
    rows = ReachDaily.objects.filter(scope)
    in_current = Q(day__gte=period.start, day__lte=period.end)
    in_previous = Q(day__gte=previous.start, day__lte=previous.end)

    # Both periods in one scan, grouped by which period a day falls in: 11 sums, not 22
    # filtered ones (the SQL is half as long to build and to run). A period without rows
    # has no group, hence None everywhere, as an aggregate over no rows gives.
    both = {True: {}, False: {}}
    for row in (
        rows.filter(day__gte=previous.start, day__lte=period.end)
        .annotate(current=Case(When(day__gte=period.start, then=Value(True)), default=Value(False)))
        .values("current")
        .annotate(**{k: Sum(k) for k in SUMMED})
        .order_by()
    ):
        both[bool(row["current"])] = row
    people = AmbassadorDaily.objects.filter(scope, shares__gt=0)
    active = people.filter(day__gte=previous.start, day__lte=period.end).aggregate(
        cur=Count("ambassador", distinct=True, filter=in_current),
        prev=Count("ambassador", distinct=True, filter=in_previous),
    )
    enrolled, enrolled_before = _enrolment(unit, period, previous)
    figures = _figures({k: both[True].get(k) for k in SUMMED}, enrolled=enrolled, active=active["cur"])
    previous_figures = _figures(
        {k: both[False].get(k) for k in SUMMED}, enrolled=enrolled_before, active=active["prev"]
    )

    current_rows = rows.filter(in_current)
    by_day = {r["day"]: r for r in current_rows.values("day").annotate(**{k: Sum(k) for k in SERIES}).order_by()}
    trend = [{"day": d, **{k: (by_day.get(d) or {}).get(k) or 0 for k in SERIES}} for d in period.day_list()]

    networks = [
        {"network": r["network"], "label": network_label(r["network"]), **_clean(r)}
        for r in current_rows.values("network").annotate(**_sums()).order_by("network")
    ]

    sub_units = _sub_units(unit, current_rows)
    top_kits = [
        {
            "kit_id": r["kit_id"],
            "title": r["kit__title"],
            "shares": r["s"] or 0,
            "human_clicks": r["c"] or 0,
            "posts": r["p"] or 0,
        }
        for r in current_rows.filter(kit__isnull=False)
        .values("kit_id", "kit__title")
        .annotate(s=Sum("shares"), c=Sum("human_clicks"), p=Sum("ambassador_posts"))
        .order_by("-c", "-s", "kit_id")[:TOP]
    ]
    top_ambassadors = _top_ambassadors(scope, period)
    return Report(
        user_scope_label=str(unit) if unit else str(_("Toute l’organisation")),
        unit=unit,
        is_national=unit is None,
        period=period,
        previous_period=previous,
        figures=figures,
        previous_figures=previous_figures,
        trend=trend,
        networks=networks,
        sub_units=sub_units,
        top_kits=top_kits,
        top_ambassadors=top_ambassadors,
    )


def _sub_units(unit: OrgUnit | None, current_rows) -> list[dict]:
    """The direct children of `unit` (the regions, for the national view), each with its subtree's figures."""
    if unit is None:
        children = list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
        if len(children) == 1:  # the head office: compare what lies under it
            children = list(OrgUnit.objects.filter(parent=children[0]).order_by("path"))
    else:
        children = list(OrgUnit.objects.filter(parent=unit).order_by("path"))
    if not children:
        return []
    per_unit = current_rows.filter(unit__isnull=False).values("unit__path").annotate(**_sums()).order_by()
    totals = {child.pk: _clean({}) for child in children}
    for row in per_unit:
        for child in children:
            if row["unit__path"].startswith(child.path):
                target = totals[child.pk]
                for key in SUMMED:
                    value = row[key]
                    if value is None:
                        continue
                    target[key] = (target[key] or 0) + value
                break
    return [{"unit": child, **totals[child.pk]} for child in children]


def _top_ambassadors(scope: Q, period: Period) -> list[dict]:
    """From the per-ambassador roll-up; a person who declined rankings is not named."""
    rows = (
        AmbassadorDaily.objects.filter(scope, day__gte=period.start, day__lte=period.end)
        .values(
            "ambassador_id",
            "ambassador__first_name",
            "ambassador__last_name",
            "ambassador__appears_in_rankings",
            "ambassador__unit__name",
        )
        .annotate(s=Sum("shares"), c=Sum("human_clicks"), p=Sum("posts"))
        .order_by("-c", "-s", "-p", "ambassador_id")[:TOP]
    )
    result = []
    for r in rows:
        named = r["ambassador__appears_in_rankings"]
        result.append(
            {
                "name": f"{r['ambassador__first_name']} {r['ambassador__last_name']}".strip()
                if named
                else str(ANONYMOUS_AMBASSADOR),
                "unit": (r["ambassador__unit__name"] or "") if named else "",
                "shares": r["s"] or 0,
                "human_clicks": r["c"] or 0,
                "posts": r["p"] or 0,
            }
        )
    return result


@dataclass
class NationalExtras:
    hashtags: list  # dicts: tag, kind, posts
    top_authors: list  # dicts: network, handle, name, posts, followers


def national_extras(*, user, period: Period) -> NationalExtras:
    """What only the web-social team sees: the volume of every followed hashtag and the
    most active organic authors.

    These read the collected posts themselves (an indexed range on posted_at): they are
    about public accounts and tags, which the roll-ups do not split by, and the volumes
    are small next to the click events.
    """
    from advocacy.reach.models import Hashtag, SocialPost

    if not sees_national(user):
        raise Http404
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
            "handle": r["author_handle"],
            "name": r["author_name"],
            "posts": r["n"],
            "followers": r["followers"],
        }
        for r in posts.filter(attribution=SocialPost.Attribution.ORGANIC)
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
