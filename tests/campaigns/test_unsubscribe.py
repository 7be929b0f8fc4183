"""One-click unsubscribe without signing in: confirm, apply, tampered and expired links."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationPreference
from advocacy.campaigns import tokens

pytestmark = pytest.mark.django_db


def url_for(person):
    return reverse("campaigns:unsubscribe", args=[tokens.unsubscribe_token(person)])


def test_get_only_asks_for_confirmation(client, ambassador):
    response = client.get(url_for(ambassador))
    assert response.status_code == 200
    assert "Confirmer la désinscription" in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.notification_preference == NotificationPreference.IMMEDIATE


def test_post_unsubscribes_without_signing_in(ambassador):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(ambassador))
    assert response.status_code == 200
    assert "C’est fait" in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.notification_preference == NotificationPreference.NONE


def test_one_click_post_from_a_mail_client_works_twice(ambassador):
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = client.post(
            url_for(ambassador), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    ambassador.refresh_from_db()
    assert ambassador.notification_preference == NotificationPreference.NONE


def test_a_tampered_link_is_refused_with_a_clear_message(client, ambassador, staff):
    token = tokens.unsubscribe_token(ambassador)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("campaigns:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert "n’est pas valide" in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.notification_preference == NotificationPreference.IMMEDIATE


def test_a_link_for_an_address_that_changed_is_refused(client, ambassador):
    url = url_for(ambassador)
    type(ambassador).objects.filter(pk=ambassador.pk).update(email="nouvelle@francetravail.example")
    assert client.post(url).status_code == 400


def test_an_expired_link_is_refused_with_a_clear_message(settings, client, ambassador):
    url = url_for(ambassador)
    later = timezone.now() + datetime.timedelta(days=settings.CAMPAIGN_UNSUBSCRIBE_MAX_AGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        response = client.post(url)
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.notification_preference == NotificationPreference.IMMEDIATE
