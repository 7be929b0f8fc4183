"""Admin of the ambassador portal: its settings, and read-only views of links and shares."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from advocacy.admin import ReadOnlyAdmin
from advocacy.sharing.models import Share, SharingSettings, TrackedLink


@admin.register(SharingSettings)
class SharingSettingsAdmin(admin.ModelAdmin):
    fields = ("withdrawn_url",)

    def has_add_permission(self, request):
        # A single row, created on first use.
        return not SharingSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(ReadOnlyAdmin):
    """Shares and links are written by the portal's services only."""


@admin.register(TrackedLink)
class TrackedLinkAdmin(ReadOnly):
    list_display = ("code", "kit", "channel", "created_at")
    list_filter = ("channel",)
    search_fields = ("code", "kit__title")
    list_select_related = ("kit",)


@admin.register(Share)
class ShareAdmin(ReadOnly):
    list_display = ("kit", "channel", "created_at", "has_post")
    list_filter = ("channel",)
    search_fields = ("kit__title",)
    list_select_related = ("kit",)

    @admin.display(boolean=True, description=_("adresse de la publication"))
    def has_post(self, obj):
        return bool(obj.post_url)
