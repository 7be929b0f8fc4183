"""Sending a campaign: chunks, claims, retries, preferences, SMTP failures."""

import datetime

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from accounts import services as account_services
from accounts.models import NotificationPreference
from advocacy.campaigns import delivery, sending, services, tasks
from advocacy.campaigns.models import Campaign, Delivery, Notification
from tests.campaigns.factories import ambassadors
from tests.campaigns.fake_smtp import closed_port

S = Delivery.Status
pytestmark = pytest.mark.django_db


def announce(curator, **kwargs):
    fields = {"subject": "Semaine de l’emploi", "body": "Une nouvelle semaine commence."} | kwargs
    return services.announcement_send(by=curator, **fields)


def emails_of(campaign, status=None):
    rows = Delivery.objects.filter(campaign=campaign, channel="email")
    return rows.filter(status=status) if status else rows


def test_announcement_is_personal_signed_and_carries_unsubscribe_headers(
    curator, org, charter, django_capture_on_commit_callbacks
):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter, first_name="Awa")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.body.startswith("Bonjour Awa,")
    assert curator.get_full_name() in message.body
    assert message.reply_to == ["web-social@avecpoleemploi.example"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/desinscription/" in message.extra_headers["List-Unsubscribe"]
    assert emails_of(campaign, S.SENT).count() == 1
    assert Notification.objects.get(recipient=person).title == "Semaine de l’emploi"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    assert (campaign.recipient_count, campaign.sent_count, campaign.delivered_count) == (1, 1, 0)


def test_announcement_targets_units_and_job_functions(curator, org, charter, django_capture_on_commit_callbacks):
    (in_brittany,) = ambassadors(1, unit=org["a-bre-2"], charter=charter)
    ambassadors(1, unit=org["a-occ-1"], charter=charter)
    ambassadors(1, unit=org["a-bre-1"], charter=charter, job_function="psychologue")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator, units=[org["dr-bre"]], job_functions=["conseiller_emploi"])
    assert set(campaign.deliveries.values_list("recipient_id", flat=True)) == {in_brittany.pk}


def test_recipients_are_queued_in_chunks(settings, curator, org, charter):
    settings.CAMPAIGN_CHUNK_SIZE = 2
    ambassadors(5, unit=org["a-bre-1"], charter=charter)
    campaign = announce(curator)
    chunks = sorted(set(campaign.deliveries.values_list("chunk", flat=True)))
    assert chunks == [0, 1, 2]
    assert campaign.deliveries.count() == 10  # e-mail and portal for each
    assert campaign.deliveries.filter(status=S.QUEUED).count() == 10


def test_no_email_preference_gets_the_portal_only(curator, org, charter, django_capture_on_commit_callbacks):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter, preference=NotificationPreference.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    assert mail.outbox == []
    assert list(campaign.deliveries.values_list("channel", "status")) == [("portal", S.DELIVERED)]
    assert Notification.objects.filter(recipient=person).exists()


def test_people_who_opted_out_after_queueing_are_skipped_and_counted(
    curator, org, charter, django_capture_on_commit_callbacks
):
    leaver, unsubscribed, stays = ambassadors(3, unit=org["a-bre-1"], charter=charter)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign = announce(curator)
    account_services.programme_leave(user=leaver)
    account_services.profile_update(user=unsubscribed, notification_preference=NotificationPreference.NONE)
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[stays.email]]
    skipped = dict(
        campaign.deliveries.filter(status=S.SKIPPED).values_list("recipient_id", "reason").order_by("recipient_id")
    )
    assert skipped == {leaver.pk: "a quitté le programme", unsubscribed.pk: "désinscrit·e des e-mails"}
    assert campaign.deliveries.filter(recipient=unsubscribed, channel="portal", status=S.DELIVERED).exists()
    campaign.refresh_from_db()
    assert campaign.skipped_count == 3  # the leaver's two channels and the unsubscribed e-mail


