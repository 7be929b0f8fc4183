"""People and the organisation: users, the unit tree, social handles, the charter and
programme membership, and the audit trail of sensitive account actions."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """A node of the organisation: head office, regional or territorial direction, agency.

    `path` is a materialised path of unit codes ("/DG/DR-BRE/DT-35/A-RENNES-SUD/"), so the
    subtree of a unit is one indexed prefix match instead of one query per level.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("Direction générale")
        REGION = "region", _("Direction régionale")
        TERRITORY = "territory", _("Direction territoriale")
        AGENCY = "agency", _("Agence")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unité parente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unité de l’organisation")
        verbose_name_plural = _("unités de l’organisation")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def covers(self, other: "OrgUnit | None") -> bool:
        """True when `other` is this unit or lies under it."""
        return other is not None and other.path.startswith(self.path)


class JobFunction(models.TextChoices):
    JOB_COUNSELLOR = "conseiller_emploi", _("Conseiller·ère emploi")
    EMPLOYER_COUNSELLOR = "conseiller_entreprise", _("Conseiller·ère entreprise")
    AGENCY_DIRECTOR = "directeur_agence", _("Directeur·rice d’agence")
    TEAM_MANAGER = "manager_equipe", _("Manager d’équipe")
    PSYCHOLOGIST = "psychologue", _("Psychologue du travail")
    COMPENSATION = "indemnisation", _("Conseiller·ère indemnisation")
    SUPPORT = "fonction_support", _("Fonction support")
    REGIONAL = "direction_regionale", _("Direction régionale")
    NATIONAL = "direction_generale", _("Direction générale")
    OTHER = "autre", _("Autre")


class NotificationPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("Immédiatement")
    DAILY = "daily", _("Résumé quotidien")
    WEEKLY = "weekly", _("Résumé hebdomadaire")
    NONE = "none", _("Aucune notification")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_platform_admin"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser):
    """A staff member. Roles are facts on the person; the access layer reads them.

    Being an ambassador is not granted: it is the state of having opted in
    (`opted_in_at` set), which only the programme services change.
    """

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    job_function = models.CharField(_("fonction"), max_length=40, choices=JobFunction.choices, blank=True)
    notification_preference = models.CharField(
        _("notifications"),
        max_length=20,
        choices=NotificationPreference.choices,
        default=NotificationPreference.IMMEDIATE,
    )
    appears_in_rankings = models.BooleanField(
        _("apparaître nommément dans les classements"),
        default=False,
        help_text=_("Sans votre accord, vous apparaissez dans les classements comme « un·e ambassadeur·rice »."),
    )

    is_curator = models.BooleanField(_("curateur·rice"), default=False)
    is_moderator = models.BooleanField(_("modérateur·rice"), default=False)
    is_platform_admin = models.BooleanField(_("administrateur·rice"), default=False)
    managed_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unité pilotée (manager)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managers",
        help_text=_("Un·e manager voit les chiffres de cette unité et de tout ce qui en dépend."),
    )
    opted_in_at = models.DateTimeField(_("ambassadeur·rice depuis"), null=True, blank=True, editable=False)

    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit·e le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["unit", "opted_in_at"], name="user_unit_optin_idx")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def has_opted_in(self) -> bool:
        return self.opted_in_at is not None

    @property
    def is_manager(self) -> bool:
        return self.managed_unit_id is not None

    # The Django admin is the platform admins' tool; these three members are what it asks.
    @property
    def is_staff(self) -> bool:
        return self.is_platform_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_platform_admin

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and self.is_platform_admin

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and self.is_platform_admin


class Network(models.TextChoices):
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"


class SocialHandle(models.Model):
    """An account a staff member declared on a social network.

    `handle` is stored in the network's canonical form (see accounts.handles), so that
    posts collected from the network can be attributed by exact match.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="handles")
    network = models.CharField(_("réseau"), max_length=20, choices=Network.choices)
    handle = models.CharField(_("identifiant"), max_length=255)
    instance = models.CharField(_("instance Mastodon"), max_length=253, blank=True)
    follower_count = models.PositiveIntegerField(_("nombre d’abonné·es déclaré"), null=True, blank=True)
    followers_declared_at = models.DateTimeField(_("déclaré le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte social")
        verbose_name_plural = _("comptes sociaux")
        ordering = ["network"]
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="handle_one_per_network"),
            # One account belongs to one person, or attribution would be ambiguous.
            models.UniqueConstraint(fields=["network", "handle", "instance"], name="handle_unique_owner"),
        ]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        if self.network == Network.MASTODON:
            return f"@{self.handle}@{self.instance}"
        if self.network in (Network.X, Network.INSTAGRAM, Network.BLUESKY):
            return f"@{self.handle}"
        return self.handle

    @property
    def profile_url(self) -> str:
        return {
            Network.X: f"https://x.com/{self.handle}",
            Network.LINKEDIN: f"https://www.linkedin.com/in/{self.handle}",
            Network.FACEBOOK: f"https://www.facebook.com/{self.handle}",
            Network.INSTAGRAM: f"https://www.instagram.com/{self.handle}",
            Network.BLUESKY: f"https://bsky.app/profile/{self.handle}",
            Network.MASTODON: f"https://{self.instance}/@{self.handle}",
        }[self.network]


class CharterVersion(models.Model):
    """A version of the ambassadors' charter. Published versions are never edited."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), help_text=_("Texte enrichi ; le HTML est nettoyé à l’enregistrement."))
    summary_of_changes = models.TextField(_("résumé des changements"), blank=True)
    is_material_change = models.BooleanField(
        _("changement substantiel"),
        default=False,
        help_text=_("Les ambassadeur·rices devront accepter à nouveau la charte avant de partager."),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-number"]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CharterAcceptance(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="charter_acceptances")
    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acceptation de la charte")
        verbose_name_plural = _("acceptations de la charte")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="charter_accept_once")]

    def __str__(self):
        return f"{self.user_id} v{self.version_id} {self.accepted_at:%Y-%m-%d}"


class ProgrammeMembership(models.Model):
    """A period during which a person was an ambassador.

    The unit and job function are copied at join time and the link to the person is
    cleared on erasure, so historical participation figures stay right without naming
    anyone. Attribution of collected posts uses these periods.
    """

    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.SET_NULL, null=True, related_name="+")
    job_function = models.CharField(max_length=40, choices=JobFunction.choices, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("période d’adhésion")
        verbose_name_plural = _("périodes d’adhésion")
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(left_at__isnull=True), name="membership_one_open"),
        ]

    def __str__(self):
        end = f"{self.left_at:%Y-%m-%d}" if self.left_at else ""
        return f"{self.joined_at:%Y-%m-%d} → {end}"


class AuditEvent(models.Model):
    """Who did what to whom, for account actions that must be answerable later."""

    class Action(models.TextChoices):
        ROLES_CHANGED = "roles_changed", _("Rôles modifiés")
        DEACTIVATED = "deactivated", _("Compte désactivé")
        REACTIVATED = "reactivated", _("Compte réactivé")
        ERASED = "erased", _("Données personnelles effacées")
        CHARTER_PUBLISHED = "charter_published", _("Charte publiée")
        DATA_EXPORTED = "data_exported", _("Données exportées")

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40, choices=Action.choices)
    # The subject is kept as a bare id, not a foreign key, so that it survives erasure
    # without pointing at anything personal.
    subject_id = models.PositiveBigIntegerField(null=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("événement d’audit")
        verbose_name_plural = _("événements d’audit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
