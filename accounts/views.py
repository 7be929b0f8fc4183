"""Pages of a person's own account: programme and charter, profile, handles, export."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.access import signed_in
from accounts.forms import HandleForm, JoinForm, ProfileForm
from accounts.models import CharterVersion, Network
from accounts.selectors import charter_acceptances_of, charter_current
from advocacy.errors import DomainError


@signed_in
def programme(request):
    """The current charter, and joining the programme or accepting a new version."""
    user = request.user
    current = charter_current()
    form = JoinForm(request.POST or None, initial={"version": current.number if current else None})
    if request.method == "POST" and form.is_valid():
        version = CharterVersion.objects.filter(number=form.cleaned_data["version"]).first()
        was_member = user.has_opted_in
        try:
            if version is None:
                raise DomainError(_("Cette version de la charte n’existe pas."))
            services.programme_join(user=user, version=version)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("programme")
        if was_member:
            messages.success(request, _("Merci : vous avez accepté la nouvelle version de la charte."))
        else:
            messages.success(
                request,
                _("Bienvenue dans l’équipe %(hashtag)s ! Complétez votre profil pour commencer à partager.")
                % {"hashtag": settings.BRAND["hashtag"]},
            )
            return redirect("profile")
        return redirect("programme")

    acceptances = list(charter_acceptances_of(user=user))
    accepted_current = current is not None and any(a.version_id == current.pk for a in acceptances)
    return render(
        request,
        "accounts/programme.html",
        {
            "charter": current,
            "form": form,
            "acceptances": acceptances,
            "accepted_current": accepted_current,
            "can_share": services.can_share(user),
        },
    )


@signed_in
def charter_version(request, number):
    version = get_object_or_404(CharterVersion, number=number, published_at__isnull=False)
    return render(request, "accounts/charter_version.html", {"charter": version})


@signed_in
@require_POST
def programme_leave(request):
    try:
        services.programme_leave(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("profile")
    messages.success(
        request,
        _(
            "Vous avez quitté le programme. Vos comptes sociaux ont été retirés et vous ne recevrez plus "
            "de notification. Vous pouvez revenir quand vous le souhaitez."
        ),
    )
    return redirect("profile")


def _profile_context(request, **extra):
    user = request.user
    handles = {h.network: h for h in user.handles.all()}
    networks = [(value, label, handles.get(value)) for value, label in Network.choices]
    context = {
        "networks": networks,
        "handle_form": HandleForm(),
        "can_share": services.can_share(user),
        "token": Token.objects.filter(user=user).first(),
    }
    context.update(extra)
    return context


@signed_in
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("profile")
    return render(request, "accounts/profile.html", _profile_context(request, form=form))


@signed_in
def handle_edit(request, network):
    if network not in Network.values:
        return redirect("profile")
    existing = request.user.handles.filter(network=network).first()
    initial = {"network": network}
    if existing:
        initial.update(
            handle=existing.handle,
            instance=existing.instance,
            follower_count=existing.follower_count,
        )
    form = HandleForm(request.POST or None, initial=initial)
    form.fields["network"].disabled = True
    if network != Network.MASTODON:
        del form.fields["instance"]
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_save(
                user=request.user,
                network=network,
                handle=form.cleaned_data["handle"],
                instance=form.cleaned_data.get("instance", ""),
                follower_count=form.cleaned_data["follower_count"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Votre compte %(network)s est enregistré.") % {"network": Network(network).label}
            )
            return redirect("profile")
    return render(
        request,
        "accounts/handle_form.html",
        {"form": form, "network": Network(network), "existing": existing},
    )


@signed_in
@require_POST
def handle_remove(request, network):
    handle = request.user.handles.filter(network=network).first()
    if handle is not None:
        services.handle_delete(user=request.user, handle=handle)
        messages.success(request, _("Le compte a été retiré de votre profil."))
    return redirect("profile")


@signed_in
def export(request):
    data = services.user_data_exported(user=request.user)
    body = json.dumps(
        {"generated_at": timezone.now().isoformat(), "data": data}, ensure_ascii=False, indent=2, default=str
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-avecpoleemploi.json"'
    return response


@signed_in
@require_POST
def api_token(request):
    """Create, replace or revoke the person's API token. The key is shown once."""
    Token.objects.filter(user=request.user).delete()
    if request.POST.get("action") == "revoke":
        messages.success(request, _("Votre jeton d’API est révoqué."))
        return redirect("profile")
    token = Token.objects.create(user=request.user)
    return render(request, "accounts/token_created.html", {"key": token.key})
