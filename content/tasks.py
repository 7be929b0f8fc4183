"""Scheduled work of the content library: publishing and expiring kits on time."""

from celery import shared_task

from content import workflow


@shared_task
def publish_due_kits() -> int:
    return workflow.publish_due_kits()


@shared_task
def expire_due_kits() -> int:
    return workflow.expire_due_kits()
