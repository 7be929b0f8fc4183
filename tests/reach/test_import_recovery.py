"""Imports whose worker died: given up after REACH_IMPORT_STALE_MINUTES of silence,
imported again from the start or failed with their reason; live runs are left alone."""

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from advocacy.reach import importing, services
from advocacy.reach.models import ImportJob, ImportRejection, SocialPost

CONTENT = (
    "Réseau;ID;Date;Texte\n"
    "x;1;23/11/2026 14:05;Bravo #AvecPôleEmploi\n"
    "x;2;23/11/2026 14:06;Forum #AvecPoleEmploi\n"
    "x;3;pas une date;#AvecPôleEmploi\n"
)
MAPPING = {"network": "Réseau", "external_id": "ID", "posted_at": "Date", "text": "Texte"}


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def dead_run(db, programme_tag, django_capture_on_commit_callbacks):
    """An uploaded import claimed by a worker that died after its first batch."""
    with django_capture_on_commit_callbacks(execute=False):  # the worker never gets the task
        job = services.import_job_create(
            file=SimpleUploadedFile("export.csv", CONTENT.encode()), original_name="export.csv", format="csv",
            mapping=MAPPING,
        )  # fmt: skip
    job = services.import_job_claim(job_id=job.pk)
    importing.job_saver(job)(importing.Progress(bytes_read=40, rows_read=1, created=1, rejections=[(4, "vu")]))
    return job


def test_a_silent_import_is_imported_again_from_the_start(dead_run, django_capture_on_commit_callbacks):
    from advocacy.reach import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_jobs_recover.delay()  # too early: the run may still be alive
    assert ImportJob.objects.get().status == ImportJob.Status.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        recovered = services.import_jobs_recover(now=later(16))

    job = ImportJob.objects.get()
    assert recovered.requeued == [job.pk]
    assert (job.status, job.attempts, job.rows_read, job.rows_created) == (ImportJob.Status.DONE, 2, 3, 2)
    # The rejected rows are those of the new run, each once.
    assert list(ImportRejection.objects.values_list("line", flat=True)) == [4]
    assert SocialPost.objects.count() == 2


def test_the_page_says_the_import_was_restarted(client, curator, dead_run):
    services.import_jobs_recover(now=later(16))  # its task is left queued
    client.force_login(curator)
    page = client.get(reverse("reach_import_detail", args=[dead_run.pk])).content.decode()
    assert "En attente" in page and "relancé automatiquement depuis le début" in page


def test_an_import_whose_batches_keep_coming_is_left_alone(dead_run):
    importing.job_saver(dead_run)(importing.Progress(bytes_read=80, rows_read=2, created=2))
    assert services.import_jobs_recover(now=later(10)).requeued == []
    assert ImportJob.objects.get().status == ImportJob.Status.RUNNING


def test_after_the_last_attempt_the_job_fails_with_its_reason_on_the_page(client, curator, dead_run, settings):
    settings.REACH_IMPORT_MAX_ATTEMPTS = 1

    recovered = services.import_jobs_recover(now=later(16))

    job = ImportJob.objects.get()
    assert recovered.failed == [job.pk] and job.status == ImportJob.Status.FAILED
    client.force_login(curator)
    page = client.get(reverse("reach_import_detail", args=[job.pk])).content.decode()
    assert "Échec" in page and "s’est arrêté sans finir, 1 fois de suite" in page
    assert "importez de nouveau le même fichier" in page and "hx-get" not in page


def test_a_run_given_up_for_dead_cannot_overwrite_its_successor(dead_run, django_capture_on_commit_callbacks):
    services.import_jobs_recover(now=later(16))  # queued again, not run yet
    successor = services.import_job_claim(job_id=dead_run.pk)
    importing.job_saver(successor)(importing.Progress(bytes_read=10, rows_read=1, created=0, unchanged=1))

    # The first run wakes up: its next batch and its end are refused.
    with pytest.raises(importing.RunGivenUp):
        importing.job_saver(dead_run)(importing.Progress(bytes_read=999, rows_read=3, rejections=[(9, "tard")]))
    assert services.import_job_finish(job=dead_run) is False

    job = ImportJob.objects.get()
    assert (job.status, job.attempts, job.rows_read, job.bytes_read) == (ImportJob.Status.RUNNING, 2, 1, 10)
    assert not ImportRejection.objects.exists()


