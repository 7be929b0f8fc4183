"""Pages of the curators' and moderators' workspace: the library, the kit editor with
its live network preview, a kit's page (history, versions, actions), the moderation
queue and the calendar. Every write is one call into content.workflow."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Role, can, require_roles
from advocacy.errors import DomainError
from content import guidelines, uploads, workflow
from content.diff import version_diff
from content.forms.kits import (
    CommentForm,
    KitFilter,
    KitForm,
    RequiredCommentForm,
    RetractForm,
    TextFormSet,
    VisualForm,
    split_hashtags,
    texts_from,
)
from content.models import Kit
from content.preview import previews
from content.selectors import (
    STAFF_ROLES,
    calendar_kits,
    calendar_weeks,
    kit_for_page,
    kit_version_list,
    kits_for_staff,
    library_list,
    moderation_queue,
    status_counts,
)
from content.views import form_error, paginate
from content.views.guidelines import findings_context

S = Kit.Status
ARCHIVE_FROM = workflow.TRANSITIONS["archive"][0]


def _get_kit(request, pk: int) -> Kit:
    try:
        return kit_for_page(user=request.user, pk=pk)
    except Kit.DoesNotExist as exc:
        raise Http404(_("Ce kit n’existe pas.")) from exc


# --- Library -------------------------------------------------------------------------


@require_roles(*STAFF_ROLES)
def kit_library(request):
    """Every kit, searchable (French full text on PostgreSQL) and filterable."""
    kit_filter = KitFilter(request.GET or None, queryset=kits_for_staff(user=request.user))
    kits = kit_filter.qs if kit_filter.is_bound else kit_filter.queryset
    page = paginate(request, library_list(kits))
    return render(
        request,
        "content/kits/library.html",
        {
            "filter": kit_filter,
            "page_obj": page,
            "kits": page.object_list,
            "can_write": can(request.user, Role.CURATOR),
        },
    )


# --- Editor --------------------------------------------------------------------------


def _changes_request(kit: Kit | None):
    """The moderator's last request, shown above the editor while the changes are made."""
    if kit is None or kit.status != S.CHANGES_REQUESTED:
        return None
    return kit.transitions.filter(to_status=S.CHANGES_REQUESTED).select_related("by").order_by("-at", "-pk").first()


def _render_editor(request, *, kit, form, texts, visual_form=None, status=200):
    return render(
        request,
        "content/kits/editor.html",
        {
            "kit": kit,
            "form": form,
            "texts": texts,
            "visual_form": visual_form or VisualForm(),
            "changes_request": _changes_request(kit),
        },
        status=status,
    )


def _save(request, kit: Kit | None):
    # The stored note, so that one left untouched is saved as it was (RichTextField).
    form = KitForm(request.POST, initial={"brief": kit.brief} if kit else None)
    texts = TextFormSet(request.POST, prefix="texts")
    if "add_text" in request.POST:
        # The "add a text" button without JavaScript: one more empty row, nothing saved,
        # and no error shown yet for fields the person has not finished.
        data = request.POST.copy()
        data["texts-TOTAL_FORMS"] = str(texts.total_form_count() + 1)
        form, texts = KitForm(data), TextFormSet(data, prefix="texts")
        form.is_valid(), texts.is_valid()
        form.errors.clear()
        for text_form in texts.forms:
            text_form.errors.clear()
        return _render_editor(request, kit=kit, form=form, texts=texts)
    if not (form.is_valid() and texts.is_valid()):
        return _render_editor(request, kit=kit, form=form, texts=texts, status=400)
    fields = {**form.workflow_fields(), "texts": texts_from(texts)}
    try:
        if kit is None:
            kit = workflow.kit_create(by=request.user, **fields)
        else:
            kit = workflow.kit_update(kit=kit, by=request.user, **fields)
    except DomainError as exc:
        form_error(form, exc, formset=texts)
        return _render_editor(request, kit=kit, form=form, texts=texts, status=400)
    if "submit" in request.POST:
        try:
            workflow.kit_submit(kit=kit, by=request.user)
        except DomainError as exc:
            # The draft is saved; only the submission was refused. The person stays on the
            # editor with what they typed and the reason.
            form.add_error(None, _("Brouillon enregistré, mais pas soumis : %(reason)s") % {"reason": exc.message})
            return _render_editor(request, kit=_get_kit(request, kit.pk), form=form, texts=texts, status=400)
        messages.success(request, _("Kit enregistré et soumis à relecture."))
    else:
        messages.success(request, _("Kit enregistré."))
    return redirect("kit_detail", pk=kit.pk)


