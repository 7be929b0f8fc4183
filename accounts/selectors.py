"""Reads about people and the organisation, scoped to the person asking."""

from django.db.models import Q, QuerySet

from accounts.access import Role, roles_of
from accounts.models import CharterAcceptance, CharterVersion, OrgUnit, User
from advocacy.cache import forget, remembered


def charter_current() -> CharterVersion | None:
    """The latest published version of the charter."""
    return CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def charter_required_version() -> CharterVersion | None:
    """The latest published version that was a material change: accepting it (or a
    later one) is what sharing requires."""
    return (
        CharterVersion.objects.filter(published_at__isnull=False, is_material_change=True).order_by("-number").first()
    )


CHARTER_REQUIRED_KEY = "accounts:charter:required"
CHARTER_REQUIRED_SECONDS = 300


def charter_required_number() -> int | None:
    """The number of `charter_required_version()`, read through the cache: every page of
    the portal asks whether the person may share, and a version is published a few
    times a year. Publishing one forgets it (charter_forget)."""

    def number():
        required = charter_required_version()
        return required.number if required else 0

    return remembered(CHARTER_REQUIRED_KEY, number, CHARTER_REQUIRED_SECONDS) or None


def charter_forget() -> None:
    forget(CHARTER_REQUIRED_KEY)


def charter_acceptances_of(*, user: User) -> QuerySet[CharterAcceptance]:
    return CharterAcceptance.objects.filter(user=user).select_related("version").order_by("-accepted_at")


def units_in_subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path)


def units_visible_to(*, user: User) -> QuerySet[OrgUnit]:
    """The units whose figures `user` may read: everything for the web-social team and
    admins, the managed subtree for a manager, nothing otherwise."""
    roles = roles_of(user)
    if roles & {Role.CURATOR, Role.MODERATOR, Role.ADMIN}:
        return OrgUnit.objects.all()
    if Role.MANAGER in roles:
        return units_in_subtree(user.managed_unit)
    return OrgUnit.objects.none()


def people_visible_to(*, user: User) -> QuerySet[User]:
    roles = roles_of(user)
    if Role.ADMIN in roles or roles & {Role.CURATOR, Role.MODERATOR}:
        return User.objects.all()
    if Role.MANAGER in roles:
        return User.objects.filter(unit__path__startswith=user.managed_unit.path)
    return User.objects.filter(pk=user.pk)


def ambassadors(*, within: OrgUnit | None = None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, opted_in_at__isnull=False)
    if within is not None:
        qs = qs.filter(Q(unit__path__startswith=within.path))
    return qs


def org_unit_groups(*, selected: set[int]) -> dict:
    """The organisation as the unit picker shows it: the head office, then one group per
    region holding the region itself, its territories and its agencies."""
    units = list(OrgUnit.objects.order_by("path").only("pk", "name", "kind", "path", "depth", "parent_id"))
    national = [u for u in units if u.depth == 0]
    regions = []
    for region in (u for u in units if u.depth == 1):
        members = [u for u in units if u.path.startswith(region.path)]
        regions.append(
            {
                "unit": region,
                "members": members,
                "selected": sum(1 for u in members if u.pk in selected),
            }
        )
    return {"national": national, "regions": regions, "selected": selected}
