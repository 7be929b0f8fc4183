"""Alerts to the web-social team: too many failures in a short window, a campaign that
stopped progressing, a reconciliation gap, a hashtag spike. Each alert is raised once
per situation (its key) until someone resolves it, shown on screen and sent by e-mail."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advocacy.campaigns import sending
from advocacy.campaigns.models import Alert, Campaign, Delivery
from advocacy.errors import Conflict

logger = logging.getLogger(__name__)
S = Delivery.Status


def alert_raise(*, kind: str, key: str, message: str, campaign: Campaign | None = None, url: str = "") -> Alert | None:
    """Record the alert and e-mail the team, unless the same alert is already open."""
    if Alert.objects.filter(key=key, resolved_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(kind=kind, key=key, message=message, campaign=campaign)
    except IntegrityError:  # raised at the same moment by another worker
        return None
    link = f"{settings.SITE_URL}{url}" if url else ""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Alerte %(service)s] %(kind)s") % {
            "service": settings.BRAND["short_name"],
            "kind": alert.get_kind_display(),
        }
        body = "\n\n".join(p for p in (message, link) if p)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, settings.CAMPAIGN_ALERT_EMAILS)
    except Exception:  # the alert stays on screen even when mail is what is broken
        logger.exception("alert e-mail could not be sent: %s", key)
    return alert


def alert_resolve(*, alert: Alert, by) -> Alert:
    if alert.resolved_at is not None:
        raise Conflict(_("Cette alerte est déjà résolue."), code="resolved")
    alert.resolved_at = timezone.now()
    alert.resolved_by = by
    alert.save(update_fields=["resolved_at", "resolved_by"])
    return alert


def check_campaign(campaign: Campaign, *, now=None) -> list[Alert]:
    now = now or timezone.now()
    raised = []
    window_start = now - timedelta(minutes=settings.CAMPAIGN_ALERT_WINDOW_MINUTES)
    counts = Delivery.objects.filter(
        campaign=campaign, channel=Delivery.Channel.EMAIL, updated_at__gte=window_start
    ).aggregate(
        failures=Count("pk", filter=Q(status__in=[S.FAILED, S.BOUNCED])),
        outcomes=Count("pk", filter=Q(status__in=[S.SENT, S.DELIVERED, S.FAILED, S.BOUNCED])),
    )
    failures, outcomes = counts["failures"], counts["outcomes"]
    url = reverse("campaigns:campaign_detail", args=[campaign.pk])
    if outcomes >= settings.CAMPAIGN_ALERT_MIN_SAMPLE and failures / outcomes > settings.CAMPAIGN_ALERT_FAILURE_RATE:
        message = _(
            "Campagne « %(subject)s » : %(failures)s échecs sur %(outcomes)s e-mails (%(rate).1f %%) "
            "dans les %(minutes)s dernières minutes, au-delà du seuil de %(threshold).1f %%."
        ) % {
            "subject": campaign.subject,
            "failures": failures,
            "outcomes": outcomes,
            "rate": 100 * failures / outcomes,
            "minutes": settings.CAMPAIGN_ALERT_WINDOW_MINUTES,
            "threshold": 100 * settings.CAMPAIGN_ALERT_FAILURE_RATE,
        }
        alert = alert_raise(
            kind=Alert.Kind.FAILURE_RATE, key=f"failure_rate:{campaign.pk}", message=message, campaign=campaign, url=url
        )
        if alert:
            raised.append(alert)
    stall_limit = now - timedelta(minutes=settings.CAMPAIGN_STALL_MINUTES)
    if (
        campaign.status in (Campaign.Status.QUEUED, Campaign.Status.SENDING)
        and (campaign.last_progress_at or campaign.created_at) < stall_limit
        and Delivery.objects.filter(campaign=campaign, status__in=[S.QUEUED, S.SENDING]).exists()
    ):
        message = _(
            "Campagne « %(subject)s » : aucun progrès depuis plus de %(minutes)s minutes alors que des envois "
            "restent en attente."
        ) % {"subject": campaign.subject, "minutes": settings.CAMPAIGN_STALL_MINUTES}
        alert = alert_raise(
            kind=Alert.Kind.STALLED, key=f"stalled:{campaign.pk}", message=message, campaign=campaign, url=url
        )
        if alert:
            raised.append(alert)
    return raised


def check_all(*, now=None) -> list[Alert]:
    """Check every campaign still sending, or that had news within the alert window."""
    now = now or timezone.now()
    recent = now - timedelta(minutes=settings.CAMPAIGN_ALERT_WINDOW_MINUTES)
    campaigns = Campaign.objects.filter(
        Q(status__in=[Campaign.Status.QUEUED, Campaign.Status.SENDING])
        | Q(finished_at__gte=recent)
        | Q(deliveries__updated_at__gte=recent)
    ).distinct()
    raised = []
    for campaign in campaigns:
        # Provider events change rows without touching the campaign: recount first, so
        # lists and the stall check read fresh figures.
        sending.campaign_refresh(campaign.pk)
        campaign.refresh_from_db()
        raised += check_campaign(campaign, now=now)
    return raised
