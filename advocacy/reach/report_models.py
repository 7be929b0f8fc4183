"""Roll-up tables the reports read (never the raw events), and their bookkeeping.

`ReachDaily` counts one Europe/Paris day × organisation unit × network × kit;
`AmbassadorDaily` the same day per ambassador, for rankings only. Both are recomputed
whole days at a time from the raw events by `advocacy.reach.rollups`, so they can always
be checked against those events (`manage.py reconcile_reach`).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReachDaily(models.Model):
    """Figures of one day for one unit, one network (or sharing channel) and one kit.

    `unit` is empty for organic activity and for clicks whose link can no longer be
    tied to a unit; `kit` is empty for posts that carry no tracked link.
    """

    day = models.DateField(_("jour"))
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unité"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A network for posts, a sharing channel (a network, e-mail or a copy) for shares and clicks.
    network = models.CharField(_("réseau"), max_length=20)
    # Deleting a kit deletes its shares and clicks (sharing.Share, TrackedLink): its
    # figures go with them, as a recomputation from the raw events would find.
    kit = models.ForeignKey("content.Kit", verbose_name=_("kit"), on_delete=models.CASCADE, null=True, related_name="+")

    shares = models.PositiveIntegerField(_("partages"), default=0)
    human_clicks = models.PositiveIntegerField(_("clics"), default=0)
    bot_clicks = models.PositiveIntegerField(_("clics de robots"), default=0)
    preview_clicks = models.PositiveIntegerField(_("aperçus de lien"), default=0)
    head_clicks = models.PositiveIntegerField(_("requêtes HEAD"), default=0)
    prefetch_clicks = models.PositiveIntegerField(_("préchargements"), default=0)
    # Sum over links of the distinct visitor hashes of one link on one day: the hash
    # salt changes daily, so a person clicking two links, or on two days, counts twice.
    link_day_visitors = models.PositiveIntegerField(_("visiteurs uniques par lien et par jour"), default=0)
    ambassador_posts = models.PositiveIntegerField(_("publications d’ambassadeur·rices"), default=0)
    organic_posts = models.PositiveIntegerField(_("publications organiques"), default=0)
    reposts = models.PositiveBigIntegerField(_("partages des publications"), default=0)
    likes = models.PositiveBigIntegerField(_("j’aime"), default=0)
    # Null when no post of the group gave its impressions: unknown is not zero.
    impressions = models.PositiveBigIntegerField(_("impressions"), null=True)
    posts_with_impressions = models.PositiveIntegerField(_("publications avec impressions"), default=0)
    potential_reach = models.PositiveBigIntegerField(_("audience potentielle (estimation)"), default=0)

    class Meta:
        verbose_name = _("audience du jour")
        verbose_name_plural = _("audiences par jour")
        constraints = [
            # NULL unit and NULL kit are real buckets (organic, no kit): with a plain
            # unique constraint NULLs are all distinct and two "organic" rows of a day
            # could coexist. Coalescing to 0 (never a primary key) makes the index treat
            # them as equal on PostgreSQL and SQLite alike (nulls_distinct=False would
            # need PostgreSQL 15 and is ignored by SQLite).
            models.UniqueConstraint(
                models.F("day"),
                Coalesce("unit", 0),
                models.F("network"),
                Coalesce("kit", 0),
                name="reach_daily_one_row_per_dimensions",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "unit"], name="reach_daily_day_unit_idx"),
            models.Index(fields=["unit", "day"], name="reach_daily_unit_day_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.unit_id} {self.network} {self.kit_id}"


class AmbassadorDaily(models.Model):
    """One ambassador's shares, clicks and posts on one day, for the rankings.

    Kept apart from ReachDaily so the unit figures never depend on a person: erasing a
    person deletes these rows (nobody is ranked after leaving) while their unit's
    figures stay.
    """

    day = models.DateField(_("jour"))
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ambassadeur·rice"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unité"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    shares = models.PositiveIntegerField(_("partages"), default=0)
    human_clicks = models.PositiveIntegerField(_("clics"), default=0)
    posts = models.PositiveIntegerField(_("publications"), default=0)

    class Meta:
        verbose_name = _("activité du jour d’un·e ambassadeur·rice")
        verbose_name_plural = _("activités du jour des ambassadeur·rices")
        constraints = [
            models.UniqueConstraint(
                models.F("day"),
                models.F("ambassador"),
                Coalesce("unit", 0),
                name="ambassador_daily_one_row",
            ),
        ]
        indexes = [models.Index(fields=["day", "unit"], name="ambassador_daily_day_unit_idx")]

    def __str__(self):
        return f"{self.day} {self.ambassador_id}"


class DirtyDay(models.Model):
    """A day whose raw events changed after it was rolled up (an import, late clicks)."""

    day = models.DateField(_("jour"), unique=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jour à recalculer")
        verbose_name_plural = _("jours à recalculer")

    def __str__(self):
        return self.day.isoformat()


class RollupState(models.Model):
    """How far the refresh task has looked for late events (a single row), and the pass
    running now: one at a time (see rollups.rollup_refresh)."""

    last_click_id = models.BigIntegerField(default=0)
    posts_fetched_since = models.DateTimeField(null=True)
    last_run_at = models.DateTimeField(null=True)
    # A pass claims the refresh until this time, renewed after each day; a dead worker's
    # claim expires by itself. `claims` numbers the passes: each writes only while the
    # number is still its own.
    claimed_until = models.DateTimeField(null=True)
    claims = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("état des agrégats")
        verbose_name_plural = _("état des agrégats")

    def __str__(self):
        return f"{self.last_click_id} {self.posts_fetched_since}"

    @classmethod
    def load(cls) -> "RollupState":
        return cls.objects.get_or_create(pk=1)[0]


class MonthlyReportSent(models.Model):
    """The monthly report went to this manager for this month (claimed before sending)."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("mois"))
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.SET_NULL, null=True, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("rapport mensuel envoyé")
        verbose_name_plural = _("rapports mensuels envoyés")
        constraints = [models.UniqueConstraint(fields=["manager", "month"], name="monthly_report_once")]

    def __str__(self):
        return f"{self.manager_id} {self.month:%Y-%m}"
