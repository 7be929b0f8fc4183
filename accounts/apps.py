"""People and organisation app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personnes et organisation")

    def ready(self):
        from accounts import menu, personal_data  # noqa: F401 - registration on import
