"""The Django admin speaks French, django-allauth's models included."""

import re

from allauth.usersessions.models import UserSession
from django.urls import reverse


def test_admin_index_names_every_app_and_model_in_french(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Double authentification" in body and "Authentificateurs" in body
    assert "Sessions ouvertes" in body
    for english in ("MFA", "Authenticators", "User sessions", "User Sessions"):
        assert not re.search(rf">\s*{english}\s*<", body), english


def test_allauth_admin_lists_have_french_columns(client, admin_user):
    # A list shows its columns only when it has a row; admins already have an authenticator.
    UserSession.objects.create(user=admin_user, ip="192.0.2.1", session_key="k" * 32, user_agent="Firefox")
    client.force_login(admin_user)
    sessions = client.get(reverse("admin:usersessions_usersession_changelist")).content.decode()
    assert "Dernière activité le" in sessions and "Adresse IP" in sessions and "Navigateur" in sessions
    authenticators = client.get(reverse("admin:mfa_authenticator_changelist")).content.decode()
    assert "Dernière utilisation le" in authenticators and "Créé le" in authenticators