def test_a_dead_command_line_import_fails_and_is_never_restarted(programme_tag):
    job = services.import_job_open(original_name="export.csv", format="csv", mapping=MAPPING)
    services.import_job_claim(job_id=job.pk)

    recovered = services.import_jobs_recover(now=later(16))

    job.refresh_from_db()
    assert recovered.failed == [job.pk] and job.status == ImportJob.Status.FAILED
    assert "ligne de commande" in job.error and "relancez la commande" in job.error


@pytest.mark.django_db(transaction=True)
def test_a_live_command_line_import_keeps_beating_between_batches(programme_tag):
    job = services.import_job_open(original_name="lent.csv", format="csv", mapping=MAPPING)
    services.import_job_claim(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))

    with importing.heartbeat(job_id=job.pk, every=0.05):
        deadline = time.monotonic() + 10
        while ImportJob.objects.get(pk=job.pk).heartbeat_at < timezone.now() - timedelta(minutes=1):
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)

    assert services.import_jobs_recover().failed == []
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING


def test_an_interrupted_command_marks_its_import_failed(programme_tag, tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    path.write_text(CONTENT, encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "import_stream", interrupted)
    with pytest.raises(CommandError, match="interrompu"):
        call_command("import_posts", str(path), "--mapping", ",".join(f"{k}={v}" for k, v in MAPPING.items()))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "interrompu depuis le terminal" in job.error


def test_recovery_is_scheduled_by_celery_beat(settings):
    from advocacy.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["reach-recover-imports"]
    assert entry["task"] in app.tasks


def failing_on_second_batch(monkeypatch, error=None):
    from django.db import DataError

    from advocacy.reach import ingestion

    calls = []
    store = ingestion.rows_store

    def rows_store(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise error or DataError("value too long for type character varying(300)")
        return store(**kwargs)

    monkeypatch.setattr(ingestion, "rows_store", rows_store)
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)


def test_an_import_that_crashes_fails_at_once_with_its_reason_on_the_page(
    client, curator, programme_tag, monkeypatch, django_capture_on_commit_callbacks
):
    failing_on_second_batch(monkeypatch)
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reach_import_list"),
            {"file": SimpleUploadedFile("export.csv", CONTENT.encode()), "format": "csv",
             "mapping": "\n".join(f"{k}={v}" for k, v in MAPPING.items())},
        )  # fmt: skip

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED  # not left "En cours" until recovery runs it again
    assert SocialPost.objects.count() == 1  # the first batch stays stored
    page = client.get(response["Location"]).content.decode()
    assert "erreur inattendue (DataError: value too long" in page and "importez de nouveau le même fichier" in page
    assert services.import_jobs_recover(now=timezone.now() + timedelta(hours=1)).requeued == []


def test_a_command_line_import_that_crashes_says_why_and_fails_its_job(programme_tag, tmp_path, monkeypatch):
    failing_on_second_batch(monkeypatch)
    path = tmp_path / "export.csv"
    path.write_text(CONTENT, encoding="utf-8")

    with pytest.raises(CommandError, match="erreur inattendue"):
        call_command("import_posts", str(path), "--mapping", ",".join(f"{k}={v}" for k, v in MAPPING.items()))
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_an_uploaded_import_stopped_by_a_deadlock_is_left_to_recovery_to_run_again(
    dead_run, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    failing_on_second_batch(monkeypatch, OperationalError("deadlock detected"))
    job = ImportJob.objects.get(pk=dead_run.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PENDING)

    with pytest.raises(OperationalError):
        importing.import_job_run(job_id=job.pk)

    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING
    with django_capture_on_commit_callbacks(execute=False):
        assert services.import_jobs_recover(now=later(60)).requeued == [job.pk]
