"""Admin of the content library: themes, allowed link domains, guideline rules and
sensitive periods are edited here; kits, guideline pages, stories and messages are shown
read-only.

Kits are not edited here: their workflow goes through the library's pages and API, so
the four-eyes rule and the record of every transition cannot be bypassed.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from advocacy.admin import ReadOnlyAdmin
from content import selectors
from content.models import (
    AllowedDomain,
    Consent,
    DiscussionMessage,
    GuidelinePage,
    GuidelineRule,
    Kit,
    KitTransition,
    SensitivePeriod,
    Story,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    # The feed reads the topics through the cache (content.selectors.topics_all).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        selectors.topics_forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        selectors.topics_forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        selectors.topics_forget()


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
class KitAdmin(ReadOnlyAdmin):
    """Read-only: a view for admins, never a way around the workflow."""

    list_display = ("title", "status", "publish_at", "expires_at", "author")
    list_filter = ("status", "is_important", "language")
    search_fields = ("title", "slug")
    inlines = [KitTransitionInline]


@admin.register(GuidelineRule)
class GuidelineRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "pattern", "severity", "parameter", "is_active")
    list_filter = ("kind", "severity", "is_active")
    list_editable = ("is_active",)
    search_fields = ("pattern", "explanation", "suggestion")
    filter_horizontal = ("only_during",)
    fieldsets = (
        (None, {"fields": ("kind", "pattern", "parameter", "severity", "is_active")}),
        (_("Portée"), {"fields": ("networks", "only_during")}),
        (_("Pour la personne qui écrit"), {"fields": ("explanation", "suggestion")}),
    )


@admin.register(SensitivePeriod)
class SensitivePeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "severity", "is_active")
    list_filter = ("severity", "is_active")
    date_hierarchy = "starts_on"
    search_fields = ("name",)


@admin.register(GuidelinePage)
class GuidelinePageAdmin(admin.ModelAdmin):
    """Listed for reference; pages are edited through their own page, which sanitises them."""

    list_display = ("title", "slug", "position", "updated_at", "updated_by")
    readonly_fields = ("slug", "title", "summary", "body", "position", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return False


class ConsentInline(admin.StackedInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Consent._meta.fields if field.name != "id"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Read-only: consent is recorded and withdrawn through the story pages."""

    list_display = ("title", "kind", "status", "author", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    inlines = [ConsentInline]
    readonly_fields = ("author", "kind", "title", "body", "video_url", "is_anonymised", "subject_label", "status")
    exclude = ("kits", "curator_note")

    def has_add_permission(self, request):
        return False


@admin.register(DiscussionMessage)
class DiscussionMessageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kit", "author", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    readonly_fields = ("kit", "author", "body", "created_at", "hidden_at", "hidden_by", "hidden_reason")

    def has_add_permission(self, request):
        return False
