"""Writes of the reach app: followed hashtags and file imports. Collected posts are
written by reach.ingestion, which every source calls."""

import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.errors import Conflict, DomainError
from advocacy.reach import hashtags
from advocacy.reach.models import Hashtag, ImportJob


def hashtag_save(*, tag: str, kind: str = Hashtag.Kind.PROGRAMME, is_active: bool = True,
                 hashtag: Hashtag | None = None) -> Hashtag:  # fmt: skip
    """Follow a hashtag (or change one). Two spellings of one tag are one hashtag."""
    written = unicodedata.normalize("NFKC", tag).strip().lstrip("#").strip()
    if hashtags.extract(f"#{written}") != [written]:
        raise DomainError(_("Un hashtag s’écrit d’un seul mot : lettres, chiffres et « _ »."), field="tag")
    if kind not in Hashtag.Kind.values:
        raise DomainError(_("Type de hashtag inconnu."), field="kind")
    normalized = hashtags.normalize(written)
    clash = Hashtag.objects.filter(normalized=normalized)
    if hashtag is not None:
        clash = clash.exclude(pk=hashtag.pk)
    if clash.exists():
        raise Conflict(_("Ce hashtag est déjà suivi, sous une autre graphie peut-être."), field="tag")
    obj = hashtag or Hashtag()
    obj.tag, obj.normalized, obj.kind, obj.is_active = written, normalized, kind, is_active
    obj.save()
    return obj


def import_job_create(*, file, original_name: str, format: str, mapping: dict, default_network: str = "",
                      by=None) -> ImportJob:  # fmt: skip
    """Record an uploaded file and queue its import once the row is committed."""
    from advocacy.reach import importing, tasks

    importing.validate_mapping(mapping)
    if format not in ImportJob.Format.values:
        raise DomainError(_("Format de fichier inconnu."), field="format")
    job = ImportJob(
        original_name=original_name[:255], format=format, mapping=mapping, default_network=default_network,
        created_by=by,
    )  # fmt: skip
    job.file.save(original_name or "import", file, save=False)
    job.bytes_total = job.file.size
    job.save()
    transaction.on_commit(lambda: tasks.import_job_run.delay(job.pk))
    return job


def import_job_claim(*, job_id: int) -> ImportJob | None:
    """Move a pending job to running; None when another worker already took it."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def import_job_open(*, original_name: str, format: str, mapping: dict, default_network: str = "",
                    bytes_total: int = 0, by=None) -> ImportJob:  # fmt: skip
    """Record an import whose file is read in place (the command line); the caller runs it."""
    from advocacy.reach import importing

    importing.validate_mapping(mapping)
    if format not in ImportJob.Format.values:
        raise DomainError(_("Format de fichier inconnu."), field="format")
    return ImportJob.objects.create(
        original_name=original_name[:255], format=format, mapping=mapping, default_network=default_network,
        bytes_total=bytes_total, created_by=by,
    )  # fmt: skip
