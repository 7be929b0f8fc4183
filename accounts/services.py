"""Writes about people and the organisation: profile, handles, charter, programme
membership, roles, deactivation and erasure. Views, API, admin and commands call these."""

from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import privacy
from accounts.handles import canonical_handle
from accounts.models import (
    AuditEvent,
    CharterAcceptance,
    CharterVersion,
    Network,
    OrgUnit,
    ProgrammeMembership,
    SocialHandle,
    User,
)
from accounts.selectors import charter_current, charter_forget, charter_required_number
from advocacy import richtext
from advocacy.errors import Conflict, DomainError

# --- Organisation ------------------------------------------------------------------


def org_unit_create(*, code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    if parent is None and kind != OrgUnit.Kind.NATIONAL:
        raise DomainError(_("Seule la direction générale n’a pas d’unité parente."), field="parent")
    path = f"{parent.path if parent else '/'}{code}/"
    if len(path) > 255:
        raise DomainError(_("L’arborescence est trop profonde."), field="code")
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, path=path, depth=path.count("/") - 2)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move `unit` and its subtree under `new_parent`, rewriting every path in one UPDATE."""
    if unit.covers(new_parent):
        raise DomainError(_("Une unité ne peut pas être déplacée sous elle-même."), field="parent")
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.code}/"
    depth_shift = new_path.count("/") - old_path.count("/")
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    return unit


# --- Profile and handles -----------------------------------------------------------

# The unit is not among them: it decides which figures a person counts in, so it is set
# by admins or by the organisation's directory (OpenID Connect claim), never self-declared.
PROFILE_FIELDS = ("first_name", "last_name", "job_function", "notification_preference", "appears_in_rankings")


def profile_update(*, user: User, **changes) -> User:
    """Update the fields a person may change about themselves, and nothing else."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(_("Ces champs ne peuvent pas être modifiés ici."), field=sorted(unknown)[0])
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=["password", "email"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=name) from exc
    user.save(update_fields=list(changes))
    return user


def user_sync_unit(*, user: User, unit_code: str) -> User:
    """Place `user` in the unit the organisation's directory says, when we know that unit."""
    unit = OrgUnit.objects.filter(code=unit_code).first() if unit_code else None
    if unit is not None and user.unit_id != unit.pk:
        user.unit = unit
        if user.pk:
            user.save(update_fields=["unit"])
    return user


def handle_save(
    *,
    user: User,
    network: str,
    handle: str,
    instance: str = "",
    follower_count: int | None = None,
) -> SocialHandle:
    """Declare or change the person's account on `network` (one per network)."""
    if network not in Network.values:
        raise DomainError(_("Réseau inconnu."), field="network")
    try:
        canonical = canonical_handle(network, handle, instance)
    except ValidationError as exc:
        field = "instance" if exc.error_list[0].code == "instance" else "handle"
        raise DomainError(exc.messages[0], field=field) from exc
    if follower_count is not None and follower_count < 0:
        raise DomainError(_("Le nombre d’abonné·es ne peut pas être négatif."), field="follower_count")

    taken = SocialHandle.objects.filter(network=network, handle=canonical.handle, instance=canonical.instance).exclude(
        user=user
    )
    if taken.exists():
        raise Conflict(
            _("Ce compte est déjà déclaré par une autre personne. Écrivez au support s’il s’agit du vôtre."),
            code="handle_taken",
            field="handle",
        )
    existing = SocialHandle.objects.filter(user=user, network=network).first()
    obj = existing or SocialHandle(user=user, network=network)
    is_new_account = existing is None or (existing.handle, existing.instance) != (canonical.handle, canonical.instance)
    obj.handle, obj.instance = canonical.handle, canonical.instance
    if follower_count != obj.follower_count or existing is None:
        obj.follower_count = follower_count
        obj.followers_declared_at = timezone.now() if follower_count is not None else None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a concurrent declaration of the same account won
        raise Conflict(_("Ce compte est déjà déclaré par une autre personne."), code="handle_taken") from exc
    if is_new_account:
        for hook in HANDLE_DECLARED_HOOKS:
            hook(obj)
    return obj


