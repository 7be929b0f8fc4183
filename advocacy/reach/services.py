"""Writes of the reach app: followed hashtags, file imports and what the admin changes on
collector states. Collected posts are written by reach.ingestion, which every source calls."""

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from advocacy.errors import Conflict, DomainError
from advocacy.reach import hashtags
from advocacy.reach.models import (
    CollectionGap,
    CollectorState,
    Hashtag,
    ImportJob,
    ImportRejection,
    SocialPost,
    unclaimed,
)

logger = logging.getLogger(__name__)


def hashtag_save(*, tag: str, kind: str = Hashtag.Kind.PROGRAMME, is_active: bool = True,
                 hashtag: Hashtag | None = None) -> Hashtag:  # fmt: skip
    """Follow a hashtag (or change one). Two spellings of one tag are one hashtag.

    The roll-ups leave out posts that carry only watched tags (rollups.programme_posts):
    when this save changes which tags are watched (a kind changed, a watched hashtag
    respelt as another tag, a new watched hashtag already on stored posts), the days
    those posts were published are marked for recomputation, in the background once
    the change is committed (it reads every post carrying the tags).
    """
    from advocacy.reach import rollups

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
    watched_before = rollups.watched_tags()
    obj = hashtag or Hashtag()
    obj.tag, obj.normalized, obj.kind, obj.is_active = written, normalized, kind, is_active
    obj.save()
    changed = watched_before ^ rollups.watched_tags()
    if changed:
        transaction.on_commit(partial(_queue_tags_recount, sorted(changed)))
    return obj


