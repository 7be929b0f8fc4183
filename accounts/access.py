"""The one access layer: who may reach which page or endpoint.

Every view declares a rule with `@public`, `@signed_in` or `@require_roles(...)` (or
the matching `access_rule` attribute on a DRF view); a test walks every URL and fails
when one has no rule. Rules that name a privileged role (curator, moderator, admin)
also require the person to have turned on two-factor authentication.

Which *objects* a person may see is decided by the selectors, which always take the
requesting user; this module only decides whether they may use a page at all.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission


class Role(StrEnum):
    AMBASSADOR = "ambassador"
    CURATOR = "curator"
    MODERATOR = "moderator"
    MANAGER = "manager"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.AMBASSADOR: _("Ambassadeur·rice"),
    Role.CURATOR: _("Curateur·rice"),
    Role.MODERATOR: _("Modérateur·rice"),
    Role.MANAGER: _("Manager"),
    Role.ADMIN: _("Administrateur·rice"),
}

PRIVILEGED_ROLES = frozenset({Role.CURATOR, Role.MODERATOR, Role.ADMIN})


def roles_of(user) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles = set()
    if user.opted_in_at is not None:
        roles.add(Role.AMBASSADOR)
    if user.is_curator:
        roles.add(Role.CURATOR)
    if user.is_moderator:
        roles.add(Role.MODERATOR)
    if user.managed_unit_id is not None:
        roles.add(Role.MANAGER)
    if user.is_platform_admin:
        roles.add(Role.ADMIN)
    return frozenset(roles)


def has_mfa(user) -> bool:
    """True when the person has an active TOTP authenticator (cached on the user)."""
    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._has_mfa = cached
    return cached


class Decision(StrEnum):
    ALLOW = "allow"
    SIGN_IN = "sign_in"
    FORBID = "forbid"
    SET_UP_MFA = "set_up_mfa"


@dataclass(frozen=True)
class Rule:
    """`roles=None` means any signed-in person; an empty rule with `public` means anyone."""

    public: bool = False
    roles: frozenset[Role] | None = None

    def decide(self, user) -> Decision:
        if self.public:
            return Decision.ALLOW
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return Decision.SIGN_IN
        if self.roles is None:
            return Decision.ALLOW
        held = roles_of(user) & self.roles
        if not held:
            return Decision.FORBID
        # A page open to a privileged and a non-privileged role (say managers and
        # admins) is reached without MFA through the non-privileged one only.
        if held <= PRIVILEGED_ROLES and not has_mfa(user):
            return Decision.SET_UP_MFA
        return Decision.ALLOW


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()


def rule_for(*roles: Role) -> Rule:
    return Rule(roles=frozenset(roles))


def can(user, *roles: Role) -> bool:
    """For templates and selectors: may `user` use what these roles give?"""
    return rule_for(*roles).decide(user) == Decision.ALLOW


class NotInProgramme(PermissionDenied):
    """Refusal of a page that joining the programme would open: staff who have not (or no
    longer) opted in are told how to join rather than shown the generic refusal."""


def _guard(rule: Rule):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            decision = rule.decide(request.user)
            if decision == Decision.SIGN_IN:
                return redirect_to_login(request.get_full_path())
            if decision == Decision.FORBID:
                if Role.AMBASSADOR in rule.roles:
                    raise NotInProgramme(_("Cette page est réservée aux ambassadeur·rices du programme."))
                raise PermissionDenied(_("Cette page est réservée à d’autres rôles."))
            if decision == Decision.SET_UP_MFA:
                return redirect("mfa_required")
            return view(request, *args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorator


def public(view):
    view.access_rule = PUBLIC
    return view


def signed_in(view):
    return _guard(SIGNED_IN)(view)


def require_roles(*roles: Role):
    return _guard(rule_for(*roles))


class RuleRequired(BasePermission):
    """DRF permission reading the view's `access_rule`; views without one are refused."""

    message = _("Vous n’avez pas accès à cette ressource.")

    def has_permission(self, request, view):
        rule = getattr(view, "access_rule", None)
        if rule is None:
            return False
        decision = rule.decide(request.user)
        if decision == Decision.SIGN_IN:
            raise NotAuthenticated()
        if decision == Decision.SET_UP_MFA:
            self.message = _("Activez la double authentification sur votre compte pour utiliser cette ressource.")
            self.code = "mfa_required"
            return False
        return decision == Decision.ALLOW


# DRF's default permission: an API view that forgets to declare its rule is closed.
DenyByDefault = RuleRequired
