from celery import shared_task

from accounts import services


@shared_task
def purge_sessions() -> tuple[int, int]:
    return services.sessions_purge()
