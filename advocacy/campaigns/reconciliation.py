"""Provider events and the daily reconciliation.

anymail's `tracking` signal lands in `tracking_event_record`: the event is stored as
received and applied to the delivery rows it names (through delivery.py). Once a day,
`reconcile_day` compares the rows sent that day with the stored events and reports
every gap, so the figures we publish are reconciled, never guessed.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.campaigns import delivery
from advocacy.campaigns.models import Alert, Delivery, ProviderEvent, ReconciliationReport

FINAL_EVENTS = frozenset(delivery.PROVIDER_OUTCOMES)


def tracking_event_record(*, event, esp_name: str) -> ProviderEvent:
    """Store one anymail tracking event and apply it to the matching delivery rows."""
    message_id = str(event.message_id or "")
    row = (
        Delivery.objects.filter(provider_message_id=message_id, channel=Delivery.Channel.EMAIL).only("pk").first()
        if message_id
        else None
    )
    stored = ProviderEvent.objects.create(
        esp_name=esp_name[:40],
        event_type=str(event.event_type or "unknown")[:30],
        event_id=str(event.event_id or "")[:255],
        message_id=message_id[:255],
        recipient=str(event.recipient or "")[:254],
        description=str(event.description or event.mta_response or event.reject_reason or "")[:500],
        occurred_at=event.timestamp,
        delivery=row,
    )
    reason = " — ".join(str(p) for p in (event.reject_reason, event.description or event.mta_response) if p)
    delivery.apply_provider_event(message_id=message_id, event_type=stored.event_type, reason=reason)
    return stored


def provider_tracks() -> bool:
    """True when a provider reports delivery events to us (anymail and its webhook)."""
    return bool(settings.CAMPAIGN_TRACKING_WEBHOOK) or settings.EMAIL_BACKEND.startswith("anymail.")


def _bounds(day: date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def reconcile_day(day: date) -> ReconciliationReport:
    """Compare the e-mails sent on `day` with the provider's events about them."""
    start, end = _bounds(day)
    rows = Delivery.objects.filter(channel=Delivery.Channel.EMAIL, sent_at__gte=start, sent_at__lt=end).exclude(
        provider_message_id=""
    )
    by_message = {mid: (pk, status) for pk, mid, status in rows.values_list("pk", "provider_message_id", "status")}
    events = ProviderEvent.objects.filter(
        Q(message_id__in=list(by_message)) | Q(received_at__gte=start, received_at__lt=end + timedelta(days=1))
    ).order_by("received_at")
    final: dict[str, str] = {}
    orphans = []
    for message_id, event_type in events.values_list("message_id", "event_type"):
        if message_id not in by_message:
            if event_type in FINAL_EVENTS:
                orphans.append(message_id)
            continue
        if event_type in FINAL_EVENTS:
            final[message_id] = event_type
    no_event, mismatched = [], []
    tracks = provider_tracks()
    for message_id, (pk, status) in by_message.items():
        outcome = final.get(message_id)
        if outcome is None:
            # Without a provider reporting back (plain SMTP), silence is not a gap.
            if tracks:
                no_event.append(pk)
        elif delivery.PROVIDER_OUTCOMES[outcome] != status:
            mismatched.append(pk)
    gaps = {
        "no_event": no_event[:500],
        "status_mismatch": mismatched[:500],
        "unknown_message": sorted(set(orphans))[:500],
    }
    gap_count = len(no_event) + len(mismatched) + len(set(orphans))
    report, _created = ReconciliationReport.objects.update_or_create(
        day=day, defaults={"checked": len(by_message), "gaps": gaps, "gap_count": gap_count}
    )
    if gap_count:
        from advocacy.campaigns.alerts import alert_raise

        alert_raise(
            kind=Alert.Kind.RECONCILIATION,
            key=f"reconciliation:{day.isoformat()}",
            message=_(
                "Rapprochement du %(day)s : %(gaps)s écarts sur %(checked)s e-mails (sans nouvelle du fournisseur : "
                "%(no_event)s, statut divergent : %(mismatched)s, événement inconnu : %(orphans)s)."
            )
            % {
                "day": day.strftime("%d/%m/%Y"),
                "gaps": gap_count,
                "checked": len(by_message),
                "no_event": len(no_event),
                "mismatched": len(mismatched),
                "orphans": len(set(orphans)),
            },
            url=reverse("campaigns:reconciliation"),
        )
    return report


def reconcile_yesterday() -> ReconciliationReport:
    return reconcile_day(timezone.localdate() - timedelta(days=1))
