"""Reads about campaigns, deliveries, notifications and the crisis brake, scoped to the
person asking. `pause_active()` is what other apps call before sharing."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.access import Role, roles_of
from accounts.models import OrgUnit, User
from accounts.selectors import ambassadors
from advocacy.cache import forget, remembered
from advocacy.campaigns.delivery import UNDELIVERED
from advocacy.campaigns.models import Alert, Campaign, CrisisEvent, Delivery, Notification, Pause, RetractionRequest

WEB_SOCIAL = frozenset({Role.CURATOR, Role.MODERATOR, Role.ADMIN})


def pause_current(at=None) -> Pause | None:
    """The global pause in force now, if any. It ends by itself at `ends_at`."""
    at = at or timezone.now()
    return (
        Pause.objects.filter(lifted_at__isnull=True, starts_at__lte=at, ends_at__gt=at).order_by("-starts_at").first()
    )


PAUSE_BANNER_KEY = "campaigns:pause:banner"
PAUSE_BANNER_SECONDS = 30


def pause_for_banner() -> dict | None:
    """The pause in force, as the banner on every page shows it ({"ends_at", "reason"}),
    read through the cache: one query per half-minute instead of one per page view.

    Setting or lifting a pause forgets the entry (pause_forget), and the end time is
    checked here, so the banner goes away exactly when the pause ends by itself. What
    holds shares and notifications back reads the database (pause_active), never this.
    """

    def entry_now():
        pause = pause_current()
        return {"ends_at": pause.ends_at, "reason": pause.reason} if pause else {}

    entry = remembered(PAUSE_BANNER_KEY, entry_now, PAUSE_BANNER_SECONDS)
    if entry and entry["ends_at"] > timezone.now():
        return entry
    return None


def pause_forget() -> None:
    """Forget the banner's pause (now and on commit)."""
    forget(PAUSE_BANNER_KEY)


def pause_active(at=None) -> bool:
    """True while a moderator's global pause is in force: no new share, no notification."""
    return pause_current(at) is not None


def is_web_social(user) -> bool:
    return bool(roles_of(user) & WEB_SOCIAL)


def campaigns_for(*, user) -> QuerySet[Campaign]:
    """Campaigns are the web-social team's tool: curators, moderators and admins see them all."""
    if not is_web_social(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("sender")


def campaign_figures(*, campaign: Campaign) -> dict:
    """Counts per channel and status, in one query."""
    rows = (
        Delivery.objects.filter(campaign=campaign)
        .values("channel", "status")
        .annotate(n=Count("pk"))
        .order_by("channel", "status")
    )
    figures = {channel: dict.fromkeys(Delivery.Status.values, 0) for channel in Delivery.Channel.values}
    for row in rows:
        figures[row["channel"]][row["status"]] = row["n"]
    for channel in figures.values():
        channel["total"] = sum(channel.values())
    return figures


def failure_reasons(*, campaign: Campaign) -> list[dict]:
    return list(
        Delivery.objects.filter(campaign=campaign, status__in=UNDELIVERED + (Delivery.Status.SKIPPED,))
        .values("status", "reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "status", "reason")
    )


def undelivered(*, campaign: Campaign) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(campaign=campaign, status__in=UNDELIVERED)
        .select_related("recipient")
        .order_by("recipient__last_name", "recipient__first_name", "pk")
    )


def alerts_open(*, user) -> QuerySet[Alert]:
    if not is_web_social(user):
        return Alert.objects.none()
    return Alert.objects.filter(resolved_at__isnull=True).select_related("campaign")


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


UNREAD_COUNT_SECONDS = 60


def _unread_key(user_id) -> str:
    return f"campaigns:unread:{user_id}"


def unread_count(*, user) -> int:
    """The person's unread notifications, as the header of every page shows them, read
    through the cache: a Redis read instead of a query on each page view.

    Every write that changes the count forgets it (new notifications, marking read), so
    it is current; the minute of expiry only bounds what a write outside those paths
    (or a failed cache delete) leaves behind.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    return remembered(
        _unread_key(user.pk),
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        UNREAD_COUNT_SECONDS,
    )


def unread_forget(*user_ids) -> None:
    """Forget these people's unread counts (now and on commit)."""
    forget(*[_unread_key(pk) for pk in user_ids])


def crisis_events() -> QuerySet[CrisisEvent]:
    return CrisisEvent.objects.select_related("actor")


def targeted_ambassadors(*, units, job_functions) -> QuerySet[User]:
    """Opted-in active people in any of `units` (a unit covers its subtree; none = all)
    and with one of `job_functions` (none = every function)."""
    qs = ambassadors()
    units = list(units)
    if units:
        where = Q()
        for unit in units:
            where |= Q(unit__path__startswith=unit.path)
        qs = qs.filter(where)
    if job_functions:
        qs = qs.filter(job_function__in=list(job_functions))
    return qs


def units_for_targeting() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.all()


def retraction_requests_of(*, user) -> QuerySet[RetractionRequest]:
    """The requests to delete a post addressed to `user`, pending first."""
    return RetractionRequest.objects.filter(ambassador=user).select_related("kit")


def retraction_requests_for_kit(*, user, kit) -> QuerySet[RetractionRequest]:
    if not roles_of(user) & {Role.MODERATOR, Role.ADMIN}:
        return RetractionRequest.objects.none()
    return RetractionRequest.objects.filter(kit=kit).select_related("ambassador", "ambassador__unit")


def retraction_progress(*, kit_ids) -> dict[int, dict]:
    """{kit id: {"total": n, "acknowledged": n}} in one grouped query."""
    rows = (
        RetractionRequest.objects.filter(kit_id__in=list(kit_ids))
        .values("kit_id")
        .annotate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
        .order_by()
    )
    return {row["kit_id"]: {"total": row["total"], "acknowledged": row["acknowledged"]} for row in rows}


def kits_for_crisis(*, user):
    """Published kits (to retract) and retracted ones (to follow), for moderators."""
    from content.models import Kit  # noqa: PLC0415

    if not roles_of(user) & {Role.MODERATOR, Role.ADMIN}:
        return Kit.objects.none(), Kit.objects.none()
    published = Kit.objects.filter(status=Kit.Status.PUBLISHED).order_by("-published_at", "-pk")
    retracted = Kit.objects.filter(status=Kit.Status.RETRACTED).order_by("-retracted_at", "-pk")
    return published, retracted
