"""Print the current two-factor code of the demo's privileged accounts."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo.seed import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Affiche le code de double authentification du moment pour les comptes de démonstration."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Réservé au mode démonstration (DEMO_MODE).")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"Code du moment (valable 30 s) : {code}")
        self.stdout.write(f"Secret à ajouter dans une application d’authentification : {DEMO_TOTP_SECRET}")
