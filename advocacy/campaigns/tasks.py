"""Celery tasks of the campaigns app: thin, take primary keys, safe to run twice.

Retries and their exponential backoff live here; what to send and how to record it
lives in sending.py.
"""

import uuid

from celery import shared_task
from django.conf import settings

from advocacy.campaigns import alerts, crisis, kits, reconciliation, sending, spikes


def backoff(retries: int) -> int:
    """Seconds before the next attempt: base, 2×base, 4×base... capped at six hours."""
    return min(settings.CAMPAIGN_RETRY_BASE_SECONDS * 2**retries, 6 * 3600)


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_chunk(self, campaign_id: int, chunk: int) -> dict:
    # The claim token is the task id: Celery keeps it across retries and redeliveries,
    # so the same task resumes its own rows, and a duplicate (another id) finds none.
    token = self.request.id or uuid.uuid4().hex
    outcome = sending.chunk_send(campaign_id=campaign_id, chunk=chunk, token=token)
    if outcome.transient:
        # `retries` counts the retries already made; attempts = retries + 1.
        if self.request.retries + 1 < settings.CAMPAIGN_MAX_ATTEMPTS:
            # Recount now, whatever the last recount: the chunks that finished meanwhile
            # may all have skipped theirs as too recent, and the counters would otherwise
            # stay behind for the whole backoff.
            sending.campaign_refresh(campaign_id)
            raise self.retry(countdown=backoff(self.request.retries))
        sending.chunk_give_up(campaign_id=campaign_id, chunk=chunk, token=token)
    return {"sent": outcome.sent, "skipped": outcome.skipped, "failed": outcome.failed, "held": outcome.held}


@shared_task
def resume_campaigns() -> int:
    return sending.campaigns_resume()


@shared_task
def check_alerts() -> int:
    return len(alerts.check_all())


@shared_task
def reconcile_deliveries() -> int:
    return reconciliation.reconcile_yesterday().gap_count


@shared_task
def end_due_pauses() -> int:
    return crisis.pauses_end_due()


@shared_task
def detect_spikes() -> int:
    return len(spikes.check_watched_hashtags())


@shared_task
def send_digests(frequency: str) -> int:
    return kits.digests_send(frequency=frequency)


@shared_task
def send_retraction_reminders() -> int:
    return crisis.retraction_reminders_send()
