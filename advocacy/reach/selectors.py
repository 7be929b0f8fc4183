"""Reads of the reach app, scoped to the requesting person."""

from accounts.access import Role, can
from advocacy.reach.models import ImportJob, ImportRejection


def import_jobs_visible_to(*, user):
    """Imports are the web-social team's tool: curators and admins see every import."""
    if not can(user, Role.CURATOR, Role.ADMIN):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by")


def import_rejections(*, job: ImportJob, limit: int | None = 200):
    rejections = ImportRejection.objects.filter(job=job).order_by("line")
    return rejections[:limit] if limit is not None else rejections
