"""Menu entries and home tiles of the accounts app."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

navigation.register(
    _("Programme et charte"),
    "programme",
    order=80,
    icon="fr-icon-draft-line",
    description=_("Lire la charte des ambassadeur·rices, rejoindre le programme ou accepter sa nouvelle version."),
)
navigation.register(
    _("Mon profil"),
    "profile",
    order=90,
    icon="fr-icon-account-circle-line",
    description=_("Mon unité, ma fonction, mes comptes sociaux, mes notifications et mes données."),
)
navigation.register(
    _("Administration"),
    "admin:index",
    roles=(Role.ADMIN,),
    order=200,
    icon="fr-icon-settings-5-line",
    description=_("Personnes et rôles, organisation, charte, règles de la plateforme."),
)
