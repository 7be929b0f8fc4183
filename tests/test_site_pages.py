"""Site-wide pages: the statements a person reads before writing to the team."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.parametrize("url_name", ["accessibility", "privacy", "legal_notice"])
def test_the_support_address_is_a_link_where_the_page_says_to_write(client, db, url_name):
    # The accessibility statement and the erasure right both say « écrivez à … »: the
    # address must open the mail client, not be copied by hand.
    email = settings.BRAND["support_email"]
    body = client.get(reverse(url_name)).content.decode()
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    assert f'<a href="mailto:{email}">{email}</a>' in main


def test_the_profile_links_to_the_support_address_for_a_wrong_unit(client, ambassador):
    email = settings.BRAND["support_email"]
    client.force_login(ambassador)
    body = client.get(reverse("profile")).content.decode()
    assert f'si elle est fausse, écrivez à <a href="mailto:{email}">{email}</a>.' in body


def test_the_refusal_page_links_to_the_support_address(client, staff):
    # An agent not yet in the programme who follows a colleague's link lands here.
    email = settings.BRAND["support_email"]
    client.force_login(staff)
    response = client.get(reverse("sharing:feed"))
    assert response.status_code == 403
    assert f'écrivez à <a href="mailto:{email}">{email}</a>.' in response.content.decode()
