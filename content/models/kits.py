"""Kits: what ambassadors share from, with their suggested texts and visuals, the record
of their workflow (transitions and saved versions), their themes and allowed link domains."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import JobFunction, OrgUnit


class Topic(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AllowedDomain(models.Model):
    """A domain kits may link to. A domain also allows its subdomains."""

    domain = models.CharField(_("domaine"), max_length=253, unique=True)
    note = models.CharField(_("remarque"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("domaine autorisé")
        verbose_name_plural = _("domaines autorisés")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class Kit(models.Model):
    """What ambassadors share from. Its status belongs to content.workflow alone."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumis à relecture")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        APPROVED = "approved", _("Approuvé")
        PUBLISHED = "published", _("Publié")
        EXPIRED = "expired", _("Expiré")
        RETRACTED = "retracted", _("Retiré")
        ARCHIVED = "archived", _("Archivé")

    class Language(models.TextChoices):
        FRENCH = "fr", _("Français")
        ENGLISH = "en", _("Anglais")

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    brief = models.TextField(
        _("note aux ambassadeur·rices"),
        blank=True,
        help_text=_("Pourquoi ce contenu compte, les faits clés, ce qu’il ne faut pas dire."),
    )
    link = models.URLField(_("lien"), max_length=500)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices, default=Language.FRENCH)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("thèmes"), blank=True, related_name="kits")
    target_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("unités ciblées"),
        blank=True,
        related_name="+",
        help_text=_("Une unité couvre toutes celles qui en dépendent. Vide : tout le monde."),
    )
    target_job_functions = models.JSONField(_("fonctions ciblées"), default=list, blank=True)
    publish_at = models.DateTimeField(_("publication le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expiration le"), null=True, blank=True)
    is_important = models.BooleanField(_("important"), default=False)

    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # People are detached, not deleted, when they exercise their right to erasure: the
    # kit stays in the library and its history keeps who did what as "personne effacée".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dernière modification par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approuvé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approuvé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    retracted_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retiré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retraction_reason = models.TextField(_("motif du retrait"), blank=True)
    # Guideline findings as they stood when the kit was last submitted, for reviewers.
    findings = models.JSONField(_("constats des règles"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    class Meta:
        verbose_name = _("kit de contenu")
        verbose_name_plural = _("kits de contenu")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="kit_status_publish"),
            models.Index(fields=["status", "expires_at"], name="kit_status_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="kit_expires_after_publish",
            ),
        ]

    def __str__(self):
        return self.title

    def is_live(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.PUBLISHED and (self.expires_at is None or self.expires_at > at)

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED

    def job_function_labels(self) -> list[str]:
        labels = dict(JobFunction.choices)
        return [str(labels.get(value, value)) for value in self.target_job_functions]


class SuggestedText(models.Model):
    """One angle ambassadors may start from, for one or more networks (empty: all)."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="texts")
    body = models.TextField(_("texte"))
    networks = models.JSONField(_("réseaux"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("texte suggéré")
        verbose_name_plural = _("textes suggérés")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.body[:60]

    def fits(self, network: str) -> bool:
        return not self.networks or network in self.networks


class KitVisual(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Vidéo (lien)")

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="visuals")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    image = models.ImageField(_("image"), upload_to="kits/%Y/%m/", blank=True)
    alt_text = models.CharField(_("texte alternatif"), max_length=400, blank=True)
    video_url = models.URLField(_("lien de la vidéo"), blank=True)
    has_captions = models.BooleanField(_("sous-titrée"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("visuel")
        verbose_name_plural = _("visuels")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text or self.video_url or str(self.pk)


class KitTransition(models.Model):
    """One step of a kit's workflow: who moved it, when, from where to where, and why."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Kit.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Kit.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("étape du circuit de validation")
        verbose_name_plural = _("étapes du circuit de validation")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.kit_id}: {self.from_status} → {self.to_status}"


class KitVersion(models.Model):
    """A saved state of a kit's editable content, kept so reviewers can compare."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version d’un kit")
        verbose_name_plural = _("versions d’un kit")
        ordering = ["kit", "number"]
        constraints = [models.UniqueConstraint(fields=["kit", "number"], name="kit_version_unique")]

    def __str__(self):
        return f"{self.kit_id} v{self.number}"
