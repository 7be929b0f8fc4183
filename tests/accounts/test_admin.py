"""The Django admin speaks French, django-allauth's models included; the charter is
edited there as text."""

import re

from allauth.usersessions.models import UserSession
from django.urls import reverse

from accounts import services
from accounts.demo.seed import CHARTER_BODY
from accounts.models import CharterVersion
from tests.pages import textarea_value


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


def test_a_draft_charter_opens_as_text_and_saves_unchanged_when_untouched(client, admin_user):
    version = services.charter_version_save(title="Charte v2", body=CHARTER_BODY, by=admin_user)
    stored = version.body
    client.force_login(admin_user)
    change = reverse("admin:accounts_charterversion_change", args=[version.pk])
    shown = textarea_value(client.get(change), "body")
    assert shown.startswith("Être ambassadeur·rice #AvecPôleEmploi, c’est partager sur ses réseaux personnels ")
    assert "<p>" not in shown and "\n\n<h2>Un engagement volontaire</h2>" in shown

    data = {"title": "Charte v2", "body": shown.replace("\n", "\r\n"), "summary_of_changes": ""}
    assert client.post(change, data).status_code == 302

    version.refresh_from_db()
    assert version.body == stored


def test_a_charter_typed_in_the_admin_is_stored_as_sanitised_paragraphs(client, admin_user):
    client.force_login(admin_user)
    typed = "Premier engagement\r\n\r\nSecond <script>alert(1)</script><strong>engagement</strong>"
    client.post(reverse("admin:accounts_charterversion_add"), {"title": "Charte v2", "body": typed})
    version = CharterVersion.objects.get(title="Charte v2")
    assert version.body == "<p>Premier engagement</p><p>Second <strong>engagement</strong></p>"


def test_a_charter_typed_in_the_admin_is_kept_and_opens_again_as_typed(client, admin_user):
    client.force_login(admin_user)
    typed = (
        "Moins de 26 ans<30 ans, a <b c, <3, 5 < 6 et 7 > 2\r\n\r\n<pre>ligne 1\r\n\r\n\r\nligne 4</pre>\r\n\r\n"
        "<ul>\r\n<li>un <strong>point</strong></li>\r\n\r\n<li>un autre</li>\r\n</ul>"
    )
    client.post(reverse("admin:accounts_charterversion_add"), {"title": "Charte v2", "body": typed})
    version = CharterVersion.objects.get(title="Charte v2")
    assert "<pre>ligne 1\n\n\nligne 4</pre>" in version.body and "a &lt;b c, &lt;3" in version.body
    change = client.get(reverse("admin:accounts_charterversion_change", args=[version.pk]))
    assert textarea_value(change, "body") == typed.replace("\r\n", "\n")
    # The admin shows a hint as HTML: the examples are escaped in it.
    assert "Paragraphes : séparés par une ligne vide." in change.content.decode()
    assert "<code>&lt;h2&gt;Titre&lt;/h2&gt;</code>" in change.content.decode()
