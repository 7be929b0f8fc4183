"""Celery tasks of the reach app: thin, safe to run twice; the work is in the collectors
and in reach.importing."""

from celery import shared_task

from advocacy.reach.collectors import BUSY, CLAIM_DURATION
from advocacy.reach.collectors import mastodon as mastodon_collector
from advocacy.reach.collectors import x as x_collector

# A minute apart, for longer than a dead worker's claim lasts (collectors.CLAIM_DURATION).
REFRESH_RETRY_SECONDS = 60
REFRESH_RETRIES = int(CLAIM_DURATION.total_seconds() // REFRESH_RETRY_SECONDS) + 2


@shared_task(bind=True, ignore_result=True, max_retries=REFRESH_RETRIES)
def collect_x(self, refresh: bool = False, only: list[str] | None = None):
    # Each query is claimed by one run at a time; an overlapping run skips the queries
    # another holds. A skipped regular run changes nothing (the next comes in a few
    # minutes), but the refresh comes every six hours and beat queues it with a regular
    # run: it retries the queries it found busy a minute later.
    results = x_collector.collect_all(refresh=refresh, only=only)
    busy = [key for key, outcome in results.items() if outcome == BUSY]
    if refresh and busy:
        raise self.retry(kwargs={"refresh": True, "only": busy}, countdown=REFRESH_RETRY_SECONDS)


@shared_task(bind=True, ignore_result=True, max_retries=REFRESH_RETRIES)
def collect_mastodon(self, refresh: bool = False, only: list[str] | None = None):
    # As collect_x: the refresh retries, a minute later, the queries a regular run held.
    results = mastodon_collector.collect_all(refresh=refresh, only=only)
    busy = [key for key, outcome in results.items() if outcome == BUSY]
    if refresh and busy:
        raise self.retry(kwargs={"refresh": True, "only": busy}, countdown=REFRESH_RETRY_SECONDS)


@shared_task(ignore_result=True)
def import_job_run(job_id: int):
    from advocacy.reach import importing

    # The claim (pending -> running) makes a second delivery of this task a no-op.
    importing.import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def import_jobs_recover():
    from advocacy.reach import services

    # Each give-up is a conditional UPDATE on the job's claim: two overlapping runs give a
    # job up once.
    services.import_jobs_recover()


@shared_task(ignore_result=True)
def reattribute_recent(days: int = 90):
    """Let posts of the last `days` count for a person who declared their handle after
    posting (upgrade only: see reach.attribution)."""
    from datetime import timedelta

    from django.utils import timezone

    from advocacy.reach import attribution
    from advocacy.reach.models import SocialPost

    attribution.reattribute(posts=SocialPost.objects.filter(posted_at__gte=timezone.now() - timedelta(days=days)))


@shared_task(ignore_result=True)
def reattribute_handle(handle_id: int):
    """Let the earlier posts of a newly declared account count for its owner (upgrade only,
    so running it twice changes nothing more)."""
    from accounts.models import SocialHandle
    from advocacy.reach import attribution

    handle = SocialHandle.objects.filter(pk=handle_id).first()
    if handle is None:  # removed since: the person left the programme or deleted it
        return
    attribution.reattribute_handle(handle=handle)


# --- Roll-ups and reports -------------------------------------------------------------


@shared_task(ignore_result=True)
def rollup_refresh():
    # Whole days are recomputed (delete + insert in one transaction), a bounded number per
    # pass; a claim on RollupState keeps two passes from computing the same day at once.
    from advocacy.reach import rollups

    rollups.rollup_refresh()


@shared_task(ignore_result=True)
def tags_mark_dirty(tags: list[str]):
    # Marking a day twice only refreshes its mark; the next refresh recomputes the days.
    from advocacy.reach import rollups

    rollups.tags_mark_dirty(tags)


@shared_task(ignore_result=True)
def monthly_reports_send():
    from advocacy.reach import monthly
    from advocacy.reach.forms_reports import previous_month

    # One claim row per manager and month: a second run sends nothing twice. The month
    # travels with each task, so that a retry on the 1st of the next month still sends
    # this month's report.
    month = previous_month().start
    for manager_id in monthly.managers_due(month=month):
        monthly_report_send.delay(manager_id, month.isoformat())


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def monthly_report_send(manager_id: int, month: str | None = None):
    from datetime import date

    from advocacy.reach import monthly

    monthly.monthly_report_send(manager_id=manager_id, month=date.fromisoformat(month) if month else None)
