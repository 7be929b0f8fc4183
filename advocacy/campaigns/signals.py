"""The receiver of anymail's `tracking` signal: provider webhooks update deliveries."""

from anymail.signals import tracking
from django.dispatch import receiver

from advocacy.campaigns import reconciliation


@receiver(tracking, dispatch_uid="campaigns.tracking")
def on_tracking_event(sender, event, esp_name, **kwargs):
    reconciliation.tracking_event_record(event=event, esp_name=esp_name)
