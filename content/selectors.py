"""Reads of the content library, always for a given person: the kits live for an
ambassador and the audience of a kit (used by the feed and the notifications), then the
curators' and moderators' workspace (the library, a kit's page, the moderation queue and
the calendar), where only curators, moderators and admins see kits."""

from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import Role, can
from accounts.models import User
from advocacy.cache import forget, remembered
from content.models import Kit, KitTransition, KitVersion, SuggestedText, Topic

STAFF_ROLES = (Role.CURATOR, Role.MODERATOR, Role.ADMIN)
S = Kit.Status

# The French full-text vector of a kit. The GIN index of migration 0004_kit_search is
# built on exactly this expression, so PostgreSQL can use it; keep the two in step.
SEARCH_VECTOR = SearchVector("title", "brief", config="french")

# --- What ambassadors are meant to see ------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """ "/dg/dr-bre/a-1/" → ["/dg/", "/dg/dr-bre/", "/dg/dr-bre/a-1/"]: the units covering it."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def kits_live_for(*, user: User, at=None) -> QuerySet[Kit]:
    """Published, unexpired kits meant for `user`: targeted to a unit covering theirs (or
    to everyone) and to their job function (or to every function). Unordered."""
    at = at or timezone.now()
    kits = Kit.objects.filter(status=Kit.Status.PUBLISHED).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
    targets = Kit.target_units.through.objects.filter(kit_id=OuterRef("pk"))
    paths = _ancestor_paths(user.unit.path) if user.unit_id else []
    kits = kits.filter(~Exists(targets) | Exists(targets.filter(orgunit__path__in=paths)))
    # Job functions are a JSON list; the quoted value cannot match a longer one.
    by_function = Q(target_job_functions=[])
    if user.job_function:
        by_function |= Q(target_job_functions__icontains=f'"{user.job_function}"')
    return kits.filter(by_function)


def audience_for_kit(*, kit: Kit) -> QuerySet[User]:
    """The active, opted-in ambassadors a kit is meant for."""
    people = User.objects.filter(is_active=True, opted_in_at__isnull=False)
    units = list(kit.target_units.all())
    if units:
        people = people.filter(reduce(or_, (Q(unit__path__startswith=unit.path) for unit in units)))
    if kit.target_job_functions:
        people = people.filter(job_function__in=kit.target_job_functions)
    return people


TOPICS_KEY = "content:topics"
TOPICS_SECONDS = 300


def topics_all() -> list[Topic]:
    """Every topic by name, as the feed's filter lists them, read through the cache: they
    are edited in the admin a few times a year, and the feed is the busiest page.

    The admin forgets the list on every change (topics_forget); the expiry bounds what a
    change made elsewhere (the demo loader, a shell) leaves behind.
    """
    return remembered(TOPICS_KEY, lambda: list(Topic.objects.order_by("name")), TOPICS_SECONDS)


def topics_forget() -> None:
    forget(TOPICS_KEY)


# --- The curators' and moderators' workspace ------------------------------------------


def kits_for_staff(*, user: User) -> QuerySet[Kit]:
    """Every kit, for the web-social team and admins; nothing for anyone else."""
    if not can(user, *STAFF_ROLES):
        return Kit.objects.none()
    return Kit.objects.all()


def kit_search(kits: QuerySet[Kit], terms: str) -> QuerySet[Kit]:
    """French full-text search on PostgreSQL (stemmed: "métier" finds "métiers"); a plain
    case-insensitive match on SQLite, which has no French dictionary."""
    terms = (terms or "").replace("\x00", "").strip()
    if not terms:
        return kits
    if connection.vendor == "postgresql":
        query = SearchQuery(terms, config="french", search_type="websearch")
        return kits.annotate(search=SEARCH_VECTOR).filter(search=query)
    for word in terms.split():
        kits = kits.filter(Q(title__icontains=word) | Q(brief__icontains=word))
    return kits