@require_roles(Role.CURATOR)
def kit_create(request):
    if request.method == "POST":
        return _save(request, None)
    form = KitForm(initial={"hashtags": f"#{workflow.DEFAULT_HASHTAG}", "language": Kit.Language.FRENCH})
    texts = TextFormSet(prefix="texts", initial=[{"body": "", "networks": []}])
    return _render_editor(request, kit=None, form=form, texts=texts)


@require_roles(Role.CURATOR)
def kit_edit(request, pk):
    kit = _get_kit(request, pk)
    if kit.status not in workflow.EDITABLE:
        messages.error(request, _("Ce kit ne se modifie plus."))
        return redirect("kit_detail", pk=kit.pk)
    if request.method == "POST":
        return _save(request, kit)
    form = KitForm(initial=KitForm.initial_for(kit))
    texts = TextFormSet(
        prefix="texts", initial=[{"body": t.body, "networks": list(t.networks)} for t in kit.texts.all()]
    )
    return _render_editor(request, kit=kit, form=form, texts=texts)


@require_roles(Role.CURATOR)
@require_POST
def kit_preview(request):
    """The live part of the editor, posted while the curator types: each suggested text as
    each network will show it, and (swapped out of band into the form) the guideline
    findings of each text, from the guideline engine."""
    texts = TextFormSet(request.POST, prefix="texts")
    rows = []
    if texts.is_valid():
        rows = texts_from(texts)
    else:  # half-typed forms still preview what can be read
        for text_form in texts.forms:
            rows.append({"body": text_form.data.get(f"{text_form.prefix}-body", ""), "networks": []})
    hashtags = split_hashtags(request.POST.get("hashtags", ""))
    link = (request.POST.get("link") or "").strip()
    cards = previews(texts=rows, hashtags=hashtags, link=link)
    return render(
        request,
        "content/kits/_preview.html",
        {
            "previews": cards,
            "findings": _live_findings(rows, link=link, at=_publish_at(request), hashtags=hashtags),
            "live": True,
        },
    )


def _publish_at(request):
    """The publication date typed so far, for the sensitive periods; None if unreadable."""
    try:
        return KitForm.base_fields["publish_at"].clean(request.POST.get("publish_at", ""))
    except ValidationError:
        return None


def _live_findings(rows: list[dict], *, link: str, at, hashtags=()) -> list[dict]:
    """One findings block per suggested text, checked with the link and the publication
    date (length rules, which depend on the network, show on each network's card)."""
    blocks = []
    for number, row in enumerate(rows, start=1):
        body = (row.get("body") or "").strip()
        if body:
            # Checked as ambassadors will post it: the kit's hashtags follow the text (the
            # link is checked as the link, not as words of the text).
            text = guidelines.post_as_published(body, hashtags=hashtags)
            blocks.append({"number": number, **findings_context(text=text, network="", link=link or None, at=at)})
    return blocks


@require_roles(Role.CURATOR)
@require_POST
def kit_visual_add(request, pk):
    kit = _get_kit(request, pk)
    visual_form = VisualForm(request.POST, request.FILES)
    if visual_form.is_valid():
        data = visual_form.cleaned_data
        try:
            image = None
            if data["kind"] == "image":
                # Type read from the bytes, size caps, metadata (GPS position) stripped.
                image = uploads.clean_image(data["image"], field="image").content
            workflow.kit_visual_add(
                kit=kit,
                by=request.user,
                image=image,
                alt_text=data["alt_text"] if image is not None else "",
                video_url=data["video_url"] if image is None else "",
                has_captions=data["has_captions"] if image is None else False,
            )
        except DomainError as exc:
            form_error(visual_form, exc)
        else:
            messages.success(request, _("Visuel ajouté."))
            # Back to the list of visuals, where the new one shows, rather than to the
            # form's own fragment, which the browser would otherwise keep.
            return redirect(reverse("kit_edit", args=[kit.pk]) + "#visuals-title")
    form = KitForm(initial=KitForm.initial_for(kit))
    texts = TextFormSet(
        prefix="texts", initial=[{"body": t.body, "networks": list(t.networks)} for t in kit.texts.all()]
    )
    return _render_editor(request, kit=kit, form=form, texts=texts, visual_form=visual_form, status=400)


