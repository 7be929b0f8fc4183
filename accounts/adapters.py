"""django-allauth adapters: who may sign up, and what an OpenID Connect sign-in fills in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email).lower()
        domains = [d.lower() for d in settings.STAFF_EMAIL_DOMAINS]
        if domains and email.rsplit("@", 1)[-1] not in domains:
            raise forms.ValidationError(
                _("Utilisez votre adresse professionnelle (%(domains)s).") % {"domains": ", ".join(domains)}
            )
        return email


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = _claims(sociallogin.account.extra_data or {})
        user.email = (user.email or "").lower()
        user.first_name = user.first_name or claims.get("given_name", "")
        user.last_name = user.last_name or claims.get("family_name", "")
        _place_in_unit(user, claims)
        return user

    def pre_social_login(self, request, sociallogin):
        # The directory is the source of truth for where a person works: an existing
        # account follows it at every sign-in.
        super().pre_social_login(request, sociallogin)
        user = sociallogin.user
        if user.pk:
            _place_in_unit(user, sociallogin.account.extra_data or {})


def _claims(extra_data: dict) -> dict:
    # allauth keeps the userinfo and ID token claims apart; either may carry the unit.
    merged = {}
    for part in ("id_token", "userinfo"):
        if isinstance(extra_data.get(part), dict):
            merged.update(extra_data[part])
    merged.update({k: v for k, v in extra_data.items() if not isinstance(v, dict)})
    return merged


def _place_in_unit(user, extra_data: dict) -> None:
    claim = settings.OIDC_UNIT_CLAIM
    if claim:
        services.user_sync_unit(user=user, unit_code=str(_claims(extra_data).get(claim) or ""))
