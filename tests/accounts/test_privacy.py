"""Export of everything held about a person, and erasure that leaves figures right."""

import json
from datetime import timedelta

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import privacy, services, tasks
from accounts.models import AuditEvent, ProgrammeMembership, User
from tests.accounts.factories import SocialHandleFactory, UserFactory, make_ambassador


def _models_pointing_at_people():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        if model._meta.proxy:  # a proxy's rows are its concrete model's rows
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is user_model:
                yield model, field.name


def test_every_model_that_refers_to_a_person_is_registered():
    registered = {(entry.model, entry.user_field) for entry in privacy.REGISTRY.values()}
    missing = [f"{m._meta.label}.{f}" for m, f in _models_pointing_at_people() if (m, f) not in registered]
    assert not missing, f"register these in the app's personal_data.py: {missing}"


@pytest.fixture
def rich_person(org, charter, client):
    person = make_ambassador(unit=org["a-bre-1"], charter=charter, email="camille.legoff@francetravail.example",
                             first_name="Camille", last_name="Zyxwvutsrq")  # fmt: skip
    SocialHandleFactory(user=person, network="x", handle="camille_zyx")
    SocialHandleFactory(user=person, network="linkedin", handle="camille-zyxwvutsrq")
    Token.objects.create(user=person)
    RecoveryCodes.activate(person)
    client.force_login(person)
    # What allauth records when a person signs in (force_login skips allauth's signal).
    UserSession.objects.create(user=person, session_key=client.session.session_key, ip="127.0.0.1", user_agent="pytest")
    return person


def test_export_holds_every_registered_category(client, rich_person):
    response = client.get("/profil/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)["data"]
    assert set(data) == set(privacy.REGISTRY)
    assert data["accounts.user"][0]["email"] == "camille.legoff@francetravail.example"
    assert {h["network"] for h in data["accounts.socialhandle"]} == {"x", "linkedin"}
    assert data["accounts.charteracceptance"] and data["accounts.programmemembership"]
    assert data["usersessions.usersession"][0]["ip"] == "127.0.0.1"


def test_export_never_contains_secrets(client, rich_person):
    body = client.get("/profil/export/").content.decode()
    assert Token.objects.get(user=rich_person).key not in body
    assert rich_person.password not in body
    assert "seed" not in body and "secret" not in body


def _all_text_values():
    for model in apps.get_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField)
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            for value in row:
                if value:
                    yield model._meta.label, str(value)


def test_erasure_leaves_no_personal_data_and_keeps_figures(rich_person, admin_user, org):
    other = make_ambassador(unit=org["a-bre-2"])
    members_before = ProgrammeMembership.objects.filter(unit__path__startswith=org["dr-bre"].path).count()
    services.user_erase(user=rich_person, by=admin_user)

    assert not User.objects.filter(pk=rich_person.pk).exists()
    needles = ("camille.legoff", "Zyxwvutsrq", "camille_zyx", "camille-zyxwvutsrq")
    leaks = [(label, value) for label, value in _all_text_values() if any(n.lower() in value.lower() for n in needles)]
    assert not leaks
    # Participation figures are unchanged: the membership stays, without its person.
    assert ProgrammeMembership.objects.filter(unit__path__startswith=org["dr-bre"].path).count() == members_before
    assert ProgrammeMembership.objects.filter(user__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="erased", actor=admin_user).exists()
    assert User.objects.filter(pk=other.pk).exists()


def test_erasure_ends_sessions(client, rich_person, admin_user):
    assert UserSession.objects.filter(user=rich_person).exists()
    services.user_erase(user=rich_person, by=admin_user)
    assert client.get("/profil/").status_code == 302


def test_admin_erases_through_a_confirmation_page(client, admin_user, rich_person):
    client.force_login(admin_user)
    changelist = "/admin/accounts/user/"
    confirm = client.post(changelist, {"action": "erase", "_selected_action": [rich_person.pk]})
    assert confirm.status_code == 200
    assert "irréversible" in confirm.content.decode()
    assert User.objects.filter(pk=rich_person.pk).exists()
    done = client.post(changelist, {"action": "erase", "_selected_action": [rich_person.pk], "confirm": "yes"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=rich_person.pk).exists()
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["1 personne effacée."]


def test_admin_cannot_erase_themselves(admin_user):
    from advocacy.errors import DomainError

    with pytest.raises(DomainError):
        services.user_erase(user=admin_user, by=admin_user)


def test_admin_log_entries_about_the_person_are_scrubbed(client, admin_user, rich_person):
    client.force_login(admin_user)
    # Changing a person in the admin writes a log entry naming them.
    client.post(
        f"/admin/accounts/user/{rich_person.pk}/change/",
        {
            "email": rich_person.email, "first_name": "Camille", "last_name": "Zyxwvutsrq",
            "unit": rich_person.unit_id, "job_function": "conseiller_emploi",
            "handles-TOTAL_FORMS": 0, "handles-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    services.user_erase(user=rich_person, by=admin_user)
    leaks = [v for _label, v in _all_text_values() if "zyxwvutsrq" in v.lower()]
    assert not leaks


def test_data_export_api(api_client, rich_person):
    api_client.force_authenticate(rich_person)
    data = api_client.get("/api/v1/me/export/").json()["data"]
    assert data["accounts.user"][0]["last_name"] == "Zyxwvutsrq"


def test_deleting_people_outside_erasure_is_not_offered(client, admin_user):
    client.force_login(admin_user)
    other = UserFactory()
    assert client.get(f"/admin/accounts/user/{other.pk}/delete/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_nightly_purge_forgets_ended_sessions_and_their_addresses(client, settings):
    """An expired session, and allauth's record (IP address, browser) of each session that
    is over, are deleted; the live session and its record stay."""
    live, expired, gone = UserFactory(), UserFactory(), UserFactory()
    client.force_login(live)
    live_key = client.session.session_key
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=timezone.now() - timedelta(minutes=1))
    for person, key in ((live, live_key), (expired, "e" * 32), (gone, "g" * 32)):
        UserSession.objects.create(user=person, session_key=key, ip="203.0.113.9", user_agent="Firefox")

    assert tasks.purge_sessions() == (1, 2)

    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live_key]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live_key]
    assert client.get("/profil/").status_code == 200  # the live session still signs its person in
    assert settings.CELERY_BEAT_SCHEDULE["accounts-purge-sessions"]["task"] == "accounts.tasks.purge_sessions"
