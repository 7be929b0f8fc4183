"""Periodic work of the ambassador portal: writing buffered clicks, forgetting old salts."""

from celery import shared_task

from advocacy.sharing import buffer, clicks, services


@shared_task
def drain_clicks() -> int:
    """Write the buffered click events (safe to run twice at once: see advocacy.sharing.buffer)."""
    return buffer.drain(services.clicks_store)


@shared_task
def purge_salts() -> int:
    return clicks.salts_purge()
