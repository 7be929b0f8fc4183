"""Notifications with per-recipient delivery tracking, alerts and crisis controls."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "advocacy.campaigns"
    label = "campaigns"
    verbose_name = _("Campagnes et gestion de crise")

    def ready(self):
        from advocacy.campaigns import menu, signals  # noqa: F401 - registration on import
