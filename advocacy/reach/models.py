"""Collected posts and what collecting them needs: the hashtags we follow, the state of
each collector, and file imports with their rejected rows.

A post is stored once per network and external id; every source (X API, Mastodon,
file import, ingestion API) writes through `advocacy.reach.ingestion`, so collecting it
again only refreshes its metrics.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, OrgUnit


class HashIndex(models.Index):
    """A hash index on PostgreSQL, a plain one elsewhere.

    For a column only ever compared for equality, a hash index is smaller than a B-tree
    and cheaper to write: one 4-byte hash per row, whatever the length of the value.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Hashtag(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Hashtag du programme")
        WATCHED = "watched", _("Hashtag surveillé")

    tag = models.CharField(
        _("hashtag"), max_length=100, help_text=_("Tel qu’il s’écrit, sans le #, par exemple « AvecPôleEmploi ».")
    )
    # The comparison key (see reach.hashtags.normalize): two spellings of one tag
    # cannot be followed twice.
    normalized = models.CharField(_("forme normalisée"), max_length=100, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PROGRAMME)
    is_active = models.BooleanField(_("suivi"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")
        ordering = ["kind", "tag"]

    def __str__(self):
        return f"#{self.tag}"


class SocialPost(models.Model):
    """A public post carrying one of our hashtags or tracked links.

    Attribution is decided when the post is first collected (see reach.attribution),
    because the handles that tie a post to a person are deleted when they leave the
    programme; collecting the post again may upgrade an organic post to an
    ambassador's, never the other way round.
    """

    class Source(models.TextChoices):
        X_API = "x_api", _("API X")
        MASTODON = "mastodon", _("Mastodon")
        IMPORT = "import", _("Import de fichier")
        API = "api", _("API d’ingestion")

    class Attribution(models.TextChoices):
        AMBASSADOR = "ambassador", _("Ambassadeur·rice")
        TRACKED_LINK = "tracked_link", _("Lien suivi")
        ORGANIC = "organic", _("Organique")

    network = models.CharField(_("réseau"), max_length=20, choices=Network.choices)
    # X: the tweet id; Mastodon: the status URI, the same whichever instance we read it on.
    external_id = models.CharField(_("identifiant sur le réseau"), max_length=300)

    author_external_id = models.CharField(_("identifiant de l’auteur·rice"), max_length=100, blank=True)
    # Canonical form as in accounts.handles (lower case, no @), so attribution is an exact match.
    author_handle = models.CharField(_("compte de l’auteur·rice"), max_length=255, blank=True)
    author_instance = models.CharField(_("instance de l’auteur·rice"), max_length=253, blank=True)
    author_name = models.CharField(_("nom affiché"), max_length=255, blank=True)
    author_followers = models.PositiveBigIntegerField(_("abonné·es de l’auteur·rice"), null=True, blank=True)

    text = models.TextField(_("texte"), blank=True)
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    posted_at = models.DateTimeField(_("publié le"))

    # Null where the network (or the export) does not give the figure: an unknown is not a zero.
    reposts = models.PositiveBigIntegerField(_("partages"), null=True, blank=True)
    replies = models.PositiveBigIntegerField(_("réponses"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("j’aime"), null=True, blank=True)
    quotes = models.PositiveBigIntegerField(_("citations"), null=True, blank=True)
    impressions = models.PositiveBigIntegerField(_("impressions"), null=True, blank=True)

    # Normalised tags stored as " tag1 tag2 " (see reach.hashtags.to_field).
    hashtags = models.CharField(_("hashtags"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The code of one of our tracked links (/s/<code>) found in the post; joined on
    # sharing's TrackedLink.code to find the kit and share.
    tracked_code = models.CharField(_("code de lien suivi"), max_length=64, blank=True)

    attribution = models.CharField(_("attribution"), max_length=20, choices=Attribution.choices)
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ambassadeur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_posts",
        db_index=False,  # post_ambassador_idx, below
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # post_unit_posted_idx, below
    )

    first_seen_at = models.DateTimeField(_("vu pour la première fois le"), default=timezone.now)
    fetched_at = models.DateTimeField(_("métriques relevées le"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="post_unique_per_network"),
        ]
        # Every index is written for each post collected, and imports write a million at
        # a time: each one here serves a query (see reach 0005), and those that concern
        # a minority of posts (an ambassador's, a tracked link's) index only them.
        indexes = [
            # Reports, roll-ups, reconcile: a range of publication dates.
            models.Index(fields=["posted_at"], name="post_posted_idx"),
            models.Index(fields=["unit", "posted_at"], name="post_unit_posted_idx", condition=Q(unit__isnull=False)),
            # Personal data, and a person's erasure (on_delete=SET_NULL).
            models.Index(fields=["ambassador"], name="post_ambassador_idx", condition=Q(ambassador__isnull=False)),
            # attribution.handle_posts: equality only (hash on PostgreSQL, see HashIndex).
            HashIndex(fields=["author_handle"], name="post_author_idx"),
            models.Index(fields=["tracked_code"], name="post_tracked_code_idx", condition=~Q(tracked_code="")),
            # Each roll-up pass looks for the posts fetched since the previous one
            # (rollups._late_days): a range on fetched_at among every post ever collected.
            models.Index(fields=["fetched_at"], name="post_fetched_idx"),
        ]

    def __str__(self):
        return f"{self.network}:{self.external_id}"

    @property
    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()


def unclaimed(now) -> Q:
    """Rows no run holds: never claimed, or whose claim expired (the worker holding it
    died). CollectorState and RollupState are claimed by a conditional UPDATE on this."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


class CollectorState(models.Model):
    """Where a collector stopped for one query, and how its last run went."""

    class PauseReason(models.TextChoices):
        RATE_LIMIT = "rate_limit", _("limite de débit de l’API")
        USAGE_CAP = "usage_cap", _("plafond mensuel de l’API X atteint")

    source = models.CharField(_("source"), max_length=20, choices=SocialPost.Source.choices)
    # "x:avecpoleemploi" or "mastodon:piaille.fr:avecpoleemploi".
    key = models.CharField(_("requête"), max_length=300, unique=True)
    since_id = models.CharField(_("dernier identifiant vu"), max_length=100, blank=True)
    # A run stopped part-way down X's pages (newest first) leaves a gap between since_id and
    # the oldest post it read: the next runs read that gap first (until_id), and since_id
    # moves to next_since_id, the newest post read, only once the gap is read.
    until_id = models.CharField(_("rattrapage : reprendre avant l’identifiant"), max_length=100, blank=True)
    next_since_id = models.CharField(_("rattrapage : identifiant le plus récent lu"), max_length=100, blank=True)
    # Set from the API's rate-limit reset: runs skip the query until then instead of
    # holding a worker asleep. A limit is shared by every query of an app (X) or of an
    # instance (Mastodon): see collectors.query_scope.
    resume_at = models.DateTimeField(_("en pause jusqu’à"), null=True, blank=True)
    pause_reason = models.CharField(_("motif de la pause"), max_length=20, choices=PauseReason.choices, blank=True)
    # A run claims the query until this time (renewed page after page), so two runs never
    # collect it at once; a dead worker's claim expires by itself.
    claimed_until = models.DateTimeField(_("passage en cours jusqu’à"), null=True, blank=True)
    # Numbers the claims: every write of a run is conditional on its own number.
    claims = models.PositiveIntegerField(_("passages commencés"), default=0)
    last_run_at = models.DateTimeField(_("dernier passage"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    last_error_at = models.DateTimeField(_("date de la dernière erreur"), null=True, blank=True)
    posts_seen = models.PositiveBigIntegerField(_("publications vues"), default=0)
    # Mastodon's refresh reads its window (MASTODON_REFRESH_HOURS) again, newest first, up
    # to MASTODON_REFRESH_MAX_STATUSES: when the last refresh stopped there, the time down
    # to which it read, the statuses older than it in the window not being refreshed.
    # Empty when the last refresh read its whole window.
    refresh_read_until = models.DateTimeField(
        _("dernière actualisation incomplète : lue jusqu’à"),
        null=True,
        blank=True,
        help_text=_(
            "Les publications plus anciennes de la fenêtre d’actualisation n’ont pas été relues : augmentez "
            "MASTODON_REFRESH_MAX_STATUSES si cela se répète."
        ),
    )

    class Meta:
        verbose_name = _("état d’un collecteur")
        verbose_name_plural = _("états des collecteurs")
        ordering = ["key"]

    def __str__(self):
        return self.key


class CollectionGap(models.Model):
    """A stretch of time a collector can no longer read: X's recent search reaches seven
    days back, so a query left unread for longer (collector off, token revoked, monthly cap
    reached) misses what was published in between. The reports say so for the periods it
    touches, until someone marks it filled, by a file import from a listening tool."""

    source = models.CharField(_("source"), max_length=20, choices=SocialPost.Source.choices)
    key = models.CharField(_("requête"), max_length=300)  # as CollectorState.key
    tag = models.CharField(_("hashtag"), max_length=100)
    # From the last complete reading of the query to the oldest moment the network still
    # serves: an upper bound (a run stopped part-way may have read the newest part of it).
    starts_at = models.DateTimeField(_("publications non lues depuis le"))
    ends_at = models.DateTimeField(_("jusqu’au"))
    recorded_at = models.DateTimeField(_("constaté le"), default=timezone.now)
    filled_at = models.DateTimeField(_("marqué comblé le"), null=True, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marqué comblé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("période non collectée")
        verbose_name_plural = _("périodes non collectées")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"#{self.tag} ({self.get_source_display()})"

    @property
    def description(self) -> str:
        """What is missing, in a sentence (report page, monthly e-mail, admin)."""
        from django.utils.translation import gettext

        def when(moment):
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")

        return gettext(
            "#%(tag)s (%(source)s) : les publications du %(start)s au %(end)s n’ont pas été collectées ; la "
            "collecte a été interrompue plus longtemps que l’API ne permet de rattraper."
        ) % {
            "tag": self.tag,
            "source": self.get_source_display(),
            "start": when(self.starts_at),
            "end": when(self.ends_at),
        }


def _import_path(instance, filename):
    return f"reach/imports/{timezone.now():%Y/%m}/{filename}"


class ImportJob(models.Model):
    """A file of posts exported by a social-listening tool, imported in the background."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (virgule ou point-virgule)")
        JSONL = "jsonl", _("JSON lines (un objet par ligne)")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    # Empty for imports run from the command line, which read the file where it is.
    file = models.FileField(_("fichier"), upload_to=_import_path, max_length=300, blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.CSV)
    # Our field name -> the file's column name (see reach.importing.FIELDS).
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    default_network = models.CharField(_("réseau par défaut"), max_length=20, choices=Network.choices, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # The last sign of life of the run: its claim, each batch written, and for a run in the
    # command line a beat every minute. A running job silent for REACH_IMPORT_STALE_MINUTES
    # lost its worker (see services.import_jobs_recover).
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    # How many times the job was claimed. Each run writes only while the count is still
    # its own, so a run given up for dead that wakes up cannot overwrite its successor.
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    rows_read = models.PositiveBigIntegerField(_("lignes lues"), default=0)
    rows_created = models.PositiveBigIntegerField(_("publications ajoutées"), default=0)
    rows_updated = models.PositiveBigIntegerField(_("publications mises à jour"), default=0)
    rows_unchanged = models.PositiveBigIntegerField(_("publications inchangées"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("lignes rejetées"), default=0)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("import de publications")
        verbose_name_plural = _("imports de publications")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(100, int(self.bytes_read * 100 / self.bytes_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def was_restarted(self) -> bool:
        """Recovery queued it again after a run that stopped without finishing."""
        return self.attempts > 1 or (self.status == self.Status.PENDING and self.attempts > 0)

    @property
    def runs_in_process(self) -> bool:
        """Imported by `manage.py import_posts` from a file we do not keep: nobody else can restart it."""
        return not self.file


class ImportRejection(models.Model):
    """A row of an import that was not taken, with its line number and the reason."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveBigIntegerField(_("ligne"))
    reason = models.CharField(_("motif"), max_length=500)

    class Meta:
        verbose_name = _("ligne rejetée")
        verbose_name_plural = _("lignes rejetées")
        ordering = ["job", "line"]

    def __str__(self):
        return f"{self.line}: {self.reason}"


# --- Roll-ups and reports (advocacy.reach.report_models) --------------------------------
from advocacy.reach.report_models import (  # noqa: E402, F401 - registered with the app
    AmbassadorDaily,
    DirtyDay,
    MonthlyReportSent,
    ReachDaily,
    RollupState,
)
