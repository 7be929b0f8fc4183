"""Admin of the content library's reference data: themes and allowed link domains.

Kits are not edited here: their workflow goes through the library's pages and API, so
the four-eyes rule and the record of every transition cannot be bypassed.
"""

from django.contrib import admin

from content.models import AllowedDomain, Kit, KitTransition, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(AllowedDomain)
class AllowedDomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "note")
    search_fields = ("domain",)


class KitTransitionInline(admin.TabularInline):
    model = KitTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "by", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Kit)
class KitAdmin(admin.ModelAdmin):
    """Read-only: a view for admins, never a way around the workflow."""

    list_display = ("title", "status", "publish_at", "expires_at", "author")
    list_filter = ("status", "is_important", "language")
    search_fields = ("title", "slug")
    inlines = [KitTransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Guideline rules, periods, pages and stories (guidelines branch).
from content import admin_community  # noqa: E402, F401 - registration on import
