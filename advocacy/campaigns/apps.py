"""Notifications with per-recipient delivery tracking, alerts and crisis controls."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _register(hooks: list, hook) -> None:
    if hook not in hooks:
        hooks.append(hook)


class CampaignsConfig(AppConfig):
    name = "advocacy.campaigns"
    label = "campaigns"
    verbose_name = _("Campagnes et gestion de crise")

    def ready(self):
        from accounts import services as account_services
        from advocacy.campaigns import crisis, demo, kits, menu, signals  # noqa: F401 - registration on import
        from content import workflow

        _register(workflow.KIT_PUBLISHED_HOOKS, kits.kit_published_notify)
        _register(workflow.KIT_RETRACTED_HOOKS, crisis.kit_retracted_notify)
        _register(account_services.LEAVE_HOOKS, kits.digest_items_forget)
