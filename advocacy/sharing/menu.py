"""Menu entries and home tiles of the ambassador portal."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

navigation.register(
    _("Pour partager"),
    "sharing:feed",
    roles=(Role.AMBASSADOR,),
    order=10,
    icon="fr-icon-share-line",
    description=_("Les contenus prêts à partager sur vos réseaux, à personnaliser avec vos mots."),
)
navigation.register(
    _("Mon impact"),
    "sharing:impact",
    roles=(Role.AMBASSADOR,),
    order=20,
    icon="fr-icon-line-chart-line",
    description=_("Mes partages et les personnes qui ont cliqué sur mes liens."),
)
