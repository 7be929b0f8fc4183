"""Admin pages for platform admins: people and roles, the organisation, the charter.

Every change that matters goes through accounts.services, so that roles changes,
deactivation and erasure are audited and have their full effect (ending sessions...).
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import AuditEvent, CharterVersion, OrgUnit, SocialHandle, User
from advocacy.admin import ReadOnlyAdmin
from advocacy.errors import DomainError
from advocacy.forms import RichTextField, rich_text_help


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "kind", "parent"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("nom"), ordering="path")
    def indented_name(self, obj):
        return f"{'— ' * obj.depth}{obj.name}"

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                created = services.org_unit_create(
                    code=obj.code, name=obj.name, kind=obj.kind, parent=form.cleaned_data["parent"]
                )
                obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
                return
            OrgUnit.objects.filter(pk=obj.pk).update(name=obj.name, kind=obj.kind)
            if "parent" in form.changed_data and obj.parent is not None:
                services.org_unit_move(unit=obj, new_parent=obj.parent)
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request, obj=None):
        # Units carry history (memberships, figures); they are renamed or moved, never deleted.
        return False


class HandleInline(admin.TabularInline):
    model = SocialHandle
    extra = 0
    fields = ["network", "handle", "instance", "follower_count", "followers_declared_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email", "first_name", "last_name", "unit", "job_function",
            "is_curator", "is_moderator", "is_platform_admin", "managed_unit",
        ]  # fmt: skip


ROLE_FIELDS = ("is_curator", "is_moderator", "is_platform_admin", "managed_unit")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "first_name", "last_name", "unit", "roles_display", "opted_in_at", "is_active"]
    list_filter = ["is_active", "is_curator", "is_moderator", "is_platform_admin", "job_function"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["unit", "managed_unit"]
    autocomplete_fields = ["unit", "managed_unit"]
    readonly_fields = ["opted_in_at", "is_active", "date_joined", "last_login"]
    inlines = [HandleInline]
    actions = ["deactivate", "reactivate", "erase"]
    fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "unit", "job_function"]}),
        (_("Rôles"), {"fields": list(ROLE_FIELDS)}),
        (_("État"), {"fields": ["opted_in_at", "is_active", "date_joined", "last_login"]}),
    ]

    @admin.display(description=_("rôles"))
    def roles_display(self, obj):
        from accounts.access import ROLE_LABELS, roles_of

        return ", ".join(str(ROLE_LABELS[r]) for r in sorted(roles_of(obj))) or "—"

    def has_delete_permission(self, request, obj=None):
        # Deleting a person goes through the erasure action, which keeps figures right.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
            obj.email = obj.email.lower()
            obj.save()
        else:
            User.objects.filter(pk=obj.pk).update(
                **{f: form.cleaned_data[f] for f in ("email", "first_name", "last_name", "unit", "job_function")}
            )
        if not change or any(f in form.changed_data for f in ROLE_FIELDS):
            try:
                services.user_set_roles(
                    user=User.objects.get(pk=obj.pk), by=request.user,
                    **{f: form.cleaned_data[f] for f in ROLE_FIELDS},
                )  # fmt: skip
            except DomainError as exc:
                messages.error(request, exc.message)

    @admin.action(description=_("Désactiver (ferme aussi les sessions ouvertes)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            try:
                services.user_deactivate(user=user, by=request.user)
            except DomainError as exc:
                messages.error(request, f"{user}: {exc.message}")
        messages.success(request, _("Comptes désactivés."))

    @admin.action(description=_("Réactiver"))
    def reactivate(self, request, queryset):
        for user in queryset:
            services.user_reactivate(user=user, by=request.user)
        messages.success(request, _("Comptes réactivés."))

    @admin.action(description=_("Effacer les données personnelles (irréversible)"))
    def erase(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "admin/accounts/erase_confirm.html",
                {**self.admin_site.each_context(request), "people": queryset, "opts": self.model._meta},
            )
        erased = 0
        for user in list(queryset):
            try:
                services.user_erase(user=user, by=request.user)
                erased += 1
            except DomainError as exc:
                messages.error(request, exc.message)
        erased_message = ngettext("%(count)d personne effacée.", "%(count)d personnes effacées.", erased)
        messages.success(request, erased_message % {"count": erased})


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "is_material_change", "published_at"]
    fields = ["title", "body", "summary_of_changes", "is_material_change"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj and obj.is_published else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            # Opens as text rather than its stored HTML, like the site's own editors.
            kwargs["form_class"] = RichTextField
            kwargs["help_text"] = rich_text_help()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.charter_version_save(version=obj if change else None, by=request.user, **form.cleaned_data)
            obj.pk = saved.pk
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    @admin.action(description=_("Publier cette version"))
    def publish(self, request, queryset):
        for version in queryset.order_by("number"):
            try:
                services.charter_publish(version=version, by=request.user)
                messages.success(request, _("Version %(n)d publiée.") % {"n": version.number})
            except DomainError as exc:
                messages.error(request, exc.message)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "subject_id", "detail"]
    list_filter = ["action"]