def _queue_tags_recount(tags: list[str]) -> None:
    from advocacy.reach import rollups, tasks

    try:
        tasks.tags_mark_dirty.delay(tags)
    except BrokerError:
        # The change is committed, and nothing else would ask for these days again (saving
        # the hashtag once more changes no kind): mark them here, slower but not lost.
        logger.warning("Celery broker unreachable: marking the days of %s in the request", tags, exc_info=True)
        rollups.tags_mark_dirty(tags)


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
    """Move a pending job to running; None when another worker already took it.

    The returned job's `attempts` identifies this run: every later write of the run is
    conditional on it (see import_job_still_mine).
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def import_job_still_mine(job: ImportJob):
    """The job's row while the run that claimed `job` still owns it (an empty queryset once
    recovery gave that run up): the filter for every write the run makes."""
    return ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts)


def import_job_finish(*, job: ImportJob, error: str = "") -> bool:
    """End the run that claimed `job`: done, or failed with `error` (shown on the page).

    False when recovery gave the run up meanwhile; the job is then its successor's.
    """
    now = timezone.now()
    return bool(
        import_job_still_mine(job).update(
            status=ImportJob.Status.FAILED if error else ImportJob.Status.DONE,
            error=error[:2000],
            finished_at=now,
            heartbeat_at=now,
        )
    )


@dataclass
class Recovered:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def import_jobs_recover(*, now=None) -> Recovered:
    """Give up the runs of imports that show no sign of life for REACH_IMPORT_STALE_MINUTES.

    A worker that dies (out of memory, a restart, a lost machine) leaves its job running,
    and the broker's redelivery of the task finds it claimed and does nothing. An uploaded
    file is imported again from the start (the import is idempotent) up to
    REACH_IMPORT_MAX_ATTEMPTS runs, then the job fails with its reason. A command-line
    import beats while its process lives, so only a dead one is failed; it cannot be
    restarted from here, since we do not keep its file.
    """
    now = now or timezone.now()
    minutes = settings.REACH_IMPORT_STALE_MINUTES
    silent_before = now - timedelta(minutes=minutes)
    # Jobs claimed before heartbeats existed have only their start.
    silent = Q(heartbeat_at__lt=silent_before) | Q(heartbeat_at__isnull=True, started_at__lt=silent_before)
    result = Recovered()
    stale = ImportJob.objects.filter(silent, status=ImportJob.Status.RUNNING).order_by("pk")
    for job in stale.only("pk", "attempts", "file"):
        with transaction.atomic():
            # Conditional on the silence still holding: a batch written since wins the race.
            mine = import_job_still_mine(job).filter(silent)
            if not job.runs_in_process and job.attempts < settings.REACH_IMPORT_MAX_ATTEMPTS:
                if mine.update(status=ImportJob.Status.PENDING, started_at=None, heartbeat_at=None, **_FRESH_COUNTS):
                    # Run again from the start, so its rejected rows are found again.
                    ImportRejection.objects.filter(job_id=job.pk).delete()
                    transaction.on_commit(partial(_queue_import, job.pk))
                    result.requeued.append(job.pk)
                continue
            if job.runs_in_process:
                reason = _(
                    "L’import lancé en ligne de commande s’est arrêté sans finir : aucun signe de vie depuis "
                    "%(minutes)d minutes. Les publications déjà lues sont enregistrées ; relancez la commande avec "
                    "le même fichier pour terminer, cela ne crée aucun doublon."
                ) % {"minutes": minutes}
            else:
                reason = _(
                    "Le traitement de l’import s’est arrêté sans finir, %(attempts)d fois de suite (aucun progrès "
                    "pendant %(minutes)d minutes). Les publications déjà lues sont enregistrées ; importez de "
                    "nouveau le même fichier pour terminer, cela ne crée aucun doublon."
                ) % {"attempts": job.attempts, "minutes": minutes}
            if mine.update(status=ImportJob.Status.FAILED, error=reason, finished_at=now):
                result.failed.append(job.pk)
    if result.requeued or result.failed:
        logger.warning("import jobs given up: requeued %s, failed %s", result.requeued, result.failed)
    return result


_FRESH_COUNTS = dict.fromkeys(
    ("bytes_read", "rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected"), 0
)


def _queue_import(job_id: int) -> None:
    from advocacy.reach import tasks

    tasks.import_job_run.delay(job_id)


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


# --- Collector states (admin) -------------------------------------------------------------

LARGEST_ID = 2**63 - 1  # both networks' ids are signed 64-bit numbers


def _id_time(*, source: str, status_id: int) -> datetime:
    from advocacy.reach.collectors import mastodon, x

    network = x if source == SocialPost.Source.X_API else mastodon
    return network.snowflake_time(status_id)


def collector_cursor_check(*, source: str, since_id: str, now: datetime | None = None) -> None:
    """Check a since_id typed in the admin, or raise DomainError on the field.

    Empty is allowed: the next run reads all the API still offers. Otherwise it must be
    the id of a post (digits, 64 bits) of the past, and for X of the last seven days,
    the only ones recent search accepts.
    """
    if not since_id:
        return
    if not since_id.isdigit() or not since_id.isascii():
        raise DomainError(_("Un identifiant de publication ne contient que des chiffres."), field="since_id")
    status_id = int(since_id)
    if status_id > LARGEST_ID:
        raise DomainError(_("Cet identifiant est trop grand pour être celui d’une publication."), field="since_id")
    now = now or timezone.now()
    posted = _id_time(source=source, status_id=status_id)
    when = formats.date_format(timezone.localtime(posted), "SHORT_DATETIME_FORMAT")
    if posted > now + timedelta(minutes=5):
        raise DomainError(
            _("Cet identifiant est celui d’une publication à venir (%(date)s) : la collecte ne lirait rien avant.")
            % {"date": when},
            field="since_id",
        )
    if source == SocialPost.Source.X_API and posted < now - timedelta(days=7):
        raise DomainError(
            _(
                "X n’accepte que l’identifiant d’une publication des 7 derniers jours (celle-ci date du %(date)s). "
                "Laissez le champ vide pour relire les 7 derniers jours."
            )
            % {"date": when},
            field="since_id",
        )


def collector_cursor_set(*, state: CollectorState, since_id: str, claims_seen: int) -> bool:
    """Make the next run of the query start after `since_id` (checked by
    collector_cursor_check); False when a run collected the query since `claims_seen`
    was read, or holds it now: the admin's value would overwrite the run's.

    The gap a stopped run left (until_id) is dropped with the old cursor it belonged to,
    and the claim count moves on, so a run given up for dead cannot write over the new
    cursor when it wakes up (its writes are conditional on its own count).
    """
    collector_cursor_check(source=state.source, since_id=since_id)
    return bool(
        CollectorState.objects.filter(unclaimed(timezone.now()), pk=state.pk, claims=claims_seen).update(
            since_id=since_id, until_id="", next_since_id="", claims=F("claims") + 1
        )
    )


def collector_cursors_reset(*, states) -> tuple[int, int]:
    """Forget where these queries stand: their next runs read all the API still offers
    (X: seven days; Mastodon: up to 25 pages back). Returns (reset, busy): a query a run
    holds is left alone."""
    ids = [state.pk for state in states]
    reset = CollectorState.objects.filter(unclaimed(timezone.now()), pk__in=ids).update(
        since_id="", until_id="", next_since_id="", claims=F("claims") + 1
    )
    return reset, len(ids) - reset


def collector_pauses_lift(*, states) -> int:
    """End the pause of these queries and of every query sharing their limit (an X app,
    a Mastodon instance: see collectors.query_scope): the next runs collect them. For
    when the limit is known to be over sooner, a new month on the X plan say."""
    from advocacy.reach.collectors import query_scope

    scope = Q()
    for prefix in {query_scope(state.key) for state in states}:
        scope |= Q(key__startswith=prefix)
    if not scope:
        return 0
    # A pause already over holds nothing (query_claim lets its query run and clears it):
    # lifting it would report a query freed that the next run collects anyway.
    running = CollectorState.objects.filter(scope, resume_at__gt=timezone.now())
    return running.update(resume_at=None, pause_reason="")


def collection_gap_record(*, state: CollectorState, tag: str, starts_at: datetime | None, ends_at: datetime):
    """Record that the query of `state` can no longer read what was published from
    `starts_at` to `ends_at` (see CollectionGap); nothing when that stretch is empty, as
    for a quiet hashtag whose last post is old but whose query was read all along.

    One outage is one gap: a run that stops before reading any post leaves the refused
    cursor, so the next run records the same stretch again, a little longer. It extends the
    open gap it overlaps instead, and leaves out what a gap marked filled already covers
    (its posts were imported). Runs of one query never overlap (query_claim)."""
    if starts_at is None:
        return None
    gaps = CollectionGap.objects.filter(
        source=state.source, key=state.key, starts_at__lte=ends_at, ends_at__gte=starts_at
    ).order_by("starts_at")
    for filled in gaps.filter(filled_at__isnull=False):
        if filled.starts_at <= starts_at:
            starts_at = max(starts_at, filled.ends_at)
    if starts_at >= ends_at:
        return None
    gap = gaps.filter(filled_at__isnull=True).first()
    if gap is not None:
        gap.starts_at, gap.ends_at = min(gap.starts_at, starts_at), max(gap.ends_at, ends_at)
        gap.save(update_fields=["starts_at", "ends_at"])
        return gap
    gap = CollectionGap.objects.create(
        source=state.source, key=state.key, tag=tag, starts_at=starts_at, ends_at=ends_at
    )
    logger.warning(
        "%s: posts published from %s to %s could not be collected (recorded for the reports)",
        state.key, starts_at.isoformat(), ends_at.isoformat(),
    )  # fmt: skip
    return gap


def collection_gaps_fill(*, gaps, by) -> int:
    """Mark these gaps filled (their posts imported from a listening tool): the reports no
    longer warn about them. Returns how many were still open."""
    return CollectionGap.objects.filter(pk__in=[gap.pk for gap in gaps], filled_at__isnull=True).update(
        filled_at=timezone.now(), filled_by=by
    )
