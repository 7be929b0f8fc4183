"""The inbox, the campaign list and the live dashboard, with their query counts."""

import re

import pytest
from django.urls import reverse

from advocacy.campaigns import alerts, services
from advocacy.campaigns.models import Alert, Campaign, Delivery, Notification
from tests.campaigns.factories import ambassadors

pytestmark = pytest.mark.django_db


def test_inbox_lists_notifications_and_the_header_shows_the_unread_count(client, ambassador, django_assert_num_queries):
    for i in range(30):
        Notification.objects.create(recipient=ambassador, kind="announcement", title=f"Annonce {i}")
    client.force_login(ambassador)
    client.get(reverse("campaigns:inbox"))  # warm the session and the unread count
    with django_assert_num_queries(3):
        response = client.get(reverse("campaigns:inbox"))
    page = response.content.decode()
    assert "Annonce 29" in page and "Annonce 0" not in page  # 25 per page, newest first
    assert "30 non lues" in page


def test_marking_everything_read_clears_the_count(client, ambassador):
    Notification.objects.create(recipient=ambassador, kind="announcement", title="Annonce")
    client.force_login(ambassador)
    assert "1 non lue" in client.get(reverse("campaigns:inbox")).content.decode()
    client.post(reverse("campaigns:notifications_read_all"))
    assert "non lue" not in client.get(reverse("campaigns:inbox")).content.decode()


def test_reading_one_notification_updates_the_count_at_once(client, ambassador):
    first, _second = (
        Notification.objects.create(recipient=ambassador, kind="announcement", title=f"Annonce {i}") for i in range(2)
    )
    client.force_login(ambassador)
    assert "2 non lues" in client.get(reverse("campaigns:inbox")).content.decode()
    client.post(reverse("campaigns:notification_read", args=[first.pk]))
    assert "1 non lue" in client.get(reverse("campaigns:inbox")).content.decode()


def test_a_new_announcement_shows_in_the_count_at_once(
    client, curator, ambassador, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(ambassador)
    assert "non lue" not in client.get(reverse("campaigns:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(by=curator, subject="Annonce", body="Texte")
    assert "1 non lue" in client.get(reverse("campaigns:inbox")).content.decode()


def test_nobody_reads_someone_elses_notification(client, ambassador, staff):
    notification = Notification.objects.create(recipient=ambassador, kind="announcement", title="Annonce")
    client.force_login(staff)
    assert client.post(reverse("campaigns:notification_read", args=[notification.pk])).status_code == 404


def test_campaign_list_query_count_does_not_grow(client, curator, org, charter, django_assert_num_queries):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    for i in range(12):
        services.announcement_send(by=curator, subject=f"Annonce {i}", body="Texte")
    client.force_login(curator)
    client.get(reverse("campaigns:campaign_list"))
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:campaign_list"))
    assert "Annonce 11" in response.content.decode()


def test_dashboard_shows_counts_reasons_and_undelivered_people(
    client, curator, org, charter, smtp_server, django_capture_on_commit_callbacks, django_assert_num_queries
):
    people = ambassadors(4, unit=org["a-bre-1"], charter=charter)
    smtp_server.rules = {people[0].email: "550 5.1.1 user unknown"}
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.announcement_send(by=curator, subject="Annonce", body="Texte")
    client.force_login(curator)
    client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    with django_assert_num_queries(9):
        response = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    page = response.content.decode()
    assert "550 5.1.1 user unknown" in page
    assert people[0].email in page
    live = client.get(reverse("campaigns:campaign_live", args=[campaign.pk])).content.decode()
    assert 'id="campaign-live"' in live
    assert campaign.deliveries.filter(status=Delivery.Status.FAILED).count() == 1


def test_curator_sends_an_announcement_from_the_page(client, curator, org, charter):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    client.force_login(curator)
    response = client.post(
        reverse("campaigns:announcement_new"),
        {"subject": "Forum de l’emploi", "body": "Rendez-vous jeudi.", "units": [org["dr-bre"].pk]},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "Forum de l’emploi" in response.content.decode()


def test_announcement_targets_units_with_the_kit_editors_picker(client, curator, org):
    client.force_login(curator)
    body = client.get(reverse("campaigns:announcement_new")).content.decode()
    assert "<select" not in body
    assert body.count('name="units"') == len(org) and body.count('type="checkbox" name="units"') == len(org)
    assert "<summary>DR Bretagne" in body and 'id="id_units-filter"' in body and "js/unit-picker.js" in body


def test_an_announcement_refused_keeps_its_ticked_units_open(client, curator, org):
    client.force_login(curator)
    response = client.post(reverse("campaigns:announcement_new"), {"subject": "", "units": [org["a-bre-1"].pk]})
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(rf'value="{org["a-bre-1"].pk}" checked', body)
    assert re.search(r"<details[^>]*data-unit-region open>\s*<summary>DR Bretagne", body)


def test_open_alerts_show_as_a_banner_for_the_web_social_team_only(client, curator, ambassador):
    alerts.alert_raise(kind=Alert.Kind.STALLED, key="k", message="Campagne à l’arrêt")
    client.force_login(curator)
    assert "1 alerte d’envoi ou de veille à traiter." in client.get(reverse("home")).content.decode()
    alerts.alert_raise(kind=Alert.Kind.STALLED, key="k2", message="Une autre campagne à l’arrêt")
    assert "2 alertes d’envoi ou de veille à traiter." in client.get(reverse("home")).content.decode()
    client.force_login(ambassador)
    assert "d’envoi ou de veille à traiter" not in client.get(reverse("home")).content.decode()


def test_the_live_refresh_stays_on_the_page_of_undelivered_people_being_read(client, curator, org, charter):
    # The dashboard refreshes itself every 5 s while the campaign runs: the refresh asks
    # for the page the person is reading, not the first one.
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = services.announcement_send(by=curator, subject="Annonce", body="Texte")
    assert campaign.status != Campaign.Status.FINISHED
    client.force_login(curator)
    live_url = reverse("campaigns:campaign_live", args=[campaign.pk])
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]), {"page": "2"}).content.decode()
    assert f'hx-get="{live_url}?page=2"' in page
    refreshed = client.get(live_url, {"page": "2"}).content.decode()
    assert f'hx-get="{live_url}?page=2"' in refreshed
