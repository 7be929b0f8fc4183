"""Provider webhooks, failure alerts, stalled campaigns and the daily reconciliation."""

import base64
import datetime
import json

import pytest
import time_machine
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advocacy.campaigns import reconciliation, services, tasks
from advocacy.campaigns.models import Alert, Campaign, Delivery, ProviderEvent, ReconciliationReport
from tests.campaigns.factories import ambassadors

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture
def provider(settings):
    """anymail's test backend: a provider that accepts every message and gives it an id."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.CAMPAIGN_TRACKING_WEBHOOK = "anymail.webhooks.postmark.PostmarkTrackingWebhookView"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:s3cret"}


def send_announcement(curator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.announcement_send(by=curator, subject="Annonce", body="Texte")


def postmark(client, payload):
    auth = base64.b64encode(b"postmark:s3cret").decode()
    return client.post(
        reverse("campaigns:tracking_webhook"),
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_a_postmark_bounce_webhook_marks_the_delivery_bounced(
    client, provider, curator, org, charter, django_capture_on_commit_callbacks
):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    campaign = send_announcement(curator, django_capture_on_commit_callbacks)
    row = campaign.deliveries.get(channel="email")
    assert row.status == S.SENT and row.provider_message_id
    # Postmark's bounce webhook, in its documented format.
    response = postmark(
        client,
        {
            "RecordType": "Bounce",
            "ID": 4323372036854775807,
            "Type": "HardBounce",
            "TypeCode": 1,
            "Name": "Hard bounce",
            "MessageID": row.provider_message_id,
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Email": person.email,
            "From": "ne-pas-repondre@avecpoleemploi.example",
            "BouncedAt": "2026-11-23T10:12:32Z",
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Annonce",
            "MessageStream": "outbound",
        },
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == S.BOUNCED
    assert "unable to deliver" in row.reason
    event = ProviderEvent.objects.get()
    assert (event.event_type, event.delivery_id, event.esp_name) == ("bounced", row.pk, "Postmark")


def test_a_webhook_without_the_shared_secret_is_refused(client, provider):
    response = client.post(reverse("campaigns:tracking_webhook"), data="{}", content_type="application/json")
    assert response.status_code in (400, 401, 403)
    assert not ProviderEvent.objects.exists()


def test_a_delivery_event_marks_the_row_delivered(provider, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(1, unit=org["a-bre-1"], charter=charter)
    campaign = send_announcement(curator, django_capture_on_commit_callbacks)
    row = campaign.deliveries.get(channel="email")
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="delivered", message_id=row.provider_message_id),
        esp_name="Test",
    )
    row.refresh_from_db()
    assert row.status == S.DELIVERED and row.finished_at is not None


def deliver_three_in_four(campaign):
    rows = list(campaign.deliveries.filter(channel="email").order_by("pk"))
    for index, row in enumerate(rows):
        kind = "bounced" if index % 4 == 3 else "delivered"
        tracking.send(
            sender=object,
            event=AnymailTrackingEvent(event_type=kind, message_id=row.provider_message_id, description="Mailbox full"),
            esp_name="Test",
        )


def test_a_provider_delivering_three_in_four_raises_the_alert(
    client, provider, curator, org, charter, django_capture_on_commit_callbacks
):
    ambassadors(40, unit=org["a-bre-1"], charter=charter)
    campaign = send_announcement(curator, django_capture_on_commit_callbacks)
    deliver_three_in_four(campaign)
    mail.outbox.clear()
    assert tasks.check_alerts() == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.campaign) == (Alert.Kind.FAILURE_RATE, campaign)
    campaign.refresh_from_db()
    assert (campaign.delivered_count, campaign.failed_count) == (30, 10)  # recounted by the check
    assert "10 échecs sur 40 e-mails (25.0 %)" in alert.message
    assert [m.to for m in mail.outbox] == [["alertes@avecpoleemploi.example"]]
    # Once is enough: the next check does not raise it again.
    assert tasks.check_alerts() == 0
    # On screen, on the campaign's dashboard.
    client.force_login(curator)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Taux d’échec élevé" in page and "Mailbox full" in page


def test_a_healthy_campaign_raises_no_alert(provider, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(30, unit=org["a-bre-1"], charter=charter)
    campaign = send_announcement(curator, django_capture_on_commit_callbacks)
    for row in campaign.deliveries.filter(channel="email"):
        tracking.send(
            sender=object,
            event=AnymailTrackingEvent(event_type="delivered", message_id=row.provider_message_id),
            esp_name="Test",
        )
    assert tasks.check_alerts() == 0


def test_a_campaign_that_stops_progressing_raises_an_alert(settings, curator, org, charter):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    services.announcement_send(by=curator, subject="Annonce", body="Texte")  # queued, never sent
    assert tasks.check_alerts() == 0
    later = timezone.now() + datetime.timedelta(minutes=settings.CAMPAIGN_STALL_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert tasks.check_alerts() == 1
    assert Alert.objects.get().kind == Alert.Kind.STALLED


def test_reconciliation_reports_every_gap(provider, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(4, unit=org["a-bre-1"], charter=charter)
    campaign = send_announcement(curator, django_capture_on_commit_callbacks)
    rows = list(campaign.deliveries.filter(channel="email").order_by("pk"))
    for row in rows[:2]:
        tracking.send(
            sender=object,
            event=AnymailTrackingEvent(event_type="delivered", message_id=row.provider_message_id),
            esp_name="Test",
        )
    # The provider says a third one bounced, but our row never heard of it (webhook lost).
    ProviderEvent.objects.create(esp_name="Test", event_type="bounced", message_id=rows[2].provider_message_id)
    # And it reports a message we never sent.
    ProviderEvent.objects.create(esp_name="Test", event_type="delivered", message_id="inconnu-42")
    mail.outbox.clear()
    report = reconciliation.reconcile_day(timezone.localdate())
    assert report.checked == 4
    assert report.gaps["no_event"] == [rows[3].pk]
    assert report.gaps["status_mismatch"] == [rows[2].pk]
    assert report.gaps["unknown_message"] == ["inconnu-42"]
    assert report.gap_count == 3
    assert Alert.objects.get().kind == Alert.Kind.RECONCILIATION
    assert ReconciliationReport.objects.count() == 1
    assert Campaign.objects.count() == 1
