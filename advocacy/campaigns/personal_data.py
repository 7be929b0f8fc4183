"""The personal data held by the campaigns app (see accounts.privacy).

Deliveries and retraction requests feed figures (a campaign's counts, a retraction's
acknowledgements): erasure keeps them without the person, and scrubs what could name
them (an SMTP answer quoting the address, the provider's copy of the address).
"""

from accounts.privacy import DELETE, DETACH, register
from advocacy.campaigns.models import (
    Alert,
    Campaign,
    CrisisEvent,
    Delivery,
    DigestItem,
    Notification,
    Pause,
    ProviderEvent,
    RetractionRequest,
)


def _scrub_deliveries(rows):
    ProviderEvent.objects.filter(delivery__in=rows).update(recipient="", description="")
    rows.update(reason="")


register(
    Delivery,
    user_field="recipient",
    fields=("campaign", "channel", "status", "reason", "attempts", "queued_at", "sent_at", "finished_at"),
    on_erase=DETACH,
    scrub=_scrub_deliveries,
)
register(
    Notification, user_field="recipient", fields=("kind", "title", "body", "created_at", "read_at"), on_erase=DELETE
)
register(DigestItem, user_field="recipient", fields=("kit", "frequency", "created_at"), on_erase=DELETE)
register(
    RetractionRequest,
    user_field="ambassador",
    fields=("kit", "created_at", "reminded_at", "acknowledged_at"),
    on_erase=DETACH,
)
register(Campaign, user_field="sender", fields=("kind", "subject", "created_at"), on_erase=DETACH)
register(Alert, user_field="resolved_by", fields=("kind", "resolved_at"), on_erase=DETACH, label="alerts resolved")
register(Pause, user_field="set_by", fields=("reason", "starts_at", "ends_at"), on_erase=DETACH, label="pauses set")
register(Pause, user_field="lifted_by", fields=("lifted_at",), on_erase=DETACH, label="pauses lifted")
register(CrisisEvent, user_field="actor", fields=("action", "reason", "created_at"), on_erase=DETACH)
