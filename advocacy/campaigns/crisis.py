"""The crisis brake: the global pause, kit retraction with its requests to delete posts,
their acknowledgements and reminders. Every action is written to the crisis journal."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from advocacy.campaigns import composer, selectors, sending, tokens
from advocacy.campaigns.models import Campaign, CrisisEvent, Pause, RetractionRequest
from advocacy.campaigns.selectors import pause_current
from advocacy.errors import Conflict, DomainError


def crisis_record(*, action: str, actor=None, reason: str = "", detail: str = "", kit=None) -> CrisisEvent:
    return CrisisEvent.objects.create(action=action, actor=actor, reason=reason, detail=detail[:300], kit=kit)


# --- Global pause ---------------------------------------------------------------------


@transaction.atomic
def pause_set(*, by, reason: str, ends_at) -> Pause:
    """Stop new shares and notifications until `ends_at` (or until lifted)."""
    reason = (reason or "").strip()
    now = timezone.now()
    if not reason:
        raise DomainError(_("Indiquez le motif de la pause."), field="reason")
    if ends_at is None or ends_at <= now:
        raise DomainError(_("La fin de la pause doit être dans le futur."), field="ends_at")
    if ends_at > now + timedelta(days=30):
        raise DomainError(_("Une pause dure au plus 30 jours."), field="ends_at")
    if pause_current(now) is not None:
        raise Conflict(_("Une pause globale est déjà en cours."), code="pause_active")
    pause = Pause.objects.create(reason=reason, starts_at=now, ends_at=ends_at, set_by=by)
    selectors.pause_forget()  # the banner, now and once committed
    crisis_record(
        action=CrisisEvent.Action.PAUSE_SET,
        actor=by,
        reason=reason,
        detail=_("jusqu’au %(end)s") % {"end": timezone.localtime(ends_at).strftime("%d/%m/%Y %H:%M")},
    )
    return pause


@transaction.atomic
def pause_lift(*, by, reason: str = "") -> Pause:
    pause = pause_current()
    if pause is None:
        raise Conflict(_("Aucune pause globale n’est en cours."), code="no_pause")
    now = timezone.now()
    Pause.objects.filter(pk=pause.pk).update(lifted_at=now, lifted_by=by, ended_handled_at=now)
    selectors.pause_forget()  # the banner, now and once committed
    pause.refresh_from_db()
    crisis_record(action=CrisisEvent.Action.PAUSE_LIFTED, actor=by, reason=reason.strip())
    sending.campaigns_resume()
    return pause


def pauses_end_due() -> int:
    """Write the end of pauses that expired by themselves and resume held campaigns.
    The pause itself stops at `ends_at` whatever this does: pause_active() reads it."""
    now = timezone.now()
    ended = 0
    for pause in Pause.objects.filter(ended_handled_at__isnull=True, ends_at__lte=now):
        # The conditional UPDATE makes a second beat run a no-op.
        if Pause.objects.filter(pk=pause.pk, ended_handled_at__isnull=True).update(ended_handled_at=now):
            if pause.lifted_at is None:
                crisis_record(action=CrisisEvent.Action.PAUSE_ENDED, reason=pause.reason)
            ended += 1
    if ended:
        sending.campaigns_resume()
    return ended


# --- Retraction ------------------------------------------------------------------------


def sharers_of(kit) -> QuerySet[User]:
    """Everyone who shared `kit` (the sharing app's Share rows) and still has an account."""
    from advocacy.sharing.models import Share  # noqa: PLC0415 - sharing imports campaigns (pause)

    return User.objects.filter(
        is_active=True, pk__in=Share.objects.filter(kit=kit, ambassador__isnull=False).values("ambassador_id")
    )


def kit_retract(*, kit, by, reason: str):
    """A moderator pulls a published kit back. The content workflow takes it out of every
    feed and its tracked links to the fallback page; our KIT_RETRACTED hook then asks
    everyone who shared it to delete their post."""
    from content import workflow  # noqa: PLC0415

    return workflow.kit_retract(kit=kit, by=by, reason=reason)


def kit_retracted_notify(kit) -> Campaign | None:
    """KIT_RETRACTED hook: journal the retraction, create one request per sharer and
    send it by notification and e-mail. Running it twice does nothing more."""
    if Campaign.objects.filter(kit=kit, kind=Campaign.Kind.RETRACTION).exists():
        return None
    sharers = list(sharers_of(kit).order_by("pk").values_list("pk", flat=True))
    with translation.override("fr"):
        subject = _("Demande de suppression : %(title)s") % {"title": kit.title}
        body = _(
            "Le kit « %(title)s » que vous avez partagé a été retiré par l’équipe web-social.\n\n"
            "Motif : %(reason)s\n\n"
            "Merci de supprimer votre publication sur le réseau où vous l’avez partagée, puis de nous le "
            "confirmer d’un clic avec le lien ci-dessous. Merci pour votre réactivité."
        ) % {"title": kit.title, "reason": kit.retraction_reason}
    try:
        with transaction.atomic():
            crisis_record(
                action=CrisisEvent.Action.KIT_RETRACTED,
                actor=kit.retracted_by,
                reason=kit.retraction_reason,
                detail=ngettext(
                    "%(title)s — %(n)s demande de suppression",
                    "%(title)s — %(n)s demandes de suppression",
                    len(sharers),
                )
                % {"title": kit.title, "n": len(sharers)},
                kit=kit,
            )
            now = timezone.now()
            RetractionRequest.objects.bulk_create(
                [RetractionRequest(kit=kit, ambassador_id=pk, created_at=now) for pk in sharers],
                ignore_conflicts=True,
            )
            campaign = sending.campaign_create(
                kind=Campaign.Kind.RETRACTION,
                subject=subject,
                body=body,
                sender=kit.retracted_by,
                url=reverse("campaigns:my_retractions"),
                kit=kit,
            )
            sending.campaign_queue(campaign=campaign, recipients=((pk, True) for pk in sharers))
    except IntegrityError:  # the hook ran at the same time elsewhere
        return None
    return campaign


def retraction_acknowledge(*, request: RetractionRequest) -> RetractionRequest:
    """ "C'est fait": the ambassador deleted their post. Acknowledging twice is harmless."""
    RetractionRequest.objects.filter(pk=request.pk, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
    request.refresh_from_db()
    return request


def retraction_reminders_send(*, now=None) -> int:
    """Remind, once, those who have not acknowledged after the set delay. Returns how
    many people were reminded."""
    now = now or timezone.now()
    due = RetractionRequest.objects.filter(
        acknowledged_at__isnull=True,
        reminded_at__isnull=True,
        created_at__lte=now - timedelta(hours=settings.CAMPAIGN_RETRACTION_REMINDER_HOURS),
    )
    reminded = 0
    for kit_id in sorted(set(due.values_list("kit_id", flat=True))):
        with transaction.atomic():
            pks = list(due.filter(kit_id=kit_id).values_list("pk", flat=True))
            # Claimed with a conditional UPDATE: overlapping beat runs remind once.
            claimed = RetractionRequest.objects.filter(pk__in=pks, reminded_at__isnull=True)
            people = list(claimed.values_list("ambassador_id", flat=True))
            if not claimed.update(reminded_at=now):
                continue
            kit = RetractionRequest.objects.select_related("kit", "kit__retracted_by").filter(pk=pks[0]).first().kit
            with translation.override("fr"):
                subject = _("Rappel : merci de supprimer votre publication « %(title)s »") % {"title": kit.title}
                body = _(
                    "Nous n’avons pas encore reçu votre confirmation. Le kit « %(title)s » a été retiré.\n\n"
                    "Motif : %(reason)s\n\n"
                    "Si vous avez déjà supprimé votre publication, il suffit de cliquer sur « C’est fait »."
                ) % {"title": kit.title, "reason": kit.retraction_reason}
            campaign = sending.campaign_create(
                kind=Campaign.Kind.REMINDER,
                subject=subject,
                body=body,
                sender=kit.retracted_by,
                url=reverse("campaigns:my_retractions"),
                kit=kit,
            )
            sending.campaign_queue(campaign=campaign, recipients=((pk, True) for pk in sorted(people)))
            crisis_record(
                action=CrisisEvent.Action.RETRACTION_REMINDED,
                reason=kit.retraction_reason,
                detail=ngettext("%(title)s — %(n)s relance", "%(title)s — %(n)s relances", len(people))
                % {"title": kit.title, "n": len(people)},
                kit=kit,
            )
            reminded += len(people)
    return reminded


def _acknowledge_lines(campaign: Campaign, user_ids: list[int]) -> dict[int, str]:
    requests = RetractionRequest.objects.filter(kit_id=campaign.kit_id, ambassador_id__in=user_ids)
    label = _("C’est fait, j’ai supprimé ma publication (un clic) :")
    return {
        request.ambassador_id: f"{label}\n"
        + composer.absolute(reverse("campaigns:acknowledge_link", args=[tokens.acknowledge_token(request.pk)]))
        for request in requests
    }


sending.PERSONALISERS[Campaign.Kind.RETRACTION] = _acknowledge_lines
sending.PERSONALISERS[Campaign.Kind.REMINDER] = _acknowledge_lines
