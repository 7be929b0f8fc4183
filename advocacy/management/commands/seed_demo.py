"""Load the demo data (idempotent) and print the demo accounts."""

from django.core.management.base import BaseCommand

from accounts.demo import seed as accounts_seed
from advocacy import demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles sont déjà là)."

    def handle(self, *args, **options):
        context = accounts_seed.seed()
        for _order, name, func in sorted(demo.STEPS, key=lambda s: s[0]):
            self.stdout.write(f"  · {name}")
            func(context)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {accounts_seed.DEMO_PASSWORD})")
        for local, _first, _last, roles, _unit, _function in accounts_seed.DEMO_ACCOUNTS:
            label = ", ".join(sorted(roles)) or "personnel, pas encore ambassadeur·rice"
            email = f"{local}@{accounts_seed.DEMO_DOMAIN}"
            self.stdout.write(f"  {email:<40} {label}")
        self.stdout.write(
            "Les comptes curateur, moderateur et admin ont la double authentification : "
            "`make totp` affiche leur code du moment."
        )