def kits_for_network(kits: QuerySet[Kit], network: str) -> QuerySet[Kit]:
    """Kits with at least one suggested text meant for `network` (or for every network)."""
    texts = SuggestedText.objects.filter(kit_id=OuterRef("pk")).filter(
        Q(networks=[]) | Q(networks__icontains=f'"{network}"')
    )
    return kits.filter(Exists(texts))


def library_list(kits: QuerySet[Kit]) -> QuerySet[Kit]:
    """What a row of the library shows, in a constant number of queries."""
    return kits.select_related("author", "approved_by").prefetch_related("topics", "texts").order_by("-updated_at")


def kit_for_page(*, user: User, pk: int) -> Kit:
    """One kit with everything its page shows; raises Kit.DoesNotExist when not visible."""
    return (
        kits_for_staff(user=user)
        .select_related("author", "last_editor", "approved_by", "retracted_by")
        .prefetch_related(
            "topics",
            "target_units",
            "texts",
            "visuals",
            Prefetch("transitions", queryset=KitTransition.objects.select_related("by")),
            Prefetch("versions", queryset=KitVersion.objects.select_related("by").defer("snapshot")),
        )
        .get(pk=pk)
    )


def kit_version_list(*, kit: Kit) -> QuerySet[KitVersion]:
    """The saved versions of a kit, oldest first, with who saved each."""
    return kit.versions.select_related("by").order_by("number")


def status_counts(*, user: User) -> dict[str, int]:
    """How many kits stand in each status, in one query."""
    kits = kits_for_staff(user=user)
    row = kits.aggregate(**{value: Count("pk", filter=Q(status=value)) for value in S.values})
    return row


def moderation_queue(*, user: User) -> QuerySet[Kit]:
    """Submitted kits, the longest-waiting first (by their latest submission)."""
    if not can(user, Role.MODERATOR, Role.ADMIN):
        return Kit.objects.none()
    return (
        Kit.objects.filter(status=S.SUBMITTED)
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__to_status=S.SUBMITTED)))
        .select_related("author", "last_editor")
        .prefetch_related("topics")
        .order_by("submitted_at", "pk")
    )


def _paris() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in Paris time."""
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=_paris())
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=_paris())


def calendar_kits(*, user: User, year: int, month: int) -> list[tuple[date, Kit]]:
    """Scheduled (approved, with a date) and published kits of a month, by their day in
    Paris: the day they are due for scheduled ones, the day they went out for the others."""
    start, end = month_bounds(year, month)
    kits = (
        kits_for_staff(user=user)
        .filter(
            Q(status=S.APPROVED, publish_at__gte=start, publish_at__lt=end)
            | Q(status__in=[S.PUBLISHED, S.EXPIRED], published_at__gte=start, published_at__lt=end)
        )
        .select_related("author")
        .prefetch_related("topics")
    )
    dated = []
    for kit in kits:
        moment = kit.publish_at if kit.status == S.APPROVED else kit.published_at
        dated.append((timezone.localtime(moment, _paris()), kit))
    dated.sort(key=lambda item: (item[0], item[1].pk))
    return [(moment.date(), kit) for moment, kit in dated]


def calendar_weeks(*, year: int, month: int, entries: list[tuple[date, Kit]]) -> list[dict]:
    """The month as weeks (Monday first), each with its days and their kits."""
    first = date(year, month, 1)
    last = month_bounds(year, month)[1].date() - timedelta(days=1)
    by_day: dict[date, list[Kit]] = {}
    for day, kit in entries:
        by_day.setdefault(day, []).append(kit)
    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        days = [monday + timedelta(days=i) for i in range(7)]
        in_month = [d for d in days if d.month == month]
        weeks.append(
            {
                "start": in_month[0],
                "end": in_month[-1],
                "days": [{"date": d, "kits": by_day.get(d, [])} for d in in_month],
                "count": sum(len(by_day.get(d, [])) for d in in_month),
            }
        )
        monday += timedelta(days=7)
    return weeks
