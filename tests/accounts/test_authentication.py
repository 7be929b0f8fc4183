"""Signing up and in: e-mail verification, password reset, MFA, rate limits, deactivation."""

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from bs4 import BeautifulSoup
from django.core import mail

from accounts import services
from accounts.access import Decision, Role, Rule, rule_for
from tests.accounts.factories import PASSWORD, UserFactory

LOGIN = "/compte/login/"


def _login(client, email, password, **headers):
    return client.post(LOGIN, {"login": email, "password": password}, **headers)


def test_signup_requires_verifying_the_email(client, db):
    response = client.post(
        "/compte/signup/",
        {"email": "Nouvel.Agent@FranceTravail.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvel.agent@francetravail.example"]
    link = re.search(r"https?://[^\s]+/compte/confirm-email/[^\s]+", message.body).group(0)
    # Not signed in until the address is confirmed.
    assert client.get("/profil/").status_code == 302
    confirm_path = link.split("testserver", 1)[-1]
    client.get(confirm_path)
    client.post(confirm_path)
    assert client.get("/profil/").status_code == 200


def test_signup_is_limited_to_staff_domains(client, db, settings):
    settings.STAFF_EMAIL_DOMAINS = ["francetravail.fr"]
    response = client.post(
        "/compte/signup/", {"email": "quelquun@gmail.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert "Utilisez votre adresse professionnelle (francetravail.fr)." in response.content.decode()


def test_password_reset_sends_a_link(client, staff):
    response = client.post("/compte/password/reset/", {"email": staff.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/compte/password/reset/key/" in mail.outbox[0].body


def test_sign_in_with_email_and_password(client, staff):
    response = _login(client, staff.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.get("/profil/").status_code == 200


TOO_MANY = "Trop de tentatives de connexion"


def test_failed_sign_ins_are_limited_per_account(client, staff):
    for _ in range(5):
        response = _login(client, staff.email, "wrong-password")
        assert response.status_code == 200 and TOO_MANY not in response.content.decode()
    # Even the right password is now refused for a while: the account is protected.
    blocked = _login(client, staff.email, PASSWORD)
    assert TOO_MANY in blocked.content.decode()
    assert client.get("/profil/").status_code == 302


def test_forged_forwarded_for_does_not_reset_the_address_limit(client, staff):
    for attempt in range(10):
        response = _login(
            client, f"inconnu{attempt}@francetravail.example", "nope", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}"
        )
        assert TOO_MANY not in response.content.decode()
    # The eleventh failure from the same address is refused whatever header it forges,
    # and so is a correct password from that address.
    blocked = _login(client, staff.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert TOO_MANY in blocked.content.decode()
    assert client.get("/profil/").status_code == 302


def test_trusted_proxy_count_reads_the_address_our_proxy_appended(client, staff, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        _login(client, f"inconnu{attempt}@francetravail.example", "nope", HTTP_X_FORWARDED_FOR="198.51.100.1")
    # Behind one proxy of ours the client is the last address; another client is not
    # blocked by the first one's failures, whatever it forges in front.
    other = _login(client, staff.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.7")
    assert other.status_code == 302


def test_sign_in_posts_are_limited_per_address(client, db):
    for _ in range(30):
        client.post(LOGIN, {"login": "", "password": ""})
    assert client.post(LOGIN, {"login": "", "password": ""}).status_code == 429


def test_admin_login_goes_through_the_rate_limited_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_privileged_account_with_mfa_must_give_a_code(client, org):
    curator = UserFactory(unit=org["dg"], curator=True)
    response = _login(client, curator.email, PASSWORD)
    assert response.status_code == 302
    assert "/2fa/authenticate/" in response["Location"]
    # Not signed in until the code is given.
    assert client.get("/profil/").status_code == 302


def test_admin_without_mfa_reaches_no_admin_page(client, org):
    user = UserFactory(unit=org["dg"], with_mfa=False, admin=True)
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/securite/double-authentification/")
    assert "Activez la double authentification" in response.content.decode()


def test_access_rules_need_mfa_only_through_privileged_roles(org):
    manager_admin = UserFactory(unit=org["dg"], admin=True, managed_unit=org["dg"], with_mfa=False)
    assert rule_for(Role.ADMIN).decide(manager_admin) == Decision.SET_UP_MFA
    # A page open to managers is reached through the manager role without MFA.
    assert rule_for(Role.MANAGER, Role.ADMIN).decide(manager_admin) == Decision.ALLOW
    assert Rule(public=True).decide(None) == Decision.ALLOW


def test_deactivating_ends_open_sessions(client, staff, admin_user):
    _login(client, staff.email, PASSWORD)
    assert client.get("/profil/").status_code == 200
    assert UserSession.objects.filter(user=staff).exists()
    services.user_deactivate(user=staff, by=admin_user)
    assert not UserSession.objects.filter(user=staff).exists()
    response = client.get("/profil/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert _login(client, staff.email, PASSWORD).status_code == 302  # to the "inactive" page
    assert client.get("/profil/").status_code == 302


def test_page_views_do_not_record_the_address_again(client, staff):
    _login(client, staff.email, PASSWORD)
    session = UserSession.objects.get(user=staff)
    UserSession.objects.filter(pk=session.pk).update(ip="192.0.2.1")
    client.get("/profil/", REMOTE_ADDR="198.51.100.7")
    assert UserSession.objects.get(pk=session.pk).ip == "192.0.2.1"


def test_admin_deactivation_action(client, staff, admin_user):
    client.force_login(admin_user)
    client.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [staff.pk]})
    staff.refresh_from_db()
    assert not staff.is_active


def test_admin_role_change_is_audited(client, staff, admin_user, org):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{staff.pk}/change/",
        {
            "email": staff.email, "first_name": staff.first_name, "last_name": staff.last_name,
            "unit": staff.unit_id, "job_function": staff.job_function, "is_curator": "on",
            "managed_unit": org["dr-occ"].pk, "handles-TOTAL_FORMS": 0, "handles-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.is_curator and staff.managed_unit == org["dr-occ"]
    from accounts.models import AuditEvent

    event = AuditEvent.objects.get(action="roles_changed", subject_id=staff.pk)
    assert event.actor == admin_user and "curator=True" in event.detail


def test_api_token_authenticates_and_is_shown_once(client, api_client, staff):
    client.force_login(staff)
    page = client.post("/profil/jeton-api/", {"action": "create"})
    key = re.search(r'value="([0-9a-f]{40})"', page.content.decode()).group(1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/me/").json()["email"] == staff.email
    assert key not in client.get("/profil/").content.decode()
    client.post("/profil/jeton-api/", {"action": "revoke"})
    assert api_client.get("/api/v1/me/").status_code == 401


def test_unauthenticated_api_gets_401_with_a_structured_error(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_the_password_reset_link_is_under_the_password_field_not_in_its_label(client, db):
    page = _soup(client.get(LOGIN))
    # A link in a label is read as part of the field's name, and a click on it may go to the field.
    label = page.find("label", attrs={"for": "id_password"})
    assert label.find("a") is None and label.get_text(" ", strip=True) == "Mot de passe"
    password = page.find("input", id="id_password")
    assert not password.get("aria-describedby")
    link = password.find_next("a")
    assert link.get_text(strip=True) == "Mot de passe oublié ?" and link["href"] == "/compte/password/reset/"
    assert link.parent.name == "p" and link.find_parent("label") is None
    assert password.find_parent(class_="fr-input-group") is link.find_parent(class_="fr-input-group")


def _code_input(response):
    return _soup(response).find("input", attrs={"name": "code"})


def _accepts(code_input, typed: str) -> bool:
    # The browser anchors the pattern at both ends.
    return re.fullmatch(code_input["pattern"], typed) is not None


def test_the_second_step_asks_for_digits_a_code_or_a_recovery_code(client, org):
    curator = UserFactory(unit=org["dg"], curator=True)
    RecoveryCodes.activate(curator)
    _login(client, curator.email, PASSWORD)
    code = _code_input(client.get("/compte/2fa/authenticate/"))
    assert code["inputmode"] == "numeric" and code["autocomplete"] == "one-time-code"
    assert "ou un code de secours à 8 chiffres" in _soup(client.get("/compte/2fa/authenticate/")).get_text()
    # The application's code, with or without its space, and a recovery code (digits too,
    # in allauth's codes) fit the field; letters or another length do not.
    assert all(_accepts(code, typed) for typed in ("123456", "123 456", "12345678", "1234 5678"))
    assert not any(_accepts(code, typed) for typed in ("12345", "1234567", "123456789", "abcdef12"))
    # A recovery code is accepted by the server, so the field is right to take it.
    recovery = RecoveryCodes(Authenticator.objects.get(user=curator, type=Authenticator.Type.RECOVERY_CODES))
    response = client.post("/compte/2fa/authenticate/", {"code": recovery.get_unused_codes()[0]})
    assert response.status_code == 302 and client.get("/profil/").status_code == 200
    # Asked again before a sensitive change, the same field.
    code = _code_input(client.get("/compte/2fa/reauthenticate/"))
    assert code["inputmode"] == "numeric" and code["autocomplete"] == "one-time-code" and _accepts(code, "12345678")


def test_turning_totp_on_asks_for_the_applications_six_digits(client, staff):
    _login(client, staff.email, PASSWORD)
    client.post("/compte/reauthenticate/", {"password": PASSWORD})
    code = _code_input(client.get("/compte/2fa/totp/activate/"))
    assert code["inputmode"] == "numeric" and code["autocomplete"] == "one-time-code"
    assert _accepts(code, "123456") and _accepts(code, "123 456")
    assert not _accepts(code, "12345678") and not _accepts(code, "12a456")
