"""People and organisation app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# django-allauth names these models and fields without gettext (Django derives "user
# sessions", "created at"... from the code), so no catalogue can give them French; their
# app names are corrected in locale/french_plurals.py. Django's migrations read the
# names declared in the code, not these, so nothing here changes allauth's migrations.
ALLAUTH_NAMES = {
    ("mfa", "authenticator"): (
        _("authentificateur"),
        _("authentificateurs"),
        {
            "user": _("personne"),
            "type": _("type"),
            "data": _("données"),
            "created_at": _("créé le"),
            "last_used_at": _("dernière utilisation le"),
        },
    ),
    ("usersessions", "usersession"): (
        _("session ouverte"),
        _("sessions ouvertes"),
        {
            "user": _("personne"),
            "created_at": _("ouverte le"),
            "ip": _("adresse IP"),
            "last_seen_at": _("dernière activité le"),
            "user_agent": _("navigateur"),
            "data": _("données"),
        },
    ),
}


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personnes et organisation")

    def ready(self):
        from accounts import menu, personal_data  # noqa: F401 - registration on import

        _name_allauth_models_in_french(self.apps)


def _name_allauth_models_in_french(apps):
    for (app_label, model_name), (singular, plural, fields) in ALLAUTH_NAMES.items():
        if not apps.is_installed(f"allauth.{app_label}"):
            continue
        meta = apps.get_model(app_label, model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
        for field_name, label in fields.items():
            meta.get_field(field_name).verbose_name = label
