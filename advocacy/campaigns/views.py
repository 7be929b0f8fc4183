"""Pages of the campaigns app: the portal inbox, one-click unsubscribe, the web-social
team's campaigns and live dashboard, announcements, alerts, reconciliation, and the
crisis brake (pause, retraction, acknowledgements)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.access import Role, public, require_roles, signed_in
from advocacy.campaigns import alerts, crisis, selectors, services, tokens
from advocacy.campaigns.forms import AnnouncementForm, PauseForm, ReasonForm
from advocacy.campaigns.models import Campaign, ReconciliationReport, RetractionRequest
from advocacy.errors import DomainError

WEB_SOCIAL = (Role.CURATOR, Role.MODERATOR, Role.ADMIN)
PAGE_SIZE = 25


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# --- Portal inbox -------------------------------------------------------------------------


@signed_in
def inbox(request):
    page = _page(request, selectors.notifications_of(user=request.user))
    return render(request, "campaigns/inbox.html", {"page": page})


@signed_in
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notification_read(user=request.user, notification=notification)
    if notification.url and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("campaigns:inbox")


@signed_in
@require_POST
def notifications_read_all(request):
    services.notifications_read_all(user=request.user)
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("campaigns:inbox")


# --- Unsubscribe without signing in ------------------------------------------------------


def _token_error(exc: tokens.InvalidToken) -> str:
    if exc.expired:
        return _(
            "Ce lien de désinscription a expiré. Utilisez le lien d’un e-mail plus récent, ou changez vos "
            "préférences de notification dans votre profil."
        )
    return _(
        "Ce lien de désinscription n’est pas valide : il a peut-être été mal copié. Utilisez le lien complet "
        "de l’e-mail, ou changez vos préférences de notification dans votre profil."
    )


# Mail clients send the RFC 8058 one-click POST without any cookie or CSRF token: the
# signed token in the address is what authorises the change.
@public
@csrf_exempt
def unsubscribe(request, token):
    try:
        person = services.unsubscribe_user(token)
    except tokens.InvalidToken as exc:
        return render(request, "campaigns/unsubscribe.html", {"error": _token_error(exc)}, status=400)
    done = False
    if request.method == "POST":
        try:
            services.unsubscribe_apply(token=token)
        except DomainError:
            pass  # already unsubscribed: the answer is the same
        done = True
    return render(request, "campaigns/unsubscribe.html", {"person": person, "done": done, "token": token})


# --- Campaigns and the live dashboard ---------------------------------------------------


@require_roles(*WEB_SOCIAL)
def campaign_list(request):
    page = _page(request, selectors.campaigns_for(user=request.user))
    return render(
        request,
        "campaigns/campaign_list.html",
        {"page": page, "alerts": list(selectors.alerts_open(user=request.user)[:20])},
    )


def _dashboard_context(request, campaign):
    return {
        "campaign": campaign,
        "figures": selectors.campaign_figures(campaign=campaign),
        "reasons": selectors.failure_reasons(campaign=campaign),
        "undelivered": _page(request, selectors.undelivered(campaign=campaign)),
        "alerts": list(selectors.alerts_open(user=request.user).filter(campaign=campaign)),
        "is_live": campaign.status != Campaign.Status.FINISHED,
    }


@require_roles(*WEB_SOCIAL)
def campaign_detail(request, pk):
    campaign = get_object_or_404(selectors.campaigns_for(user=request.user), pk=pk)
    return render(request, "campaigns/campaign_detail.html", _dashboard_context(request, campaign))


@require_roles(*WEB_SOCIAL)
def campaign_live(request, pk):
    """The dashboard's live part, polled by htmx every few seconds."""
    campaign = get_object_or_404(selectors.campaigns_for(user=request.user), pk=pk)
    return render(request, "campaigns/_live.html", _dashboard_context(request, campaign))


@require_roles(Role.CURATOR, Role.ADMIN)
def announcement_new(request):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.announcement_send(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Annonce envoyée à %(n)s ambassadeur·rices.") % {"n": campaign.recipient_count},
            )
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return render(request, "campaigns/announcement_form.html", {"form": form})


