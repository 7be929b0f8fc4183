"""The campaigns API: figures, announcements, inbox, retraction, acknowledgement, pause."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from advocacy.campaigns.models import Notification, RetractionRequest
from content.models import Kit
from tests.campaigns.factories import ambassadors
from tests.content.factories import make_kit
from tests.sharing.factories import share

pytestmark = pytest.mark.django_db


def test_curator_announces_and_reads_the_delivery_figures(
    api_client, curator, org, charter, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ambassadors(3, unit=org["a-bre-1"], charter=charter)
    ambassadors(2, unit=org["a-occ-1"], charter=charter)
    api_client.force_authenticate(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/campaigns/announcements/",
            {"subject": "Forum", "body": "Jeudi à Rennes.", "units": ["dr-bre"], "job_functions": []},
        )
    assert response.status_code == 201, response.json()
    campaign_id = response.json()["id"]
    assert response.json()["recipient_count"] == 3
    assert len(mail.outbox) == 3
    detail = api_client.get(f"/api/v1/campaigns/{campaign_id}/").json()
    assert detail["figures"]["email"]["sent"] == 3
    assert detail["figures"]["portal"]["delivered"] == 3
    assert detail["sender_name"] == curator.get_full_name()
    with django_assert_num_queries(2):
        listing = api_client.get("/api/v1/campaigns/")
    assert listing.json()["results"][0]["id"] == campaign_id


def test_an_unknown_unit_is_a_clear_error(api_client, curator):
    api_client.force_authenticate(curator)
    response = api_client.post("/api/v1/campaigns/announcements/", {"subject": "S", "body": "B", "units": ["nope"]})
    assert response.status_code == 400
    assert "units" in response.json()["error"]["fields"]


def test_ambassador_reads_and_marks_notifications(api_client, ambassador, staff, django_assert_num_queries):
    for i in range(5):
        Notification.objects.create(recipient=ambassador, kind="announcement", title=f"N{i}")
    Notification.objects.create(recipient=staff, kind="announcement", title="Pas pour vous")
    api_client.force_authenticate(ambassador)
    with django_assert_num_queries(2):
        body = api_client.get("/api/v1/me/notifications/").json()
    assert body["count"] == 5
    first = body["results"][0]["id"]
    assert api_client.post(f"/api/v1/me/notifications/{first}/read/").json()["read_at"]
    other = Notification.objects.get(recipient=staff)
    assert api_client.post(f"/api/v1/me/notifications/{other.pk}/read/").status_code == 404


def test_retraction_and_acknowledgement_through_the_api(
    api_client, moderator, org, charter, django_capture_on_commit_callbacks
):
    sharers = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    kit = make_kit(status=Kit.Status.PUBLISHED)
    for person in sharers:
        share(ambassador=person, kit=kit)
    api_client.force_authenticate(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/crisis/kits/{kit.pk}/retract/", {"reason": "Chiffre faux."})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "retracted"
    assert api_client.post(f"/api/v1/crisis/kits/{kit.pk}/retract/", {"reason": "Encore"}).status_code == 404

    api_client.force_authenticate(sharers[0])
    mine = api_client.get("/api/v1/me/retraction-requests/").json()["results"]
    assert [r["kit"] for r in mine] == [kit.pk]
    acknowledged = api_client.post(f"/api/v1/me/retraction-requests/{mine[0]['id']}/acknowledge/").json()
    assert acknowledged["acknowledged_at"]
    other = RetractionRequest.objects.get(ambassador=sharers[1])
    assert api_client.post(f"/api/v1/me/retraction-requests/{other.pk}/acknowledge/").status_code == 404

    api_client.force_authenticate(moderator)
    progress = api_client.get(f"/api/v1/crisis/kits/{kit.pk}/retraction/").json()
    assert (progress["requests"], progress["acknowledged"]) == (2, 1)


def test_pause_through_the_api(api_client, moderator, ambassador):
    api_client.force_authenticate(ambassador)
    assert api_client.get("/api/v1/crisis/pause/").json() == {"active": False, "pause": None}
    assert api_client.post("/api/v1/crisis/pause/", {"reason": "R"}).status_code == 403
    api_client.force_authenticate(moderator)
    ends = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
    response = api_client.post("/api/v1/crisis/pause/", {"reason": "Crise", "ends_at": ends})
    assert response.status_code == 201 and response.json()["active"] is True
    assert api_client.post("/api/v1/crisis/pause/", {"reason": "Crise", "ends_at": ends}).status_code == 409
    assert api_client.post("/api/v1/crisis/pause/lift/", {}).json()["active"] is False
