"""Error pages: in French, on the site's layout, never blank."""

from django.urls import reverse


def test_a_get_on_a_form_only_address_shows_a_page_not_a_blank(client, ambassador):
    client.force_login(ambassador)
    response = client.get(reverse("programme_leave"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    body = response.content.decode()
    assert "Cette adresse ne s’ouvre pas directement" in body and '<html lang="fr"' in body
    # Nothing was done: the person is still in the programme.
    ambassador.refresh_from_db()
    assert ambassador.has_opted_in


def test_the_api_keeps_its_own_method_errors(api_client, manager):
    api_client.force_authenticate(manager)
    response = api_client.delete(reverse("api_reach_report_units"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
