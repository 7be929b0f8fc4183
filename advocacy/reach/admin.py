"""Admin pages of the reach app: followed hashtags, collected posts (read-only),
imports and collector states. Hashtags are saved through reach.services."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from advocacy.errors import DomainError
from advocacy.reach import services
from advocacy.reach.models import CollectorState, Hashtag, ImportJob, ImportRejection, SocialPost


class HashtagAdminForm(forms.ModelForm):
    class Meta:
        model = Hashtag
        fields = ["tag", "kind", "is_active"]
        help_texts = {
            "kind": _(
                "Les publications qui ne portent que des hashtags surveillés ne comptent pas dans les rapports. "
                "Après un changement, les jours où ce hashtag a été publié sont recalculés dans les minutes "
                "qui suivent."
            ),
        }


@admin.register(Hashtag)
class HashtagAdmin(admin.ModelAdmin):
    form = HashtagAdminForm
    list_display = ["__str__", "normalized", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["tag", "normalized"]

    def save_model(self, request, obj, form, change):
        try:
            saved = services.hashtag_save(
                tag=form.cleaned_data["tag"],
                kind=form.cleaned_data["kind"],
                is_active=form.cleaned_data["is_active"],
                hashtag=obj if change else None,
            )
            obj.pk, obj.normalized = saved.pk, saved.normalized
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request, obj=None):
        # Posts keep the tags they matched; a hashtag is switched off, not deleted.
        return False


@admin.register(SocialPost)
class SocialPostAdmin(admin.ModelAdmin):
    list_display = ["posted_at", "network", "author_handle", "attribution", "unit", "likes", "reposts", "source"]
    list_filter = ["network", "attribution", "source"]
    search_fields = ["external_id", "author_handle", "tracked_code"]
    date_hierarchy = "posted_at"
    list_select_related = ["unit"]
    show_full_result_count = False
    raw_id_fields = ["ambassador", "unit"]

    # Posts are what the networks say; figures must stay traceable to them, so nobody
    # edits or adds one by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectionInline(admin.TabularInline):
    model = ImportRejection
    extra = 0
    fields = ["line", "reason"]
    readonly_fields = fields
    can_delete = False
    max_num = 0


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "original_name", "status", "rows_read", "rows_created", "rows_rejected"]
    list_filter = ["status", "format"]
    readonly_fields = [
        "file", "original_name", "format", "mapping", "default_network", "status", "created_by", "created_at",
        "started_at", "finished_at", "heartbeat_at", "attempts", "rows_read", "rows_created", "rows_updated",
        "rows_unchanged", "rows_rejected", "error",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [RejectionInline]

    def has_add_permission(self, request):
        return False


@admin.register(CollectorState)
class CollectorStateAdmin(admin.ModelAdmin):
    list_display = ["key", "last_run_at", "last_success_at", "last_error_at", "resume_at", "posts_seen"]
    readonly_fields = [
        "source", "key", "last_run_at", "last_success_at", "last_error", "last_error_at", "resume_at",
        "claimed_until", "until_id", "next_since_id", "posts_seen",
    ]  # fmt: skip
    # Clearing since_id makes the next run fetch everything the API still offers.
    fields = ["source", "key", "since_id", *readonly_fields[2:]]

    def has_add_permission(self, request):
        return False
