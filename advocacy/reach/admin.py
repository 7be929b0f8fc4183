"""Admin pages of the reach app: followed hashtags, collected posts (read-only),
imports and collector states. Hashtags are saved through reach.services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advocacy.admin import ReadOnlyAdmin
from advocacy.errors import DomainError
from advocacy.reach import services
from advocacy.reach.models import CollectionGap, CollectorState, Hashtag, ImportJob, ImportRejection, SocialPost


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


class CollectorStateAdminForm(forms.ModelForm):
    """Only the cursor can be changed, checked, and saved alone (see save_model)."""

    # The claims count when the page was shown: a run that collected the query since then
    # moved the cursor, and saving the value shown would move it back.
    claims_seen = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = CollectorState
        fields = ["since_id"]
        help_texts = {
            "since_id": _(
                "La prochaine collecte lira les publications plus récentes que celle-ci. Vide : elle relira tout "
                "ce que l’API offre encore (X : 7 jours ; Mastodon : 25 pages). Le changer abandonne le "
                "rattrapage en cours."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims_seen"].initial = self.instance.claims

    def clean_since_id(self):
        since_id = self.cleaned_data["since_id"].strip()
        try:
            services.collector_cursor_check(source=self.instance.source, since_id=since_id)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return since_id

    def clean(self):
        cleaned = super().clean()
        state = self.instance
        if state.claimed_until and state.claimed_until > timezone.now():
            raise forms.ValidationError(
                _("Une collecte de cette requête est en cours : réessayez dans quelques minutes."), code="busy"
            )
        if cleaned.get("claims_seen") != state.claims:
            raise forms.ValidationError(
                _(
                    "Cette requête a été collectée depuis l’ouverture de la page, et son curseur a avancé : "
                    "rechargez la page pour partir de sa valeur actuelle."
                ),
                code="stale",
            )
        return cleaned


class PauseFilter(admin.SimpleListFilter):
    """Pauses still running, by reason. A pause whose time is past stays on its row until
    the next run clears it, but holds nothing: it is not listed as one."""

    title = _("pause")
    parameter_name = "pause"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [
            *(
                (reason, _("En cours : %(reason)s") % {"reason": label})
                for reason, label in CollectorState.PauseReason.choices
            ),
            (self.NONE, _("Aucune en cours")),
        ]

    def queryset(self, request, queryset):
        running = Q(resume_at__gt=timezone.now())
        if self.value() == self.NONE:
            return queryset.exclude(running)
        if self.value() in CollectorState.PauseReason.values:
            return queryset.filter(running, pause_reason=self.value())
        return queryset


@admin.register(CollectorState)
class CollectorStateAdmin(admin.ModelAdmin):
    """What each query's collector did last, and the few things an operator may change:
    the cursor (checked), a pause lifted, a cursor forgotten. Everything else belongs to
    the runs, which write it while they hold the query."""

    form = CollectorStateAdminForm
    # Why a query is not collected comes first: the cursor is on its page.
    list_display = ["key", "pause", "last_success_at", "last_error_at", "posts_seen"]
    list_filter = ["source", PauseFilter]
    search_fields = ["key"]
    actions = ["lift_pause", "reset_cursor"]
    readonly_fields = [
        "source", "key", "pause", "until_id", "next_since_id", "claimed_until", "last_run_at",
        "last_success_at", "last_error", "last_error_at", "posts_seen", "refresh_read_until",
    ]  # fmt: skip
    fields = ["source", "key", "since_id", "claims_seen", *readonly_fields[2:]]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.source != SocialPost.Source.MASTODON:
            # Only Mastodon's collector refreshes a window of time (MASTODON_REFRESH_HOURS).
            return [name for name in self.fields if name != "refresh_read_until"]
        return self.fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("pause"), ordering="resume_at")
    def pause(self, state):
        """Until when and why the query is paused; a pause whose time is past holds nothing
        (the next run clears it) and is shown as over, not as running."""
        if state.resume_at is None:
            return "—"
        until = formats.date_format(timezone.localtime(state.resume_at), "SHORT_DATETIME_FORMAT")
        if state.resume_at <= timezone.now():
            return _("Terminée le %(date)s") % {"date": until}
        reason = state.get_pause_reason_display()
        if not reason:
            return _("Jusqu’au %(date)s") % {"date": until}
        return _("Jusqu’au %(date)s (%(reason)s)") % {"date": until, "reason": reason}

    def has_delete_permission(self, request, obj=None):
        # Forgetting a query's cursor is the "reset" action, which waits for a run to end.
        return False

    def save_model(self, request, obj, form, change):
        # Only the cursor is written, conditionally: saving the whole row would write back
        # the claim, the gap and the pause as they were when the page was read.
        if "since_id" not in form.changed_data:
            return
        if not services.collector_cursor_set(
            state=obj, since_id=form.cleaned_data["since_id"], claims_seen=form.cleaned_data["claims_seen"]
        ):
            # A run claimed the query after the form's checks: nothing was written, so the
            # history and the message must not say it was (see log_change, response_change).
            obj.cursor_refused = True
            messages.error(
                request,
                _("Le curseur n’a pas été changé : une collecte de cette requête a commencé entre-temps. Réessayez."),
            )

    def log_change(self, request, obj, message):
        if getattr(obj, "cursor_refused", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(obj, "cursor_refused", False):
            # Back to the page, reloaded with the values the run holds, without Django's
            # « modifié avec succès ».
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description=_("Lever la pause (et celle des requêtes de la même application X ou instance)"))
    def lift_pause(self, request, queryset):
        lifted = services.collector_pauses_lift(states=list(queryset))
        if not lifted:
            messages.info(
                request,
                _(
                    "Aucune de ces requêtes n’est en pause, ni celles qui partagent leur limite : rien n’a changé. "
                    "Une pause dont l’heure est passée est terminée, et la prochaine collecte lira la requête."
                ),
            )
            return
        messages.success(
            request,
            ngettext(
                "%(count)d requête reprendra à la prochaine collecte.",
                "%(count)d requêtes reprendront à la prochaine collecte.",
                lifted,
            )
            % {"count": lifted},
        )

    @admin.action(description=_("Effacer le curseur : relire tout ce que l’API offre encore"))
    def reset_cursor(self, request, queryset):
        reset, busy = services.collector_cursors_reset(states=list(queryset))
        if reset:
            messages.success(
                request,
                ngettext(
                    "%(count)d requête relira tout ce que l’API offre encore (X : 7 jours ; Mastodon : 25 pages).",
                    "%(count)d requêtes reliront tout ce que l’API offre encore (X : 7 jours ; Mastodon : 25 pages).",
                    reset,
                )
                % {"count": reset},
            )
        if busy:
            messages.warning(
                request,
                ngettext(
                    "%(count)d requête est en cours de collecte et n’a pas été changée : réessayez dans quelques "
                    "minutes.",
                    "%(count)d requêtes sont en cours de collecte et n’ont pas été changées : réessayez dans "
                    "quelques minutes.",
                    busy,
                )
                % {"count": busy},
            )


class GapStateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("ouverte", _("signalée dans les rapports")), ("comblee", _("marquée comblée"))]

    def queryset(self, request, queryset):
        if self.value() == "ouverte":
            return queryset.filter(filled_at__isnull=True)
        if self.value() == "comblee":
            return queryset.filter(filled_at__isnull=False)
        return queryset


@admin.register(CollectionGap)
class CollectionGapAdmin(ReadOnlyAdmin):
    """The stretches of time a collector could not read, which the reports warn about until
    they are marked filled (their posts imported from a listening tool). Recorded by the
    collectors only; a gap marked filled keeps its history (who said so, and when)."""

    list_display = ["__str__", "starts_at", "ends_at", "recorded_at", "filled_at", "filled_by"]
    list_filter = [GapStateFilter, "source"]
    readonly_fields = ["description", "source", "key", "tag", "starts_at", "ends_at", "recorded_at", "filled_at",
                       "filled_by"]  # fmt: skip
    fields = readonly_fields
    actions = ["mark_filled"]

    @admin.display(description=_("ce qui manque"))
    def description(self, obj):
        return obj.description

    @admin.action(description=_("Marquer comme comblées : les publications de ces périodes ont été importées"))
    def mark_filled(self, request, queryset):
        filled = services.collection_gaps_fill(gaps=list(queryset), by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d période n’est plus signalée dans les rapports.",
                "%(count)d périodes ne sont plus signalées dans les rapports.",
                filled,
            )
            % {"count": filled},
        )
