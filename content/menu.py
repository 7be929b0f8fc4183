"""Menu entries and home tiles of the content library: the curators' and moderators'
workspace, then the guideline pages, field stories and discussions."""

from django.utils.translation import gettext_lazy as _

from accounts.access import Role
from advocacy import navigation

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
navigation.register(
    _("Bonnes pratiques"),
    "guidelines_index",
    order=60,
    icon="fr-icon-lightbulb-line",
    description=_("La charte, les conseils de l’équipe web social, la FAQ, et un vérificateur de texte."),
)
navigation.register(
    _("Proposer une histoire"),
    "story_propose",
    roles=(Role.AMBASSADOR,),
    order=62,
    icon="fr-icon-quote-line",
    description=_("Une histoire du terrain ou un témoignage (avec le consentement de la personne)."),
)
navigation.register(
    _("Histoires du terrain"),
    "story_list",
    roles=(Role.CURATOR,),
    order=63,
    icon="fr-icon-quote-line",
    description=_("Les histoires et témoignages proposés par les ambassadeur·rices, à reprendre en kits."),
)
navigation.register(
    _("Discussions"),
    "discussion_general",
    roles=(Role.AMBASSADOR, Role.CURATOR, Role.MODERATOR, Role.ADMIN),
    order=65,
    icon="fr-icon-discuss-line",
    description=_("Questions sur les kits et échange de bonnes pratiques entre ambassadeur·rices."),
)