# Apps that tie collected posts to people (reach's attribution) register a callable here
# from their AppConfig.ready(); it receives the saved SocialHandle, its transaction still open.
HANDLE_DECLARED_HOOKS: list = []


def handle_delete(*, user: User, handle: SocialHandle) -> None:
    if handle.user_id != user.pk:
        raise DomainError(_("Ce compte ne vous appartient pas."), code="not_found")
    handle.delete()


# --- Charter and programme -------------------------------------------------------


def charter_version_save(
    *, version: CharterVersion | None = None, title: str, body: str, summary_of_changes: str = "",
    is_material_change: bool = False, by: User | None = None,
) -> CharterVersion:  # fmt: skip
    """Create a draft version, or edit a draft; a published version is never edited."""
    if version is not None and version.is_published:
        raise Conflict(_("Une version publiée ne se modifie pas : créez-en une nouvelle."), code="published")
    if version is None:
        last = CharterVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
        version = CharterVersion(number=last + 1, created_by=by)
    version.title = title
    version.body = richtext.sanitize(body)
    version.summary_of_changes = summary_of_changes
    version.is_material_change = is_material_change
    version.save()
    return version


def charter_publish(*, version: CharterVersion, by: User) -> CharterVersion:
    if version.is_published:
        raise Conflict(_("Cette version est déjà publiée."), code="published")
    latest = CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
    if latest is not None and latest.number > version.number:
        raise Conflict(_("Une version plus récente est déjà publiée."), code="outdated")
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    charter_forget()
    AuditEvent.objects.create(actor=by, action=AuditEvent.Action.CHARTER_PUBLISHED, detail=f"v{version.number}")
    return version


def _accept(user: User, version: CharterVersion) -> None:
    if not version.is_published:
        raise DomainError(_("Cette version de la charte n’est pas publiée."), code="not_published")
    current = charter_current()
    if current is None or version.pk != current.pk:
        raise Conflict(
            _("Une version plus récente de la charte a été publiée : relisez-la avant de l’accepter."),
            code="charter_outdated",
        )
    CharterAcceptance.objects.get_or_create(user=user, version=version)


@transaction.atomic
def programme_join(*, user: User, version: CharterVersion) -> User:
    """Opt in: accept `version` of the charter (which must be the current one) and
    open a membership period. Joining while already in only records the acceptance,
    which is how ambassadors re-accept a materially changed charter."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _accept(user, version)
    if user.opted_in_at is None:
        now = timezone.now()
        user.opted_in_at = now
        user.save(update_fields=["opted_in_at"])
        ProgrammeMembership.objects.create(user=user, unit=user.unit, job_function=user.job_function, joined_at=now)
    return user


@transaction.atomic
def programme_leave(*, user: User) -> User:
    """Opt out at once: close the membership, forget the person's handles.

    Notifications stop because every audience is drawn from opted-in people, and
    queued deliveries re-check that before sending. Past shares stay in aggregate
    figures; rankings no longer name the person.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.opted_in_at is None:
        raise Conflict(_("Vous ne faites pas partie du programme."), code="not_member")
    now = timezone.now()
    ProgrammeMembership.objects.filter(user=user, left_at__isnull=True).update(left_at=now)
    SocialHandle.objects.filter(user=user).delete()
    user.opted_in_at = None
    user.appears_in_rankings = False
    user.save(update_fields=["opted_in_at", "appears_in_rankings"])
    for hook in LEAVE_HOOKS:
        hook(user)
    return user


# Apps that keep per-person state tied to membership (pending notifications, ...)
# register a callable here from their AppConfig.ready().
LEAVE_HOOKS: list = []