@require_roles(*WEB_SOCIAL)
@require_POST
def alert_resolve(request, pk):
    alert = get_object_or_404(selectors.alerts_open(user=request.user), pk=pk)
    try:
        alerts.alert_resolve(alert=alert, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Alerte marquée comme traitée."))
    if alert.campaign_id:
        return redirect("campaigns:campaign_detail", pk=alert.campaign_id)
    return redirect("campaigns:campaign_list")


@require_roles(*WEB_SOCIAL)
def reconciliation(request):
    page = _page(request, ReconciliationReport.objects.all())
    return render(request, "campaigns/reconciliation.html", {"page": page})


# --- Crisis brake ---------------------------------------------------------------------------


@require_roles(Role.MODERATOR, Role.ADMIN)
def crisis_page(request):
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            crisis.pause_set(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.warning(request, _("Pause globale déclenchée : plus aucun partage ni aucune notification."))
            return redirect("campaigns:crisis")
    published, retracted = selectors.kits_for_crisis(user=request.user)
    retracted = list(retracted[:20])
    progress = selectors.retraction_progress(kit_ids=[kit.pk for kit in retracted])
    for kit in retracted:
        kit.progress = progress.get(kit.pk, {"total": 0, "acknowledged": 0})
    return render(
        request,
        "campaigns/crisis.html",
        {
            "form": form,
            "pause": selectors.pause_current(),
            "published": list(published[:50]),
            "retracted": retracted,
            "events": _page(request, selectors.crisis_events()),
        },
    )


@require_roles(Role.MODERATOR, Role.ADMIN)
@require_POST
def pause_lift(request):
    try:
        crisis.pause_lift(by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pause globale levée : les partages et les notifications reprennent."))
    return redirect("campaigns:crisis")


# --- Provider webhook -----------------------------------------------------------------------


@public
@csrf_exempt
def tracking_webhook(request):
    """The configured provider's anymail tracking webhook (it checks the provider's
    shared secret itself); anymail then sends the `tracking` signal we listen to."""
    if not settings.CAMPAIGN_TRACKING_WEBHOOK:
        raise Http404
    view = import_string(settings.CAMPAIGN_TRACKING_WEBHOOK).as_view()
    return view(request)


@require_roles(Role.MODERATOR, Role.ADMIN)
def kit_retract(request, kit_pk):
    published, _retracted = selectors.kits_for_crisis(user=request.user)
    kit = get_object_or_404(published, pk=kit_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            crisis.kit_retract(kit=kit, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.warning(
                request,
                _(
                    "Kit retiré : il a quitté tous les fils, et chaque personne qui l’a partagé reçoit une demande "
                    "de suppression."
                ),  # fmt: skip
            )
            return redirect("campaigns:retraction_follow", kit_pk=kit.pk)
    return render(request, "campaigns/kit_retract.html", {"kit": kit, "form": form})


@require_roles(Role.MODERATOR, Role.ADMIN)
def retraction_follow(request, kit_pk):
    """The retraction page of a kit: who was asked, who confirmed, who was reminded."""
    _published, retracted = selectors.kits_for_crisis(user=request.user)
    kit = get_object_or_404(retracted.select_related("retracted_by"), pk=kit_pk)
    requests = selectors.retraction_requests_for_kit(user=request.user, kit=kit)
    progress = selectors.retraction_progress(kit_ids=[kit.pk]).get(kit.pk, {"total": 0, "acknowledged": 0})
    return render(
        request,
        "campaigns/retraction_follow.html",
        {"kit": kit, "page": _page(request, requests), "progress": progress},
    )


@signed_in
def my_retractions(request):
    page = _page(request, selectors.retraction_requests_of(user=request.user))
    return render(request, "campaigns/my_retractions.html", {"page": page})


@signed_in
@require_POST
def retraction_acknowledge(request, pk):
    retraction = get_object_or_404(selectors.retraction_requests_of(user=request.user), pk=pk)
    crisis.retraction_acknowledge(request=retraction)
    messages.success(request, _("Merci ! Votre confirmation est bien enregistrée."))
    return redirect("campaigns:my_retractions")


@public
@csrf_exempt
def acknowledge_link(request, token):
    """The "c'est fait" link of the e-mail: GET confirms, POST records, no sign-in."""
    try:
        payload = tokens.acknowledge_payload(token)
        retraction = RetractionRequest.objects.select_related("kit").get(pk=payload.get("r"))
    except (tokens.InvalidToken, RetractionRequest.DoesNotExist) as exc:
        expired = isinstance(exc, tokens.InvalidToken) and exc.expired
        error = (
            _("Ce lien a expiré. Connectez-vous au portail et confirmez depuis « Mes demandes de suppression ».")
            if expired
            else _("Ce lien n’est pas valide : il a peut-être été mal copié. Utilisez le lien complet de l’e-mail.")
        )
        return render(request, "campaigns/acknowledge.html", {"error": error}, status=400)
    if request.method == "POST":
        retraction = crisis.retraction_acknowledge(request=retraction)
    return render(request, "campaigns/acknowledge.html", {"retraction": retraction})
