"""Import posts from a CSV or JSON lines file exported by a social-listening tool."""

import os

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Network
from advocacy.errors import DomainError
from advocacy.reach import importing, services
from advocacy.reach.models import ImportJob


class Command(BaseCommand):
    help = (
        "Importe des publications depuis un fichier CSV (virgule ou point-virgule) ou JSON lines. "
        "Importer deux fois le même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", choices=ImportJob.Format.values, help="csv ou jsonl (d’après l’extension sinon)"
        )
        parser.add_argument(
            "--mapping",
            default="",
            help="correspondance champ=colonne, séparées par des virgules, par ex. "
            "« external_id=ID,posted_at=Date,text=Contenu ». Champs : " + ", ".join(importing.FIELDS),
        )
        parser.add_argument(
            "--network", choices=Network.values, default="", help="réseau des lignes qui n’en disent rien"
        )

    def handle(self, *args, file, format, mapping, network, **options):
        if not os.path.isfile(file):
            raise CommandError(f"Fichier introuvable : {file}")
        format = format or (ImportJob.Format.JSONL if file.endswith((".jsonl", ".ndjson")) else ImportJob.Format.CSV)
        try:
            job = services.import_job_open(
                original_name=os.path.basename(file), format=format, mapping=importing.parse_mapping(mapping),
                default_network=network, bytes_total=os.path.getsize(file),
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        total = job.bytes_total or 1

        def echo(progress):
            self.stdout.write(
                f"\r  {_number(progress.rows_read):>10} lignes · {progress.bytes_read * 100 // total:>3} % · "
                f"{_number(progress.created)} ajoutées · {_number(progress.updated)} mises à jour · "
                f"{_number(progress.rejected)} rejetées",
                ending="",
            )
            self.stdout.flush()
            for line, reason in progress.rejections:
                self.stderr.write(f"\n  ligne {line} : {reason}", ending="")

        # The heartbeat tells recovery (services.import_jobs_recover) that this process
        # is alive, so a slow stretch of the file never gets the import failed under it.
        with open(file, "rb") as binary, importing.heartbeat(job_id=job.pk):
            try:
                job = importing.import_job_run(job_id=job.pk, binary=binary, echo=echo)
            except KeyboardInterrupt:
                services.import_job_finish(
                    job=ImportJob.objects.get(pk=job.pk),
                    error="Import interrompu depuis le terminal. Les publications déjà lues sont enregistrées ; "
                    "relancez la commande avec le même fichier pour terminer, cela ne crée aucun doublon.",
                )
                raise CommandError("Import interrompu.") from None
        self.stdout.write("")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error)
        self.stdout.write(
            self.style.SUCCESS(
                f"Import n° {job.pk} terminé : {_number(job.rows_read)} lignes lues, {_number(job.rows_created)} "
                f"publications ajoutées, {_number(job.rows_updated)} mises à jour, {_number(job.rows_unchanged)} "
                f"inchangées, {_number(job.rows_rejected)} lignes rejetées."
            )
        )


def _number(value: int) -> str:
    # French groups thousands with a (narrow no-break) space: "30,000 lignes" reads as thirty.
    return f"{value:,}".replace(",", "\u202f")
