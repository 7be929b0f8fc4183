"""Joining, re-accepting the charter, and leaving the programme."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import CharterAcceptance, ProgrammeMembership, SocialHandle, User
from tests.accounts.factories import SocialHandleFactory, published_charter


def test_staff_joins_by_accepting_the_current_charter(client, staff, charter):
    client.force_login(staff)
    page = client.get("/programme/")
    assert charter.title in page.content.decode()
    response = client.post("/programme/", {"version": charter.number, "accept": "on"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.has_opted_in
    acceptance = CharterAcceptance.objects.get(user=staff)
    assert acceptance.version == charter and acceptance.accepted_at is not None
    assert ProgrammeMembership.objects.get(user=staff).left_at is None


def test_joining_without_ticking_the_box_explains_why(client, staff, charter):
    client.force_login(staff)
    response = client.post("/programme/", {"version": charter.number})
    assert response.status_code == 200
    assert "Cochez la case pour accepter la charte." in response.content.decode()
    staff.refresh_from_db()
    assert not staff.has_opted_in


def test_a_refused_join_opens_where_the_box_is_not_at_the_top_of_the_charter(client, staff, charter):
    from bs4 import BeautifulSoup

    client.force_login(staff)
    soup = BeautifulSoup(client.post("/programme/", {"version": charter.number}).content, "html.parser")
    form = soup.select_one("main form[method=post]")
    assert form["action"] == "/programme/#accepter" and form["id"] == "accepter"
    assert form.select_one("#id_accept") is not None


def test_accepting_an_outdated_version_is_refused(client, staff, charter):
    newer = published_charter(title="Charte v2")
    client.force_login(staff)
    response = client.post("/programme/", {"version": charter.number, "accept": "on"}, follow=True)
    assert "Une version plus récente de la charte a été publiée" in response.content.decode()
    staff.refresh_from_db()
    assert not staff.has_opted_in
    assert newer.number == charter.number + 1


def test_a_material_change_stops_sharing_until_accepted(client, ambassador):
    assert services.can_share(ambassador)
    new_version = published_charter(title="Charte v2", material=True)
    assert not services.can_share(ambassador)
    client.force_login(ambassador)
    assert "La charte a changé" in client.get("/programme/").content.decode()
    client.post("/programme/", {"version": new_version.number, "accept": "on"})
    assert services.can_share(ambassador)
    # Re-accepting keeps a single membership period.
    assert ProgrammeMembership.objects.filter(user=ambassador).count() == 1


def test_a_minor_change_does_not_stop_sharing(ambassador):
    published_charter(title="Charte v2 (coquilles)", material=False)
    assert services.can_share(ambassador)


def test_leaving_is_one_click_and_immediate(client, ambassador):
    SocialHandleFactory(user=ambassador, network="x", handle="camille_lg")
    client.force_login(ambassador)
    response = client.post("/programme/quitter/")
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert not ambassador.has_opted_in
    assert not ambassador.appears_in_rankings
    assert not SocialHandle.objects.filter(user=ambassador).exists()
    period = ProgrammeMembership.objects.get(user=ambassador)
    assert period.left_at is not None


def test_someone_who_left_can_join_again_from_the_programme_page(client, ambassador, charter):
    client.force_login(ambassador)
    client.post("/programme/quitter/")
    page = client.get("/programme/").content.decode()
    assert "Je rejoins le programme" in page
    response = client.post("/programme/", {"version": charter.number, "accept": "on"})
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.has_opted_in
    assert ProgrammeMembership.objects.filter(user=ambassador).count() == 2


def test_leaving_twice_says_so(client, staff):
    client.force_login(staff)
    response = client.post("/programme/quitter/", follow=True)
    assert "Vous ne faites pas partie du programme." in response.content.decode()


def test_leave_hooks_run_for_other_apps(ambassador):
    seen = []
    services.LEAVE_HOOKS.append(seen.append)
    try:
        services.programme_leave(user=ambassador)
    finally:
        services.LEAVE_HOOKS.pop()
    assert seen == [ambassador] or seen[0].pk == ambassador.pk


def test_api_join_and_leave(api_client, staff, charter):
    api_client.force_login(staff)
    refused = api_client.post("/api/v1/programme/join/", {"charter_version": charter.number, "accept": False})
    assert refused.status_code == 400
    assert "accept" in refused.json()["error"]["fields"]
    joined = api_client.post("/api/v1/programme/join/", {"charter_version": charter.number, "accept": True})
    assert joined.status_code == 200
    assert joined.json()["has_opted_in"] is True
    assert "ambassador" in joined.json()["roles"]
    left = api_client.post("/api/v1/programme/leave/")
    assert left.status_code == 200 and left.json()["has_opted_in"] is False
    again = api_client.post("/api/v1/programme/leave/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_member"


def test_api_join_with_unknown_version(api_client, staff, charter):
    api_client.force_login(staff)
    response = api_client.post("/api/v1/programme/join/", {"charter_version": 99, "accept": True})
    assert response.status_code == 400
    assert "charter_version" in response.json()["error"]["fields"]


def test_profile_update_cannot_touch_roles(api_client, staff, org):
    api_client.force_login(staff)
    response = api_client.patch(
        "/api/v1/me/", {"is_platform_admin": True, "managed_unit": org["dg"].pk, "unit": org["a-occ-1"].pk}
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"is_platform_admin", "managed_unit", "unit"}
    staff.refresh_from_db()
    assert not staff.is_platform_admin and staff.managed_unit is None
    assert staff.unit == org["a-bre-1"]


def test_profile_update_through_api(api_client, staff, org):
    api_client.force_login(staff)
    response = api_client.patch(
        "/api/v1/me/",
        {"job_function": "conseiller_entreprise", "notification_preference": "weekly"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["unit"]["code"] == "a-bre-1"
    assert response.json()["job_function"] == "conseiller_entreprise"
    assert User.objects.get(pk=staff.pk).notification_preference == "weekly"


def test_profile_page_saves_and_reports_errors(client, staff, org):
    client.force_login(staff)
    bad = client.post("/profil/", {"first_name": "", "last_name": "X"})
    assert bad.status_code == 200
    assert "fr-input-group--error" in bad.content.decode() or "fr-error-text" in bad.content.decode()
    good = client.post(
        "/profil/",
        {
            "first_name": "Camille",
            "last_name": "Le Goff",
            "unit": org["a-occ-2"].pk,  # ignored: the unit is not the person's to change
            "job_function": "conseiller_emploi",
            "notification_preference": "daily",
        },
    )
    assert good.status_code == 302
    staff.refresh_from_db()
    assert staff.unit == org["a-bre-1"] and staff.notification_preference == "daily"


def test_profile_page_query_count_does_not_grow_with_handles(client, ambassador):
    client.force_login(ambassador)
    client.get("/profil/")  # the first request of a session also records the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/profil/").status_code == 200
    for network, handle in (("x", "cam_lg"), ("linkedin", "camille-lg"), ("bluesky", "cam.bsky.social")):
        SocialHandleFactory(user=ambassador, network=network, handle=handle)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/profil/").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
