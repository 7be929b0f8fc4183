"""The content library: kits, moderation, guideline checks, guideline pages, stories."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Bibliothèque de contenus")

    def ready(self):
        from content import (  # noqa: F401 - registration on import
            demo,
            guidelines,  # connects the cache of rules to their models' signals
            menu,
            personal_data,
        )
