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
