"""Hashtag observatory: post ingestion, roll-ups and manager reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "advocacy.reach"
    label = "reach"
    verbose_name = _("Observatoire de l’audience")

    def ready(self):
        from advocacy.reach import (  # noqa: F401 - registration on import
            demo,
            demo_reports,
            menu,
            personal_data,
        )
