"""The content library: kits, moderation, guideline checks, guideline pages, stories."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Bibliothèque de contenus")

    def ready(self):
        # demo_kits and menu: the curators' and moderators' workspace (demo step, menu).
        from content import (  # noqa: F401 - guidelines, stories, discussions
            demo_kits,
            menu,
            menu_community,
            personal_data,  # noqa: F401 - registration on import
            personal_data_community,
        )
