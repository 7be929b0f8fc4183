"""Campaigns of notifications, their per-recipient deliveries, the portal inbox, alerts,
provider events, and the crisis brake (global pause, crisis journal)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    """One sending: a kit published, an announcement, a retraction request, a reminder or
    a digest. Its recipients each get one Delivery row per channel."""

    class Kind(models.TextChoices):
        KIT_PUBLISHED = "kit_published", _("Nouveau kit")
        ANNOUNCEMENT = "announcement", _("Annonce")
        RETRACTION = "retraction", _("Demande de retrait")
        REMINDER = "reminder", _("Relance de retrait")
        DIGEST = "digest", _("Résumé")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En file d’attente")
        SENDING = "sending", _("En cours d’envoi")
        HELD = "held", _("Suspendue (pause globale)")
        FINISHED = "finished", _("Terminée")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"), help_text=_("Texte brut ; la salutation et la signature sont ajoutées."))
    # The named curator who signs the message: people answer a person, not a robot.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_to = models.EmailField(_("adresse de réponse"))
    target_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("unités ciblées"), blank=True, related_name="+"
    )
    target_job_functions = models.JSONField(_("fonctions ciblées"), default=list, blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    kit = models.ForeignKey(
        "content.Kit", verbose_name=_("kit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(_("mise en file le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    # Counters refreshed from the delivery rows every few seconds while sending and at the
    # end (see sending.py), so lists show figures without counting thousands of rows per
    # campaign.
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)
    sent_count = models.PositiveIntegerField(_("envoyés"), default=0)
    delivered_count = models.PositiveIntegerField(_("distribués"), default=0)
    failed_count = models.PositiveIntegerField(_("en échec"), default=0)
    skipped_count = models.PositiveIntegerField(_("ignorés"), default=0)
    last_progress_at = models.DateTimeField(_("dernier progrès"), null=True, blank=True)
    # When the counters were last recounted: chunks finishing within seconds of each
    # other leave the recount to the first of them (see sending.chunk_recount).
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A kit is announced once and its retraction requested once, even if the
            # workflow's hook runs twice.
            models.UniqueConstraint(
                fields=["kit", "kind"],
                condition=Q(kind__in=["kit_published", "retraction"]),
                name="campaign_once_per_kit",
            ),
        ]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """One message to one person on one channel. Its status only changes in delivery.py."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Portail")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En file d’attente")
        SENDING = "sending", _("En cours")
        SENT = "sent", _("Envoyé")
        DELIVERED = "delivered", _("Distribué")
        BOUNCED = "bounced", _("Rejeté par le destinataire")
        FAILED = "failed", _("En échec")
        SKIPPED = "skipped", _("Ignoré (désinscrit)")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    # Cleared when the person's data is erased: the row still counts in the campaign's figures.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    chunk = models.PositiveIntegerField(_("lot"), default=0)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    provider_message_id = models.CharField(_("identifiant fournisseur"), max_length=255, blank=True, db_index=True)
    # The claim of the task sending this row: its Celery task id, so a redelivered task
    # resumes its own rows and a duplicate never takes them (see sending.chunk_send).
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(_("mise en file le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("distribué ou en échec le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "recipient", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["campaign", "chunk", "status"], name="delivery_chunk_status_idx"),
            models.Index(fields=["campaign", "status"], name="delivery_campaign_status_idx"),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.recipient_id}/{self.channel}: {self.status}"


