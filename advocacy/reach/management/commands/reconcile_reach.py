"""Recompute the reach roll-ups from the raw events for a period and print every difference."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from advocacy.reach import rollups


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats d’audience depuis les événements bruts (partages, clics, publications) "
        "pour une période, affiche chaque différence avec les agrégats enregistrés, puis les corrige."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="premier jour (AAAA-MM-JJ), par défaut il y a 7 jours")
        parser.add_argument("--to", dest="end", help="dernier jour (AAAA-MM-JJ), par défaut aujourd’hui")
        parser.add_argument("--dry-run", action="store_true", help="afficher les différences sans rien corriger")

    def handle(self, *args, start=None, end=None, dry_run=False, **options):
        today = timezone.localdate()
        try:
            end_day = date.fromisoformat(end) if end else today
            start_day = date.fromisoformat(start) if start else end_day - timedelta(days=7)
        except ValueError as error:
            raise CommandError(f"Date invalide : {error}") from error
        if start_day > end_day:
            raise CommandError("--from doit précéder --to.")
        differences = rollups.reconcile(start_day, end_day, fix=not dry_run)
        for d in differences:
            self.stdout.write(f"{d.day} {d.key} {d.field}: enregistré {d.stored} → recalculé {d.recomputed}")
        days = len({d.day for d in differences})
        if not differences:
            self.stdout.write(self.style.SUCCESS(f"Aucune différence du {start_day} au {end_day}."))
        elif dry_run:
            self.stdout.write(self.style.WARNING(f"{len(differences)} différence(s) sur {days} jour(s), rien corrigé."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(differences)} différence(s) sur {days} jour(s), corrigées."))
