"""Admin pages of the campaigns app: read-only views of what was sent and what happened.
Statuses are never edited here: delivery.py owns them."""

from django.contrib import admin

from advocacy.admin import ReadOnlyAdmin
from advocacy.campaigns.models import Alert, Campaign, CrisisEvent, Delivery, Pause, ProviderEvent


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["subject", "kind", "status", "recipient_count", "sent_count", "failed_count", "created_at"]
    list_filter = ["kind", "status"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "recipient", "channel", "status", "attempts", "reason", "updated_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["campaign", "recipient"]
    raw_id_fields = ["campaign", "recipient"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "esp_name", "event_type", "message_id", "recipient"]
    list_filter = ["event_type"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "message", "resolved_at"]
    list_filter = ["kind"]


@admin.register(Pause)
class PauseAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "ends_at", "set_by", "lifted_at"]


@admin.register(CrisisEvent)
class CrisisEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "reason"]
    list_filter = ["action"]
