"""The public redirect /s/<code>: fixed destination, no cookie, buffered click, honest 404."""

from urllib.parse import parse_qs, urlsplit

import pytest

from advocacy.sharing import buffer, links
from advocacy.sharing.models import Click, SharingSettings, TrackedLink
from advocacy.sharing.services import clicks_store
from content import workflow
from content.models import Kit
from tests.accounts.factories import UserFactory
from tests.sharing.factories import live_kit, share

CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36"
)


@pytest.fixture
def shared(ambassador):
    kit = live_kit(link="https://www.francetravail.fr/actualites/jeunes?ref=home&utm_source=old#haut")
    return share(ambassador=ambassador, kit=kit, network="linkedin")


def _expected(kit, channel):
    return links.with_utm(kit.link, source=channel, campaign=kit.slug)


def test_destination_is_the_kits_link_with_utm_merged_into_its_query(client, shared):
    response = client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "www.francetravail.fr",
        "/actualites/jeunes",
        "haut",
    )
    assert parse_qs(parts.query) == {
        "ref": ["home"],
        "utm_source": ["linkedin"],
        "utm_medium": ["ambassadeur"],
        "utm_campaign": [shared.kit.slug],
    }


@pytest.mark.parametrize(
    "suffix",
    [
        "//evil.example",
        "/\\evil.example",
        "?next=https://evil.example",
        "?url=//evil.example",
        "?next=https:evil.example&url=https://evil.example/x",
    ],
)
def test_nothing_in_the_request_changes_the_destination(client, shared, suffix):
    response = client.get(f"/s/{shared.link.code}{suffix}", HTTP_USER_AGENT=CHROME)
    if response.status_code == 302:
        assert response["Location"] == _expected(shared.kit, "linkedin")
    else:
        assert response.status_code == 404
    assert "evil" not in response.get("Location", "")


@pytest.mark.parametrize("path", ["/s/https:evil.example", "/s///evil.example", "/s/%2F%2Fevil.example", "/s/"])
def test_urls_shaped_like_addresses_are_not_found(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "evil" not in response.get("Location", "")


def test_unknown_code_gets_our_404_page(client, db):
    response = client.get("/s/AAAAAAAAAAAA")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_no_cookie_is_set_and_nothing_is_cached_downstream(client, shared, ambassador):
    client.force_login(ambassador)  # even a signed-in visitor with a session cookie
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["messages"] = "stale"
    response = client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 302
    assert not response.cookies
    assert "Set-Cookie" not in response.serialize_headers().decode()
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_warm_redirect_reads_no_database(midday, client, shared, django_assert_num_queries):
    client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)  # warms the cache and the day's salt
    with django_assert_num_queries(0):
        response = client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 302


def test_click_is_buffered_then_stored_once(client, shared):
    client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME, HTTP_REFERER="https://www.linkedin.com/feed/x?y=1")
    assert Click.objects.count() == 0  # the redirect never waits on the analytics write
    assert buffer.drain(clicks_store) == 1
    buffer.drain(clicks_store)
    click = Click.objects.get()
    assert (click.link_id, click.kind, click.referrer_host) == (shared.link.pk, "human", "www.linkedin.com")
    assert len(click.visitor_hash) == 32


def test_storing_the_same_events_twice_counts_them_once(client, shared):
    for agent in (CHROME, "Twitterbot/1.0", "curl/8.5.0"):
        client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=agent)
    client.head(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch")
    events = []
    buffer.drain(lambda batch: events.extend(batch))
    clicks_store(events)
    clicks_store(events)
    assert sorted(Click.objects.values_list("kind", flat=True)) == ["bot", "head", "human", "prefetch", "preview"]


def test_expired_kit_still_redirects(client, shared):
    workflow.kit_expire(kit=shared.kit)
    links.forget_kit(shared.kit)
    response = client.get(f"/s/{shared.link.code}")
    assert response["Location"] == _expected(shared.kit, "linkedin")


def test_retracted_kit_leads_to_our_withdrawn_page_at_once(client, shared, django_capture_on_commit_callbacks):
    client.get(f"/s/{shared.link.code}")  # cached destination
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kit_retract(kit=shared.kit, by=UserFactory(moderator=True), reason="Crise")
    response = client.get(f"/s/{shared.link.code}")
    assert response.status_code == 302
    assert response["Location"] == "/contenu-retire/"
    assert client.get(response["Location"]).status_code == 200


def test_retracted_kit_leads_to_the_page_admins_chose(client, shared):
    SharingSettings.objects.update_or_create(pk=1, defaults={"withdrawn_url": "https://www.francetravail.fr/retrait"})
    Kit.objects.filter(pk=shared.kit.pk).update(status=Kit.Status.RETRACTED)
    links.forget_kit(shared.kit)
    assert client.get(f"/s/{shared.link.code}")["Location"] == "https://www.francetravail.fr/retrait"


def test_codes_are_random_url_safe_and_at_least_64_bits(ambassador):
    kit = live_kit()
    from advocacy.sharing.services import tracked_links_ensure

    codes = [link.code for link in tracked_links_ensure(ambassador=ambassador, kit=kit).values()]
    codes += [TrackedLink(kit=kit).code for _ in range(200)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 12  # 9 random bytes = 72 bits in base64url
        assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    # Not sequential: neighbours share no long common prefix.
    assert sum(a[:4] == b[:4] for a, b in zip(codes, codes[1:], strict=False)) < 3


def test_even_the_first_click_on_a_new_link_reads_no_database(midday, client, shared, django_assert_num_queries):
    from advocacy.sharing import clicks
    from advocacy.sharing.clicks import salt_for

    salt_for(clicks.timezone.localdate())  # the day's salt is read once per process and day
    with django_assert_num_queries(0):
        response = client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 302


def test_a_warm_click_is_buffered_with_its_link(client, shared, click_buffer):
    links.warm([shared.link])
    assert links.cached(shared.link.code) == (shared.link.pk, _expected(shared.kit, "linkedin"))
    client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    events = []
    buffer.drain(lambda batch: events.extend(batch))
    assert [(event["link"], event["kind"]) for event in events] == [(shared.link.pk, "human")]


def test_an_unknown_code_is_remembered_and_buffers_nothing(client, db, click_buffer, django_assert_num_queries):
    assert client.get("/s/AAAAAAAAAAAA").status_code == 404
    assert links.cached("AAAAAAAAAAAA") == (0, "")
    with django_assert_num_queries(0):
        assert links.follow("AAAAAAAAAAAA", {"id": "x"}) is None
    assert buffer.pending_count() == 0


def test_links_still_redirect_when_the_store_is_down(client, shared, settings):
    # Nothing listens on port 1: every Redis call fails, and the database answers instead.
    settings.CLICK_BUFFER = "redis"
    settings.CLICK_BUFFER_REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(f"/s/{shared.link.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 302
    assert response["Location"] == _expected(shared.kit, "linkedin")
