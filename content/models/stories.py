"""Field stories and testimonials proposed by ambassadors, their photos, and the recorded
consent of the person a testimonial quotes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Story(models.Model):
    """A story from the field proposed by an ambassador; a testimonial when it gives the
    words of a job seeker or an employer, which then needs a recorded consent."""

    class Kind(models.TextChoices):
        STORY = "story", _("Histoire du terrain")
        JOB_SEEKER = "job_seeker", _("Témoignage d’une personne en recherche d’emploi")
        EMPLOYER = "employer", _("Témoignage d’un employeur")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposée")
        IN_KIT = "in_kit", _("Reprise dans un kit")
        DECLINED = "declined", _("Non retenue")
        WITHDRAWN = "withdrawn", _("Consentement retiré")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="stories", verbose_name=_("auteur")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    video_url = models.URLField(_("lien vers une vidéo"), blank=True)
    # An anonymised testimonial never shows the person's name, only their situation.
    is_anonymised = models.BooleanField(_("anonymisé"), default=False)
    subject_label = models.CharField(
        _("présentation de la personne"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comme elle apparaîtra, par exemple « Amélie, 34 ans, aide-soignante » ou « une PME du bâtiment »."
        ),
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # The kits made from the story: withdrawing consent takes every one of them down.
    kits = models.ManyToManyField("content.Kit", blank=True, related_name="source_stories", verbose_name=_("kits"))
    curator_note = models.TextField(_("message de l’équipe"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        verbose_name = _("histoire du terrain")
        verbose_name_plural = _("histoires du terrain")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_testimonial(self) -> bool:
        return self.kind != self.Kind.STORY


def story_photo_path(instance, filename):
    # The name is the random one the upload cleaner gave; the person's own file name
    # (often a date and place) is never kept.
    return f"stories/{timezone.now():%Y/%m}/{filename}"


class StoryPhoto(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=story_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(_("texte alternatif"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo d’une histoire")
        verbose_name_plural = _("photos d’histoires")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text


def consent_form_path(instance, filename):
    return f"consents/{timezone.now():%Y/%m}/{filename}"


class Consent(models.Model):
    """The recorded consent of the person a testimonial quotes.

    Kept as proof even after withdrawal: what was agreed, when, how, with which text."""

    class Use(models.TextChoices):
        SOCIAL_NETWORKS = "social_networks", _("Publications des ambassadeurs sur les réseaux sociaux")
        WEBSITE = "website", _("Sites de l’opérateur")
        INTERNAL = "internal", _("Communication interne")
        PRESS = "press", _("Relations presse")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Formulaire papier signé")
        EMAIL = "email", _("Courriel")
        ONLINE = "online", _("Formulaire en ligne")
        ORAL = "oral", _("Accord oral consigné par l’agent")

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="consent")
    subject_name = models.CharField(_("nom de la personne qui consent"), max_length=200)
    subject_contact = models.CharField(_("moyen de la recontacter"), max_length=200, blank=True)
    given_at = models.DateField(_("date du consentement"))
    uses = models.JSONField(_("usages autorisés"), default=list)
    channel = models.CharField(_("recueilli par"), max_length=20, choices=Channel.choices)
    text_version = models.CharField(_("version du texte de consentement"), max_length=40)
    signed_form = models.FileField(_("formulaire signé"), upload_to=consent_form_path, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(_("circonstances du retrait"), blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")

    def __str__(self):
        return f"{self.subject_name} ({self.given_at:%d/%m/%Y})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
