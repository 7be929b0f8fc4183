"""Menu entries and home tiles of the campaigns app."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

navigation.register(
    _("Notifications"),
    "campaigns:inbox",
    order=20,
    icon="fr-icon-notification-3-line",
    in_menu=False,  # the header's link shows it with the unread count
    description=_("Les nouveaux kits, les annonces de l’équipe web-social et les demandes de retrait."),
)
navigation.register(
    _("Campagnes"),
    "campaigns:campaign_list",
    roles=(Role.CURATOR, Role.MODERATOR, Role.ADMIN),
    order=60,
    icon="fr-icon-mail-line",
    description=_("Suivre chaque envoi en direct, envoyer une annonce, traiter les alertes."),
)
navigation.register(
    _("Gestion de crise"),
    "campaigns:crisis",
    roles=(Role.MODERATOR, Role.ADMIN),
    order=70,
    icon="fr-icon-alert-line",
    description=_("Pause globale, retrait d’un kit et suivi des suppressions, journal de crise."),
)