class Notification(models.Model):
    """A message in a person's portal inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Campaign.Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A retried chunk never puts the same campaign twice in someone's inbox.
            models.UniqueConstraint(
                fields=["recipient", "campaign"], condition=Q(campaign__isnull=False), name="notification_once"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class ProviderEvent(models.Model):
    """A tracking event received from the e-mail provider (anymail), kept as received so
    the daily reconciliation can compare it with the delivery rows."""

    esp_name = models.CharField(max_length=40)
    event_type = models.CharField(max_length=30)
    event_id = models.CharField(max_length=255, blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    recipient = models.CharField(max_length=254, blank=True)
    description = models.CharField(max_length=500, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        verbose_name = _("événement du fournisseur")
        verbose_name_plural = _("événements du fournisseur")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.esp_name} {self.event_type} {self.message_id}"


class Alert(models.Model):
    """Something the web-social team must look at: failures over the threshold, a stalled
    campaign, a reconciliation gap, a hashtag spike."""

    class Kind(models.TextChoices):
        FAILURE_RATE = "failure_rate", _("Taux d’échec élevé")
        STALLED = "stalled", _("Campagne à l’arrêt")
        RECONCILIATION = "reconciliation", _("Écart de rapprochement")
        SPIKE = "spike", _("Pic sur un hashtag surveillé")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts")
    # What the alert is about, so the same situation raises one alert and not one a minute.
    key = models.CharField(max_length=200)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("levée le"), default=timezone.now)
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(resolved_at__isnull=True), name="alert_one_open"),
        ]

    def __str__(self):
        return self.message[:80]


class ReconciliationReport(models.Model):
    """The daily comparison of delivery rows with the provider's events."""

    day = models.DateField(_("jour"), unique=True)
    checked = models.PositiveIntegerField(_("envois vérifiés"), default=0)
    gaps = models.JSONField(_("écarts"), default=dict)
    gap_count = models.PositiveIntegerField(_("nombre d’écarts"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rapprochement")
        verbose_name_plural = _("rapprochements")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day}: {self.gap_count}"


class Pause(models.Model):
    """The global crisis brake: while active, no new share and no notification goes out."""

    reason = models.TextField(_("motif"))
    starts_at = models.DateTimeField(_("début"), default=timezone.now)
    ends_at = models.DateTimeField(_("fin prévue"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    lifted_at = models.DateTimeField(_("levée le"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set once the end has been handled (held campaigns resumed, journal written).
    ended_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pause globale")
        verbose_name_plural = _("pauses globales")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} → {self.ends_at:%Y-%m-%d %H:%M}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.lifted_at is None and self.starts_at <= at < self.ends_at


class CrisisEvent(models.Model):
    """The crisis journal: every crisis action, who took it, when and why."""

    class Action(models.TextChoices):
        PAUSE_SET = "pause_set", _("Pause globale déclenchée")
        PAUSE_LIFTED = "pause_lifted", _("Pause globale levée")
        PAUSE_ENDED = "pause_ended", _("Pause globale terminée à l’échéance")
        KIT_RETRACTED = "kit_retracted", _("Kit retiré")
        RETRACTION_REQUESTED = "retraction_requested", _("Demandes de suppression envoyées")
        RETRACTION_REMINDED = "retraction_reminded", _("Relance des demandes de suppression")

    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    detail = models.CharField(_("détail"), max_length=300, blank=True)
    kit = models.ForeignKey(
        "content.Kit", verbose_name=_("kit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("événement de crise")
        verbose_name_plural = _("journal de crise")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class DigestItem(models.Model):
    """A kit waiting for a person's daily or weekly digest. `campaign` is the digest that
    included it, set by one conditional UPDATE so that a kit goes into one digest only."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kit = models.ForeignKey("content.Kit", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")

    class Meta:
        verbose_name = _("kit en attente de résumé")
        verbose_name_plural = _("kits en attente de résumé")
        constraints = [models.UniqueConstraint(fields=["recipient", "kit"], name="digest_item_once")]
        indexes = [models.Index(fields=["frequency", "campaign"], name="digest_item_pending_idx")]

    def __str__(self):
        return f"{self.recipient_id}/{self.kit_id} {self.frequency}"


class RetractionRequest(models.Model):
    """A request to an ambassador who shared a retracted kit: delete your post."""

    kit = models.ForeignKey("content.Kit", verbose_name=_("kit"), on_delete=models.CASCADE, related_name="+")
    # Cleared on erasure: the request still counts on the kit's retraction page.
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ambassadeur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("suppression confirmée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de suppression")
        verbose_name_plural = _("demandes de suppression")
        ordering = ["acknowledged_at", "-created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kit", "ambassador"], name="retraction_request_once")]

    def __str__(self):
        return f"{self.kit_id}/{self.ambassador_id}"
