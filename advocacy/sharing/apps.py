"""Ambassador portal: feed, share intents, tracked links and click redirect."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "advocacy.sharing"
    label = "sharing"
    verbose_name = _("Portail ambassadeur")
