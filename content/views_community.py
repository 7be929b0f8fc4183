"""Pages of the guidelines (live check, best practices), field stories and discussions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Role, can, require_roles, signed_in
from accounts.models import Network
from advocacy.errors import DomainError
from content import discussions, guidelines, pages, stories
from content.forms_community import (
    ConsentWithdrawForm,
    GuidelineCheckForm,
    GuidelinePageForm,
    HideMessageForm,
    MessageForm,
    StoryDeclineForm,
    StoryForm,
)
from content.models_community import Consent, DiscussionMessage, GuidelinePage, Story

PAGE_SIZE = 20


def _form_error(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- Guideline checks ----------------------------------------------------------------


def findings_context(*, text: str, network: str, link: str | None = None, at=None, images=()) -> dict:
    """What `content/includes/findings.html` needs; other pages (kit editor, sharing)
    call this and include the template."""
    findings = guidelines.check_text(text=text, network=network, link=link or None, at=at, images=images)
    limit = guidelines.NETWORK_LIMITS.get(network)
    return {
        "findings": findings,
        "pieces": guidelines.highlight(text, findings),
        "has_blocking": guidelines.has_blocking(findings),
        "length": guidelines.weighted_length(text, network) if network else len(text),
        "limit": limit,
        "network_label": Network(network).label if network in Network.values else "",
        "checked": True,
    }


@signed_in
def guidelines_check(request):
    """GET: a page to check a text before posting it. POST: the findings, as a page
    fragment for htmx (the kit editor and the sharing page post here while typing)."""
    form = GuidelineCheckForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        context.update(
            findings_context(
                text=form.cleaned_data["text"], network=form.cleaned_data["network"], link=form.cleaned_data["link"]
            )
        )
    if request.method == "POST" and request.htmx:
        return render(request, "content/includes/findings.html", context)
    return render(request, "content/guidelines/check.html", context)


# --- Guideline pages -------------------------------------------------------------------


@signed_in
def guidelines_index(request):
    return render(
        request,
        "content/guidelines/index.html",
        {"pages": list(pages.guideline_pages()), "can_edit": can(request.user, *pages.EDITORS)},
    )


@signed_in
def guideline_page(request, slug):
    page = GuidelinePage.objects.filter(slug=slug).select_related("updated_by").first()
    if page is None:
        raise Http404
    return render(
        request,
        "content/guidelines/page.html",
        {"page": page, "pages": list(pages.guideline_pages()), "can_edit": can(request.user, *pages.EDITORS)},
    )


def _page_form(request, page):
    initial = {}
    if page is not None:
        initial = {f: getattr(page, f) for f in ("title", "slug", "summary", "body", "position")}
    form = GuidelinePageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = pages.guideline_page_save(by=request.user, page=page, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("La page est enregistrée."))
            return redirect("guideline_page", slug=saved.slug)
    return render(request, "content/guidelines/edit.html", {"form": form, "page": page})


@require_roles(*pages.EDITORS)
def guideline_page_create(request):
    return _page_form(request, None)


@require_roles(*pages.EDITORS)
def guideline_page_edit(request, slug):
    page = GuidelinePage.objects.filter(slug=slug).first()
    if page is None:
        raise Http404
    return _page_form(request, page)


# --- Stories ---------------------------------------------------------------------------

STORY_ROLES = (Role.AMBASSADOR, Role.CURATOR)


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_roles(*STORY_ROLES)
def story_list(request):
    """My stories; curators also get the whole inbox, filtered by status."""
    is_curator = can(request.user, Role.CURATOR)
    scope = request.GET.get("vue", "equipe" if is_curator else "miennes")
    if is_curator and scope == "equipe":
        queryset = stories.stories_visible_to(user=request.user)
    else:
        scope = "miennes"
        queryset = stories.stories_of(user=request.user)
    status = request.GET.get("statut", "")
    if status in Story.Status.values:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "content/stories/list.html",
        {
            "page_obj": _paginate(request, queryset),
            "scope": scope,
            "status": status,
            "statuses": Story.Status.choices,
            "is_curator": is_curator,
        },
    )


@require_roles(Role.AMBASSADOR)
def story_propose(request):
    form = StoryForm(request.POST or None, request.FILES or None, initial={"kind": Story.Kind.STORY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = [
            stories.PhotoInput(upload=data[f"photo_{slot}"], alt_text=data[f"alt_{slot}"])
            for slot in range(1, 4)
            if data.get(f"photo_{slot}")
        ]
        try:
            story = stories.story_propose(
                author=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                video_url=data["video_url"],
                is_anonymised=data["is_anonymised"],
                subject_label=data["subject_label"],
                photos=photos,
                consent=form.consent(),
                signed_form=data.get("signed_form"),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Merci ! Votre histoire est transmise à l’équipe éditoriale."))
            return redirect("story_detail", pk=story.pk)
    return render(
        request,
        "content/stories/propose.html",
        {"form": form, "consent_version": stories.CONSENT_TEXT_VERSION},
    )


def _story_or_404(request, pk) -> Story:
    story = stories.stories_visible_to(user=request.user).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


@require_roles(*STORY_ROLES)
def story_detail(request, pk):
    story = _story_or_404(request, pk)
    is_curator = can(request.user, Role.CURATOR)
    consent = getattr(story, "consent", None) if story.is_testimonial else None
    return render(
        request,
        "content/stories/detail.html",
        {
            "story": story,
            "consent": consent,
            "consent_uses": [Consent.Use(use).label for use in consent.uses if use in Consent.Use.values]
            if consent
            else [],
            "is_curator": is_curator,
            "is_author": story.author_id == request.user.pk,
            "changes": stories.story_changes(story=story),
            "decline_form": StoryDeclineForm(),
            "withdraw_form": ConsentWithdrawForm(),
        },
    )


@require_roles(*STORY_ROLES)
def story_photo(request, pk):
    """Photos are served through the access layer, never from a public media folder:
    a story is private until a curator turns it into a kit."""
    photo = stories.story_photo_for(user=request.user, pk=pk)
    if photo is None or not photo.image:
        raise Http404
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_roles(Role.CURATOR)
def story_consent_form(request, pk):
    consent = stories.consent_form_for(user=request.user, story_pk=pk)
    if consent is None:
        raise Http404
    response = FileResponse(consent.signed_form.open("rb"), as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(Role.CURATOR)
@require_POST
def story_to_kit(request, pk):
    story = _story_or_404(request, pk)
    try:
        kit = stories.story_to_kit(story=story, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Le brouillon de kit « %(title)s » est créé à partir de l’histoire.") % {"title": kit.title}
        )
    return redirect("story_detail", pk=story.pk)


@require_roles(Role.CURATOR)
@require_POST
def story_decline(request, pk):
    story = _story_or_404(request, pk)
    form = StoryDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Expliquez à l’auteur pourquoi l’histoire n’est pas retenue."))
        return redirect("story_detail", pk=story.pk)
    try:
        stories.story_decline(story=story, by=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("La réponse est envoyée à l’auteur."))
    return redirect("story_detail", pk=story.pk)


@require_roles(*STORY_ROLES)
@require_POST
def consent_withdraw(request, pk):
    """The author who collected the consent, or a curator, records its withdrawal."""
    story = _story_or_404(request, pk)
    form = ConsentWithdrawForm(request.POST)
    form.is_valid()
    try:
        kits = stories.consent_withdraw(story=story, by=request.user, note=form.cleaned_data.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Le retrait du consentement est enregistré ; %(count)s kit(s) retiré(s) de la diffusion.")
            % {"count": len(kits)},
        )
    return redirect("story_detail", pk=story.pk)


# --- Discussions -----------------------------------------------------------------------


def _thread(request, kit):
    """The thread page (or, for htmx, the refreshed list after posting)."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussions.message_post(author=request.user, body=form.cleaned_data["body"], kit=kit)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            form = MessageForm()
            if not request.htmx:
                return redirect(request.path)
    page_obj = _paginate(request, discussions.messages_in(kit=kit))
    context = {
        "kit": kit,
        "form": form,
        "page_obj": page_obj,
        "is_moderator": can(request.user, Role.MODERATOR),
        "post_url": request.path,
    }
    if request.htmx:
        return render(request, "content/discussions/thread_body.html", context)
    if kit is None:
        context["recent_kits"] = discussions.kits_with_recent_messages(user=request.user)
    return render(request, "content/discussions/thread.html", context)


@require_roles(*discussions.PARTICIPANTS)
def discussion_general(request):
    return _thread(request, None)


@require_roles(*discussions.PARTICIPANTS)
def discussion_kit(request, slug):
    kit = discussions.kit_for_discussion(user=request.user, slug=slug)
    if kit is None:
        raise Http404
    return _thread(request, kit)


@require_roles(Role.MODERATOR)
@require_POST
def discussion_hide(request, pk):
    message = DiscussionMessage.objects.select_related("kit").filter(pk=pk).first()
    if message is None:
        raise Http404
    form = HideMessageForm(request.POST)
    back = reverse("discussion_kit", args=[message.kit.slug]) if message.kit else reverse("discussion_general")
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif : l’auteur du message le verra."))
        return redirect(back)
    try:
        discussions.message_hide(message=message, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Le message est masqué."))
    return redirect(back)
