"""The written guidelines: the rules every text is checked against, the sensitive periods
some of them depend on, and the guideline pages (best practices, FAQ)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Bloquant")
    WARNING = "warning", _("Avertissement")


class GuidelineRule(models.Model):
    """A rule of the written guidelines, checked on every suggested or personalised text."""

    class Kind(models.TextChoices):
        TERM = "term", _("Terme interdit ou à risque")
        REQUIRED_HASHTAG = "required_hashtag", _("Hashtag obligatoire")
        MAX_HASHTAGS = "max_hashtags", _("Nombre maximal de hashtags")
        CAPITALS = "capitals", _("Texte en capitales")
        LENGTH = "length", _("Longueur selon le réseau")
        LINK_ALLOWLIST = "link_allowlist", _("Lien hors des domaines autorisés")
        IMAGE_ALT = "image_alt", _("Image sans texte alternatif")

    Severity = Severity

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    pattern = models.CharField(
        _("terme ou valeur"), max_length=200, blank=True, help_text=_("Le terme, ou le hashtag obligatoire.")
    )
    parameter = models.PositiveIntegerField(_("paramètre"), null=True, blank=True)
    networks = models.JSONField(_("réseaux"), default=list, blank=True)
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    explanation = models.TextField(_("explication"))
    suggestion = models.CharField(_("formulation suggérée"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A term that is only risky at some moments ("taux de chômage" while the monthly
    # figures come out) is checked only during these periods; none means always.
    only_during = models.ManyToManyField(
        "SensitivePeriod",
        verbose_name=_("seulement pendant"),
        blank=True,
        related_name="rules",
        help_text=_("Pour un terme : ne le vérifier que pendant ces périodes sensibles (aucune : toujours)."),
    )

    class Meta:
        verbose_name = _("règle éditoriale")
        verbose_name_plural = _("règles éditoriales")
        ordering = ["kind", "pattern"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.pattern}" if self.pattern else str(self.get_kind_display())


class SensitivePeriod(models.Model):
    """Dates when publishing is blocked or discouraged (figures release, election reserve)."""

    name = models.CharField(_("nom"), max_length=200)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    explanation = models.TextField(_("explication"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("période sensible")
        verbose_name_plural = _("périodes sensibles")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start")
        ]

    def __str__(self):
        return self.name


class GuidelinePage(models.Model):
    """A page of the guidelines (best practices, FAQ, ...) written in rich text.

    `body` is sanitised by the service that saves it and again when displayed."""

    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    body = models.TextField(_("contenu"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("mise à jour"), default=timezone.now)

    class Meta:
        verbose_name = _("page de bonnes pratiques")
        verbose_name_plural = _("pages de bonnes pratiques")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title
