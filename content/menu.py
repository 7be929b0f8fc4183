"""Menu entries and home tiles of the content library."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

# --- Curators' and moderators' workspace (kits) ---------------------------------------
navigation.register(
    _("Bibliothèque"),
    "kit_library",
    roles=(Role.CURATOR, Role.MODERATOR, Role.ADMIN),
    order=30,
    icon="fr-icon-book-2-line",
    description=_("Les kits de contenu : rédiger, rechercher, suivre leur circuit de validation."),
)
navigation.register(
    _("Modération"),
    "kit_queue",
    roles=(Role.MODERATOR, Role.ADMIN),
    order=31,
    icon="fr-icon-checkbox-circle-line",
    description=_("Les kits soumis à relecture, du plus ancien au plus récent."),
)
navigation.register(
    _("Calendrier"),
    "kit_calendar",
    roles=(Role.CURATOR, Role.MODERATOR, Role.ADMIN),
    order=32,
    icon="fr-icon-calendar-line",
    description=_("Les kits programmés et publiés, mois par mois."),
)
# --- end of the kits block -------------------------------------------------------------
