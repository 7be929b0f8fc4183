"""Pages of the field stories and testimonials: proposing, reading and editing them, the
curators' inbox and follow-up, consent withdrawal."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import Role, can, require_roles
from advocacy.errors import DomainError
from content import stories
from content.forms.stories import ConsentWithdrawForm, StoryDeclineForm, StoryEditForm, StoryForm
from content.models import Consent, Story
from content.views import form_error, paginate

STORY_ROLES = (Role.AMBASSADOR, Role.CURATOR)


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
            "page_obj": paginate(request, queryset),
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
        try:
            story = stories.story_propose(
                author=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                video_url=data["video_url"],
                is_anonymised=data["is_anonymised"],
                subject_label=data["subject_label"],
                photos=form.photos(),
                consent=form.consent(),
                signed_form=data.get("signed_form"),
            )
        except DomainError as exc:
            form_error(form, exc)
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
            "can_edit": story.author_id == request.user.pk and story.status in stories.EDITABLE_STATUSES,
            "changes": stories.story_changes(story=story),
            # Both forms have a "note": distinct ids keep each label on its own field.
            "decline_form": StoryDeclineForm(auto_id="decline_%s"),
            "withdraw_form": ConsentWithdrawForm(auto_id="withdraw_%s"),
        },
    )


@require_roles(Role.AMBASSADOR)
def story_edit(request, pk):
    """The author edits their story; once made into a kit, it goes back to the team."""
    story = stories.stories_of(user=request.user).filter(pk=pk).first()
    if story is None:
        raise Http404
    if story.status not in stories.EDITABLE_STATUSES:
        messages.error(request, _("Cette histoire ne se modifie plus."))
        return redirect("story_detail", pk=story.pk)
    form = StoryEditForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        try:
            updated = stories.story_update(story=story, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            if story.status == Story.Status.IN_KIT and updated.status == Story.Status.PROPOSED:
                messages.success(
                    request,
                    _(
                        "Votre histoire est modifiée et repart à l’équipe éditoriale, qui décidera de reporter ou non "
                        "la modification dans les kits déjà créés."
                    ),
                )
            else:
                messages.success(request, _("Votre histoire est modifiée."))
            return redirect("story_detail", pk=story.pk)
    return render(request, "content/stories/edit.html", {"form": form, "story": story})


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
    if not form.is_valid():
        # Nothing is recorded without the circumstances as typed: better ask again than
        # keep a withdrawal whose note was silently dropped.
        problems = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("Le retrait n’est pas enregistré : %(problems)s") % {"problems": problems})
        return redirect("story_detail", pk=story.pk)
    try:
        kits = stories.consent_withdraw(story=story, by=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Le retrait du consentement est enregistré ; %(count)s kit retiré de la diffusion.",
                "Le retrait du consentement est enregistré ; %(count)s kits retirés de la diffusion.",
                len(kits),
            )
            % {"count": len(kits)},
        )
    return redirect("story_detail", pk=story.pk)
