"""Menu entries and home tiles of the reach app."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

navigation.register(
    _("Import de publications"),
    "reach_import_list",
    roles=(Role.CURATOR, Role.ADMIN),
    order=150,
    icon="fr-icon-upload-2-line",
    description=_("Importer les publications exportées par un outil d’écoute des réseaux sociaux."),
)

navigation.register(
    _("Rapport d’audience"),
    "reach_reports",
    roles=(Role.MANAGER, Role.CURATOR, Role.MODERATOR, Role.ADMIN),
    order=160,
    icon="fr-icon-line-chart-line",
    description=_("Partages, clics et publications avec le hashtag, pour votre périmètre."),
)