def can_share(user: User) -> bool:
    """An ambassador may share once they accepted the charter version currently required."""
    if user.opted_in_at is None:
        return False
    required = charter_required_number()
    if required is None:
        return True
    return CharterAcceptance.objects.filter(user=user, version__number__gte=required).exists()


# --- Roles, deactivation, erasure ----------------------------------------------------


def user_set_roles(
    *, user: User, by: User, is_curator: bool, is_moderator: bool, is_platform_admin: bool,
    managed_unit: OrgUnit | None,
) -> User:  # fmt: skip
    if user.pk == by.pk and user.is_platform_admin and not is_platform_admin:
        raise DomainError(_("Vous ne pouvez pas retirer votre propre rôle d’administrateur·rice."))
    before = (user.is_curator, user.is_moderator, user.is_platform_admin, user.managed_unit_id)
    user.is_curator, user.is_moderator, user.is_platform_admin = is_curator, is_moderator, is_platform_admin
    user.managed_unit = managed_unit
    user.save(update_fields=["is_curator", "is_moderator", "is_platform_admin", "managed_unit"])
    after = (user.is_curator, user.is_moderator, user.is_platform_admin, user.managed_unit_id)
    if before != after:
        AuditEvent.objects.create(
            actor=by,
            action=AuditEvent.Action.ROLES_CHANGED,
            subject_id=user.pk,
            detail=f"curator={is_curator} moderator={is_moderator} admin={is_platform_admin} "
            f"managed_unit={managed_unit.code if managed_unit else '-'}",
        )
    return user


def _end_sessions(user: User) -> None:
    # allauth.usersessions knows every open session of the person, whichever device.
    for session in UserSession.objects.filter(user=user):
        session.end()


def sessions_purge() -> tuple[int, int]:
    """Delete the sign-in sessions that have expired, and allauth's record of each
    session that no longer exists (its IP address and browser, shown under « Sessions
    ouvertes »). Returns (sessions, records) deleted.

    Django never deletes an expired session by itself, and allauth forgets a record only
    when its owner lists their sessions: without this, the address of every sign-in of a
    person who never looks at that list would be kept for good. Run daily by Celery beat.
    The session engine is cached_db: the database holds every live session, so a record
    whose key is not there belongs to a session that is over.
    """
    expired, _by_model = Session.objects.filter(expire_date__lte=timezone.now()).delete()
    ended, _by_model = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return expired, ended


def user_deactivate(*, user: User, by: User, reason: str = "") -> User:
    if user.pk == by.pk:
        raise DomainError(_("Vous ne pouvez pas désactiver votre propre compte."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    AuditEvent.objects.create(actor=by, action=AuditEvent.Action.DEACTIVATED, subject_id=user.pk, detail=reason)
    return user


def user_reactivate(*, user: User, by: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    AuditEvent.objects.create(actor=by, action=AuditEvent.Action.REACTIVATED, subject_id=user.pk)
    return user


@transaction.atomic
def user_erase(*, user: User, by: User) -> None:
    """Erase a person: no personal data of theirs remains; aggregate figures stay right.

    Rows that feed figures (memberships, shares, clicks) are kept without the link to
    the person; every other row that concerns them is deleted, then the person.
    """
    if user.pk == by.pk:
        raise DomainError(_("Vous ne pouvez pas effacer votre propre compte."))
    subject_id = user.pk
    _end_sessions(user)
    privacy.erase_rows_of(user)
    # The admin's own log names the objects it changed; entries about this person keep
    # the fact that a change happened, not who it was about.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(subject_id)).update(
        object_repr=_("[personne effacée]"), change_message=""
    )
    user.delete()
    AuditEvent.objects.create(actor=by, action=AuditEvent.Action.ERASED, subject_id=subject_id)


def user_data_exported(*, user: User) -> dict:
    data = privacy.export_for(user)
    AuditEvent.objects.create(actor=user, action=AuditEvent.Action.DATA_EXPORTED, subject_id=user.pk)
    return data
