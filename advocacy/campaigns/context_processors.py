"""Banners and the unread count every portal page shows: the global pause for everyone,
open alerts for the web-social team, the person's unread notifications."""

import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.campaigns import selectors


def _banners(request) -> list[dict]:
    banners = []
    pause = selectors.pause_for_banner()
    if pause is not None:
        banners.append(
            {
                "level": "warning",
                "text": _(
                    "Pause globale jusqu’au %(end)s : les partages et les notifications sont suspendus. %(reason)s"
                )
                % {"end": timezone.localtime(pause["ends_at"]).strftime("%d/%m/%Y %H:%M"), "reason": pause["reason"]},
            }
        )
    user = getattr(request, "user", None)
    # Only the web-social team has alerts: nobody else pays for asking.
    if user is not None and selectors.is_web_social(user):
        count = selectors.alerts_open(user=user).count()
        if count:
            banners.append(
                {
                    "level": "alert",
                    "text": ngettext(
                        "%(n)s alerte d’envoi ou de veille à traiter.",
                        "%(n)s alertes d’envoi ou de veille à traiter.",
                        count,
                    )
                    % {"n": count},
                    "url": reverse("campaigns:campaign_list"),
                    "link_text": _("Voir les alertes"),
                }
            )
    return banners


def campaigns(request):
    user = getattr(request, "user", None)
    return {
        "site_banners": SimpleLazyObject(lambda: _banners(request)),
        # A callable, computed once and only on pages that show it (templates call it).
        "unread_notifications": functools.cache(lambda: selectors.unread_count(user=user)),
    }
