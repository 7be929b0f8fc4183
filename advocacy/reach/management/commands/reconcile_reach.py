"""Recompute the reach roll-ups from the raw events for a period and print every difference."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import OrgUnit
from advocacy.reach import rollups
from content.models import Kit


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats d’audience depuis les événements bruts (partages, clics, publications) "
        "pour une période, affiche chaque différence avec les agrégats enregistrés, puis les corrige. "
        "Avec --dry-run, rien n’est corrigé et le code de sortie vaut 1 s’il y a une différence, "
        "pour une vérification automatique."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="premier jour (AAAA-MM-JJ), par défaut il y a 7 jours")
        parser.add_argument("--to", dest="end", help="dernier jour (AAAA-MM-JJ), par défaut aujourd’hui")
        parser.add_argument("--dry-run", action="store_true", help="afficher les différences sans rien corriger")

    def handle(self, *args, start=None, end=None, dry_run=False, **options):
        today = timezone.localdate()
        end_day = _day(end) if end else today
        start_day = _day(start) if start else end_day - timedelta(days=7)
        if start_day > end_day:
            raise CommandError("--from doit précéder --to.")
        running = rollups.pass_running()
        if running:
            self.stdout.write(self.style.WARNING(_pass_notice(running)))
        differences = rollups.reconcile(start_day, end_day, fix=not dry_run)
        if not running and (running := rollups.pass_running()):
            # A pass began while the days were being compared: said after them.
            self.stdout.write(self.style.WARNING(_pass_notice(running)))
        describe = _Describer(differences)
        for d in differences:
            self.stdout.write(
                f"{d.day} · {describe(d.key)} · {d.field}: enregistré {_figure(d.stored)} → recalculé "
                f"{_figure(d.recomputed)}"
            )
        days = len({d.day for d in differences})
        if not differences:
            self.stdout.write(self.style.SUCCESS(f"Aucune différence du {start_day} au {end_day}."))
        elif dry_run:
            # A check that found differences fails, so that a scheduled run can raise an alert.
            during = " pendant un passage de la mise à jour (voir plus haut)" if running else ""
            raise CommandError(
                f"{len(differences)} différence(s) sur {days} jour(s){during}, rien corrigé (--dry-run)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(differences)} différence(s) sur {days} jour(s), corrigées."))


def _pass_notice(claimed_until) -> str:
    """What it means to reconcile while a refresh pass runs (see rollups.rollup_days)."""
    until = timezone.localtime(claimed_until).strftime("%H:%M")
    return (
        f"Un passage de la mise à jour des agrégats est en cours (réservé jusqu’à {until}, réservation "
        "prolongée à chaque jour calculé) : il recalcule aujourd’hui, hier et les jours marqués en même temps "
        "que cette commande. Aucun chiffre ne se mélange (chaque jour est recalculé entier, l’un après l’autre), "
        "mais une différence sur l’un de ces jours peut n’être que le travail qu’il n’a pas encore fini : "
        "relancez la commande une fois le passage terminé pour la confirmer."
    )


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide « {value} » : attendu AAAA-MM-JJ, par exemple 2026-10-31.") from None


def _figure(value) -> str:
    return "vide" if value is None else str(value)


class _Describer:
    """Says which roll-up row a difference is in, with the names of its unit and kit."""

    def __init__(self, differences):
        unit_ids, kit_ids = set(), set()
        for d in differences:
            if d.key[0] == "ambassador":
                unit_ids.add(d.key[2])
            else:
                unit_ids.add(d.key[0])
                kit_ids.add(d.key[2])
        self.units = {unit.pk: f"{unit.name} ({unit.code})" for unit in OrgUnit.objects.filter(pk__in=unit_ids)}
        self.kits = {kit.pk: f"« {kit.title} »" for kit in Kit.objects.filter(pk__in=kit_ids)}

    def unit(self, unit_id) -> str:
        if unit_id is None:
            return "sans unité"
        return f"unité {self.units.get(unit_id, f'n° {unit_id}')}"

    def __call__(self, key: tuple) -> str:
        if key[0] == "ambassador":
            _kind, ambassador_id, unit_id = key
            return f"ambassadeur·rice n° {ambassador_id} · {self.unit(unit_id)}"
        unit_id, network, kit_id = key
        kit = "sans kit" if kit_id is None else f"kit n° {kit_id} {self.kits.get(kit_id, '')}".rstrip()
        return f"{self.unit(unit_id)} · {network} · {kit}"
