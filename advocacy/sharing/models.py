"""The ambassador portal's records: tracked links, shares, clicks, the daily salt, settings.

No model here holds a network address: clicks keep a daily-salted visitor hash and the
referrer's host only (a test walks every model of the project to keep it so).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.intents import Channel

CODE_BYTES = 9  # 72 random bits, 12 URL-safe characters


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class TrackedLink(models.Model):
    """The short link an ambassador posts for one kit on one channel: /s/<code>.

    Codes are random, never sequential, so nobody can walk the links of others.
    """

    code = models.CharField(max_length=24, unique=True, default=new_code, editable=False)
    # Kept, without the person, when the ambassador is erased: clicks still count.
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="tracked_links"
    )
    # Copied when the link is made, like Share.unit: what its clicks count for until a share
    # is recorded with it, so a later move of the person never changes figures already shown.
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.SET_NULL, null=True, related_name="+")
    kit = models.ForeignKey("content.Kit", on_delete=models.CASCADE, related_name="tracked_links")
    channel = models.CharField(_("réseau"), max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien suivi")
        verbose_name_plural = _("liens suivis")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "kit", "channel"], name="tracked_link_one_per_channel"),
        ]

    def __str__(self):
        return self.code

    @property
    def public_url(self) -> str:
        return f"{settings.SITE_URL}/s/{self.code}"


class Share(models.Model):
    """An ambassador shared a kit on a channel (recorded when they open the share page)."""

    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="shares"
    )
    # Copied at share time, so figures per unit and function stay right after a move or an erasure.
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.SET_NULL, null=True, related_name="+")
    job_function = models.CharField(max_length=40, blank=True)
    kit = models.ForeignKey("content.Kit", on_delete=models.CASCADE, related_name="shares")
    channel = models.CharField(_("réseau"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("texte"))
    # Hash of the normalised text, to tell an ambassador how many colleagues posted the same words.
    text_hash = models.CharField(max_length=64, db_index=True)
    link = models.ForeignKey(TrackedLink, on_delete=models.PROTECT, related_name="shares")
    post_url = models.URLField(_("adresse de la publication"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("partage")
        verbose_name_plural = _("partages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kit", "text_hash"], name="share_kit_text_idx")]

    def __str__(self):
        return f"{self.kit_id} {self.channel} {self.created_at:%Y-%m-%d}"


class Click(models.Model):
    """One request to a tracked link, written from the click buffer.

    `event_id` is made at the redirect, so writing the same buffered event twice (a
    second drain, a retry after a crash) stores it once.
    """

    event_id = models.UUIDField(unique=True, editable=False)
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    at = models.DateTimeField()
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=ClickKind.choices)
    visitor_hash = models.CharField(max_length=32, blank=True)
    referrer_host = models.CharField(max_length=253, blank=True)

    class Meta:
        verbose_name = _("clic")
        verbose_name_plural = _("clics")
        indexes = [models.Index(fields=["link", "kind", "day"], name="click_link_kind_day_idx")]

    def __str__(self):
        return f"{self.link_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class DailySalt(models.Model):
    """The secret of one day's visitor hashes. Deleted after two days (see clicks.salts_purge)."""

    day = models.DateField(unique=True)
    secret = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sel du jour")
        verbose_name_plural = _("sels du jour")

    def __str__(self):
        return self.day.isoformat()


class SharingSettings(models.Model):
    """The portal's settings admins edit (a single row)."""

    withdrawn_url = models.URLField(
        _("page pour les contenus retirés"),
        blank=True,
        help_text=_(
            "Où mènent les liens d’un contenu retiré. Vide : la page de la plateforme qui explique "
            "que le contenu a été retiré."
        ),
    )

    class Meta:
        verbose_name = _("réglages du portail ambassadeur")
        verbose_name_plural = _("réglages du portail ambassadeur")

    def __str__(self):
        return str(_("Réglages du portail ambassadeur"))

    @classmethod
    def load(cls) -> "SharingSettings":
        return cls.objects.get_or_create(pk=1)[0]
