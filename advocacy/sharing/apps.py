"""Ambassador portal: feed, share intents, tracked links and click redirect."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "advocacy.sharing"
    label = "sharing"
    verbose_name = _("Portail ambassadeur")

    def ready(self):
        from advocacy.sharing import demo, links, menu, personal_data  # noqa: F401 - registration on import

        try:
            from content import workflow
        except ImportError:  # the content library is not installed yet
            return
        # A retracted kit's links must lead to the withdrawn page at once, not when the cache expires.
        workflow.KIT_RETRACTED_HOOKS.append(links.forget_kit)
