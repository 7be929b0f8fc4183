"""Hashtag observatory: post ingestion, roll-ups and manager reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "advocacy.reach"
    label = "reach"
    verbose_name = _("Observatoire de l’audience")

    def ready(self):
        from accounts import services as account_services
        from advocacy.reach import (  # noqa: F401 - registration on import
            attribution,
            demo,
            demo_reports,
            menu,
            personal_data,
        )

        if attribution.handle_declared not in account_services.HANDLE_DECLARED_HOOKS:
            account_services.HANDLE_DECLARED_HOOKS.append(attribution.handle_declared)
