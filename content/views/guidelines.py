"""Pages of the guidelines: the live check of a text (also a fragment other pages
include) and the guideline pages (best practices, FAQ)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import can, require_roles, signed_in
from accounts.models import Network
from advocacy.errors import DomainError
from content import guidelines, pages
from content.forms.guidelines import GuidelineCheckForm, GuidelinePageForm
from content.models import GuidelinePage
from content.views import form_error

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
    # Only a missing text is called empty: one too long is said so on its field.
    context = {"form": form, "is_empty": request.method == "POST" and form.has_error("text", "required")}
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
            form_error(form, exc)
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