@require_roles(Role.CURATOR)
@require_POST
def kit_visual_remove(request, pk, visual_pk):
    kit = _get_kit(request, pk)
    visual = next((v for v in kit.visuals.all() if v.pk == visual_pk), None)
    if visual is None:
        raise Http404(_("Ce visuel n’existe pas."))
    try:
        workflow.kit_visual_remove(visual=visual, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Visuel retiré."))
    return redirect("kit_edit", pk=kit.pk)


# --- A kit's page --------------------------------------------------------------------


def _actions(kit: Kit, user) -> dict:
    is_curator = can(user, Role.CURATOR)
    is_moderator = can(user, Role.MODERATOR)
    approve_refusal = ""
    if is_moderator and kit.status == S.SUBMITTED and not workflow.can_approve(kit, user):
        if user.pk == kit.author_id:
            approve_refusal = _("Vous avez écrit ce kit : une autre personne doit l’approuver (règle des quatre yeux).")
        else:
            approve_refusal = _(
                "Vous avez modifié ce kit en dernier : une autre personne doit l’approuver (règle des quatre yeux)."
            )
    return {
        "can_edit": is_curator and kit.status in workflow.EDITABLE,
        "can_submit": is_curator and kit.status in (S.DRAFT, S.CHANGES_REQUESTED),
        "can_request_changes": is_moderator and kit.status in (S.SUBMITTED, S.APPROVED),
        "can_approve": is_moderator and workflow.can_approve(kit, user),
        "approve_refusal": approve_refusal,
        "can_archive": (is_curator or is_moderator) and kit.status in ARCHIVE_FROM,
        "can_retract": is_moderator and kit.status == S.PUBLISHED,
    }


# Which flag of _actions shows each action's form.
ACTION_FLAGS = {
    "submit": "can_submit",
    "approve": "can_approve",
    "changes": "can_request_changes",
    "retract": "can_retract",
    "archive": "can_archive",
}


def _render_kit(request, kit: Kit, *, forms=None, refusal=None, status=200):
    forms = forms or {}
    versions = list(kit.versions.all())
    actions = _actions(kit, request.user)
    if refusal is not None:
        # Shown in the refused action's form, or at the top of the actions when the kit
        # has moved on and that form is gone (another moderator approved it first).
        refusal = {**refusal, "in_form": actions[ACTION_FLAGS[refusal["action"]]]}
    return render(
        request,
        "content/kits/detail.html",
        {
            "kit": kit,
            "texts": list(kit.texts.all()),
            "visuals": list(kit.visuals.all()),
            "transitions": list(kit.transitions.all()),
            "versions": versions,
            "warnings": [f for f in kit.findings if f.get("severity") == "warning"],
            "blocking": [f for f in kit.findings if f.get("severity") == "blocking"],
            "actions": actions,
            "refusal": refusal,
            "submit_form": forms.get("submit") or CommentForm(prefix="submit"),
            "changes_form": forms.get("changes") or RequiredCommentForm(prefix="changes"),
            "approve_form": forms.get("approve") or CommentForm(prefix="approve"),
            "archive_form": forms.get("archive") or CommentForm(prefix="archive"),
            "retract_form": forms.get("retract") or RetractForm(prefix="retract"),
        },
        status=status,
    )


@require_roles(*STAFF_ROLES)
def kit_detail(request, pk):
    return _render_kit(request, _get_kit(request, pk))


@require_roles(*STAFF_ROLES)
def kit_versions(request, pk):
    """Two saved versions side by side as one word-level difference."""
    kit = _get_kit(request, pk)
    versions = list(kit_version_list(kit=kit))
    numbers = [v.number for v in versions]

    def pick(name, default):
        try:
            value = int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if value in numbers else default

    newest = numbers[-1] if numbers else 0
    new_number = pick("a", newest)
    old_number = pick("de", max([n for n in numbers if n < new_number] or [new_number]))
    by_number = {v.number: v for v in versions}
    old, new = by_number.get(old_number), by_number.get(new_number)
    diffs = version_diff(old.snapshot, new.snapshot) if old and new else []
    return render(
        request,
        "content/kits/versions.html",
        {"kit": kit, "versions": versions, "old": old, "new": new, "diffs": diffs},
    )


def _action(request, pk, *, name, form_class, run):
    kit = _get_kit(request, pk)
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        try:
            run(kit, form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
            reason = exc.message
        else:
            return redirect("kit_detail", pk=kit.pk)
    else:
        reason = _("complétez le formulaire de l’action.")
    # Refused: the page again, with what the person typed and the reason next to the
    # action (the page focuses it: at the top of the page, a phone would not show it).
    refusal = {"action": name, "message": _("L’action n’a pas abouti : %(reason)s") % {"reason": reason}}
    return _render_kit(request, _get_kit(request, pk), forms={name: form}, refusal=refusal, status=400)


@require_roles(Role.CURATOR)
@require_POST
def kit_submit(request, pk):
    def run(kit, data):
        workflow.kit_submit(kit=kit, by=request.user, comment=data["comment"])
        messages.success(request, _("Kit soumis à relecture."))

    return _action(request, pk, name="submit", form_class=CommentForm, run=run)


@require_roles(Role.MODERATOR)
@require_POST
def kit_request_changes(request, pk):
    def run(kit, data):
        workflow.kit_request_changes(kit=kit, by=request.user, comment=data["comment"])
        messages.success(request, _("Modifications demandées à l’auteur·rice."))

    return _action(request, pk, name="changes", form_class=RequiredCommentForm, run=run)


@require_roles(Role.MODERATOR)
@require_POST
def kit_approve(request, pk):
    def run(kit, data):
        kit = workflow.kit_approve(kit=kit, by=request.user, comment=data["comment"])
        if kit.status == S.PUBLISHED:
            messages.success(request, _("Kit approuvé et publié."))
        else:
            messages.success(
                request,
                _("Kit approuvé : il sera publié le %(date)s.")
                % {"date": timezone.localtime(kit.publish_at).strftime("%d/%m/%Y %H:%M")},
            )

    return _action(request, pk, name="approve", form_class=CommentForm, run=run)


@require_roles(Role.CURATOR, Role.MODERATOR)
@require_POST
def kit_archive(request, pk):
    def run(kit, data):
        workflow.kit_archive(kit=kit, by=request.user, comment=data["comment"])
        messages.success(request, _("Kit archivé."))

    return _action(request, pk, name="archive", form_class=CommentForm, run=run)


@require_roles(Role.MODERATOR)
@require_POST
def kit_retract(request, pk):
    def run(kit, data):
        workflow.kit_retract(kit=kit, by=request.user, reason=data["reason"])
        messages.success(request, _("Kit retiré de tous les fils."))

    return _action(request, pk, name="retract", form_class=RetractForm, run=run)


# --- Moderation queue and calendar ----------------------------------------------------


@require_roles(Role.MODERATOR, Role.ADMIN)
def kit_queue(request):
    kits = list(moderation_queue(user=request.user))
    counts = status_counts(user=request.user)
    return render(
        request,
        "content/kits/queue.html",
        {
            "kits": kits,
            "counts": [(value, label, counts.get(value, 0)) for value, label in S.choices],
        },
    )


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    raw = request.GET.get("mois", "")
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


@require_roles(*STAFF_ROLES)
def kit_calendar(request):
    """Scheduled and published kits of a month, as a list per week."""
    year, month = _month(request)
    entries = calendar_kits(user=request.user, year=year, month=month)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(
        request,
        "content/kits/calendar.html",
        {
            "month": date(year, month, 1),
            "weeks": calendar_weeks(year=year, month=month, entries=entries),
            "total": len(entries),
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "previous_month": date(*previous, 1),
            "following_month": date(*following, 1),
            "following": f"{following[0]:04d}-{following[1]:02d}",
            "today": timezone.localdate(),
        },
    )
