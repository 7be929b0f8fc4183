"""Pages of the discussions: a thread per kit and one general space, with moderation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Role, can, require_roles
from advocacy.errors import DomainError
from content import discussions
from content.forms.discussions import HideMessageForm, MessageForm
from content.models import DiscussionMessage
from content.views import form_error, paginate


def _thread(request, kit):
    """The thread page (or, for htmx, the refreshed list after posting)."""
    form = MessageForm(request.POST or None)
    status = ""
    if request.method == "POST" and form.is_valid():
        try:
            discussions.message_post(author=request.user, body=form.cleaned_data["body"], kit=kit)
        except DomainError as exc:
            form_error(form, exc)
        else:
            form = MessageForm()
            status = _("Votre message est publié.")
            if not request.htmx:
                return redirect(request.path)
    if request.method == "POST" and request.htmx:
        # htmx replaces the thread, focused field included: focus goes back to the field,
        # and the page's live region says what happened.
        form.fields["body"].widget.attrs["autofocus"] = True
        status = status or _("Votre message n’est pas publié : corrigez-le.")
    page_obj = paginate(request, discussions.messages_in(kit=kit))
    context = {
        "kit": kit,
        "form": form,
        "page_obj": page_obj,
        "is_moderator": can(request.user, Role.MODERATOR),
        "post_url": request.path,
        "status": status,
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
