"""Celery tasks of the reach app: thin, safe to run twice; the work is in the collectors
and in reach.importing."""

from celery import shared_task

from advocacy.reach.collectors import mastodon as mastodon_collector
from advocacy.reach.collectors import x as x_collector


@shared_task(ignore_result=True)
def collect_x(refresh: bool = False):
    # Posts are upserted and since_id only moves forward, so an overlapping run only
    # fetches the same posts twice.
    x_collector.collect_all(refresh=refresh)


@shared_task(ignore_result=True)
def collect_mastodon():
    mastodon_collector.collect_all()


@shared_task(ignore_result=True)
def import_job_run(job_id: int):
    from advocacy.reach import importing

    # The claim (pending -> running) makes a second delivery of this task a no-op.
    importing.import_job_run(job_id=job_id)