def test_a_duplicated_task_never_sends_twice(curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(3, unit=org["a-bre-1"], charter=charter)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    assert len(mail.outbox) == 3
    tasks.send_chunk.apply(args=(campaign.pk, 0), task_id="another-task")
    tasks.send_chunk.apply(args=(campaign.pk, 0))
    assert len(mail.outbox) == 3
    assert campaign.deliveries.filter(attempts=1).count() == 6


def test_rows_claimed_by_another_task_are_left_alone_and_resumed_by_their_owner(curator, org, charter):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = announce(curator)  # callbacks not run: nothing sent yet
    assert delivery.claim(campaign_id=campaign.pk, chunk=0, token="first-task") == 4
    outcome = sending.chunk_send(campaign_id=campaign.pk, chunk=0, token="duplicate-task")
    assert (outcome.claimed, outcome.sent, len(mail.outbox)) == (0, 0, 0)
    # The first task redelivered after its worker died resumes its own claim.
    outcome = sending.chunk_send(campaign_id=campaign.pk, chunk=0, token="first-task")
    assert (outcome.sent, outcome.portal, len(mail.outbox)) == (2, 2, 2)


def _later(minutes):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def test_stale_claims_go_back_to_the_queue(settings, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(1, unit=org["a-bre-1"], charter=charter)
    campaign = announce(curator)
    delivery.claim(campaign_id=campaign.pk, chunk=0, token="dead-worker")
    with _later(settings.CAMPAIGN_CLAIM_TIMEOUT_MINUTES + 1), django_capture_on_commit_callbacks(execute=True):
        assert sending.campaigns_resume() == 1
    assert len(mail.outbox) == 1
    assert emails_of(campaign, S.SENT).count() == 1


def test_chunks_whose_task_was_lost_are_sent_again(settings, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = announce(curator)  # the chunk task never ran (lost with a dead worker)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.campaigns_resume() == 0  # not stalled yet
    with _later(settings.CAMPAIGN_CLAIM_TIMEOUT_MINUTES + 1), django_capture_on_commit_callbacks(execute=True):
        assert sending.campaigns_resume() == 1
    assert len(mail.outbox) == 2
    assert emails_of(campaign, S.SENT).count() == 2


def test_connection_refused_is_retried_with_backoff_then_fails(
    settings, curator, org, charter, django_capture_on_commit_callbacks, eager_retries
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.CAMPAIGN_MAX_ATTEMPTS = 3
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    failed = emails_of(campaign, S.FAILED)
    assert failed.count() == 2
    assert all(row.attempts == 3 for row in failed)
    assert all(row.reason.startswith("échec temporaire persistant (Connexion impossible") for row in failed)
    # The portal channel does not depend on mail.
    assert campaign.deliveries.filter(channel="portal", status=S.DELIVERED).count() == 2


def test_backoff_doubles_each_time(settings):
    settings.CAMPAIGN_RETRY_BASE_SECONDS = 60
    assert [tasks.backoff(n) for n in range(4)] == [60, 120, 240, 480]


def test_transient_4xx_is_retried_and_then_sent(
    smtp_server, curator, org, charter, django_capture_on_commit_callbacks, eager_retries
):
    first, second = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    smtp_server.fail_first = {first.email: 1}
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    rows = {row.recipient_id: row for row in emails_of(campaign)}
    assert rows[first.pk].status == S.SENT and rows[first.pk].attempts == 2
    assert rows[second.pk].status == S.SENT and rows[second.pk].attempts == 1
    assert smtp_server.count_by_recipient == {first.email: 1, second.email: 1}


def test_counters_are_true_while_a_chunk_waits_for_its_retry(smtp_server, curator, org, charter):
    first, second = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    smtp_server.fail_first = {first.email: 1}
    campaign = sending.campaign_create(kind=Campaign.Kind.ANNOUNCEMENT, subject="Objet", body="Texte", sender=curator)
    sending.campaign_queue(campaign=campaign, recipients=[(first.pk, True), (second.pk, True)])
    # Another chunk recounted a moment ago: this one's own recount is skipped as too recent.
    Campaign.objects.filter(pk=campaign.pk).update(counted_at=timezone.now())
    chunk = emails_of(campaign).values_list("chunk", flat=True).first()
    with pytest.raises(Retry):  # eager tasks propagate the retry in tests
        tasks.send_chunk.apply(args=(campaign.pk, chunk))
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.status) == (1, Campaign.Status.SENDING)


def test_permanent_5xx_fails_at_once_and_others_are_sent(
    smtp_server, curator, org, charter, django_capture_on_commit_callbacks
):
    unknown, known = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    smtp_server.rules = {unknown.email: "550 5.1.1 user unknown"}
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    rows = {row.recipient_id: row for row in emails_of(campaign)}
    assert rows[unknown.pk].status == S.FAILED
    assert rows[unknown.pk].attempts == 1
    assert "550" in rows[unknown.pk].reason
    assert rows[known.pk].status == S.SENT
    assert dict(smtp_server.count_by_recipient) == {known.email: 1}
    message = smtp_server.messages[0][2]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Reply-To"] == "web-social@avecpoleemploi.example"
    assert rows[known.pk].provider_message_id == message["Message-ID"]


def test_invalid_address_is_a_permanent_failure(curator, org, charter, django_capture_on_commit_callbacks):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    type(person).objects.filter(pk=person.pk).update(email="pas-une-adresse\n@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = announce(curator)
    row = emails_of(campaign).get()
    assert row.status == S.FAILED and row.attempts == 1


def test_a_recipient_listed_twice_is_counted_once_and_gets_one_row_per_channel(curator, org, charter):
    first, second = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = sending.campaign_create(kind=Campaign.Kind.ANNOUNCEMENT, subject="Objet", body="Texte", sender=curator)
    count = sending.campaign_queue(
        campaign=campaign, recipients=[(first.pk, False), (second.pk, True), (first.pk, True), (second.pk, True)]
    )
    assert count == campaign.recipient_count == 2
    rows = sorted(campaign.deliveries.values_list("recipient_id", "channel"))
    assert rows == sorted([(first.pk, "portal"), (first.pk, "email"), (second.pk, "portal"), (second.pk, "email")])


def test_the_sent_marker_moves_only_the_rows_its_task_holds(curator, org, charter):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = announce(curator)
    delivery.claim(campaign_id=campaign.pk, chunk=0, token="mine")
    mine, other = emails_of(campaign).order_by("pk")
    Delivery.objects.filter(pk=other.pk).update(claim_token="another-task")
    with delivery.sent_marker(token="mine") as mark_sent:
        assert mark_sent(mine.pk, "<id-1@example.org>") == 1
        assert mark_sent(mine.pk, "<id-1@example.org>") == 0  # already sent
        assert mark_sent(other.pk, "<id-2@example.org>") == 0
    mine.refresh_from_db()
    assert (mine.status, mine.provider_message_id, mine.reason) == (S.SENT, "<id-1@example.org>", "")
    assert mine.sent_at is not None and mine.updated_at >= mine.queued_at
    assert emails_of(campaign, S.SENT).get() == mine


def test_counters_are_recounted_every_few_seconds_and_when_the_campaign_ends(
    settings, curator, org, charter, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_CHUNK_SIZE = 1
    ambassadors(4, unit=org["a-bre-1"], charter=charter)
    with django_capture_on_commit_callbacks(execute=False):
        campaign = announce(curator)

    def sent_and_status_after(chunk):
        sending.chunk_send(campaign_id=campaign.pk, chunk=chunk, token=f"task-{chunk}")
        campaign.refresh_from_db()
        return campaign.sent_count, campaign.status

    assert sent_and_status_after(0) == (1, Campaign.Status.SENDING)  # the first chunk recounts
    assert sent_and_status_after(1) == (1, Campaign.Status.SENDING)  # too soon to recount
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=6), tick=False):
        assert sent_and_status_after(2) == (3, Campaign.Status.SENDING)
        assert sent_and_status_after(3) == (4, Campaign.Status.FINISHED)  # nothing left: recounted at once
