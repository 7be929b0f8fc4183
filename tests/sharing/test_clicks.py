"""Clicks: the kind of each request, the visitor hash and its daily salt, the referrer host."""

import datetime as dt

import pytest
from django.test import RequestFactory

from advocacy.sharing import clicks
from advocacy.sharing.clicks import ClickKind, classify, client_address, referrer_host, visitor_hash
from advocacy.sharing.models import DailySalt

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.6668.100 Mobile Safari/537.36"
)

USER_AGENTS = [
    # People, including in-app browsers of the networks and a phone brand with "bot" in it.
    (CHROME_ANDROID, ClickKind.HUMAN),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Mobile/15E148 Safari/604.1",
        ClickKind.HUMAN,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0", ClickKind.HUMAN),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
        "Safari/537.36 Edg/130.0.0.0",
        ClickKind.HUMAN,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 [FBAN/FBIOS;FBAV/480.0.0.37.108;FBBV/640000000;FBDV/iPhone15,2;FBMD/iPhone;]",
        ClickKind.HUMAN,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 "
        "Mobile Safari/537.36 [LinkedInApp]/9.30.1",
        ClickKind.HUMAN,
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
        "Mobile Safari/537.36",
        ClickKind.HUMAN,
    ),
    # Link-preview fetchers.
    ("Twitterbot/1.0", ClickKind.PREVIEW),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", ClickKind.PREVIEW),
    ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", ClickKind.PREVIEW),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", ClickKind.PREVIEW),
    (
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/47.0.2526.111 "
        "Safari/537.36 SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
        ClickKind.PREVIEW,
    ),
    ("WhatsApp/2.23.20.0 A", ClickKind.PREVIEW),
    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", ClickKind.PREVIEW),
    ("TelegramBot (like TwitterBot)", ClickKind.PREVIEW),
    ("http.rb/5.1.1 (Mastodon/4.2.10; +https://piaille.fr/)", ClickKind.PREVIEW),
    ("Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", ClickKind.PREVIEW),
    # Crawlers, scripts and headless browsers.
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ClickKind.BOT),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", ClickKind.BOT),
    ("curl/8.5.0", ClickKind.BOT),
    ("python-requests/2.32.3", ClickKind.BOT),
    ("Wget/1.21.4", ClickKind.BOT),
    ("Go-http-client/1.1", ClickKind.BOT),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/129.0.0.0 Safari/537.36",
        ClickKind.BOT,
    ),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", ClickKind.BOT),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "bot"),
    ("", ClickKind.BOT),
]


@pytest.mark.parametrize(("agent", "kind"), USER_AGENTS)
def test_user_agent_table(agent, kind):
    assert classify(method="GET", headers={}, user_agent=agent) == kind


def test_head_requests_are_their_own_kind():
    assert classify(method="HEAD", headers={}, user_agent=CHROME_ANDROID) == ClickKind.HEAD


@pytest.mark.parametrize(
    "headers", [{"sec-purpose": "prefetch;prerender"}, {"purpose": "prefetch"}, {"x-moz": "prefetch"}]
)
def test_prefetches_are_their_own_kind(headers):
    assert classify(method="GET", headers=headers, user_agent=CHROME_ANDROID) == ClickKind.PREFETCH


def test_referrer_keeps_its_host_only():
    assert referrer_host("https://T.co/AbC?utm=1#x") == "t.co"
    assert referrer_host("https://www.linkedin.com/feed/update/urn:li:activity:1/") == "www.linkedin.com"
    assert referrer_host("") == ""
    assert referrer_host("not a url") == ""
    assert referrer_host("http://[::1") == ""


def test_client_address_ignores_forwarded_header_without_trusted_proxies(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request.META) == "192.0.2.1"


def test_client_address_takes_the_entry_our_proxy_appended(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.7")
    assert client_address(request.META) == "192.0.2.7"


def test_client_address_falls_back_when_the_header_is_too_short(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert client_address(request.META) == "10.0.0.1"


def test_visitor_hash_is_stable_within_a_salt_and_differs_across_salts():
    one = visitor_hash(salt=b"a" * 32, address="192.0.2.1", user_agent=CHROME_ANDROID)
    assert one == visitor_hash(salt=b"a" * 32, address="192.0.2.1", user_agent=CHROME_ANDROID)
    assert one != visitor_hash(salt=b"a" * 32, address="192.0.2.2", user_agent=CHROME_ANDROID)
    assert one != visitor_hash(salt=b"b" * 32, address="192.0.2.1", user_agent=CHROME_ANDROID)
    assert "192.0.2.1" not in one


@pytest.fixture
def fresh_salts():
    clicks._salts.clear()
    yield
    clicks._salts.clear()


@pytest.mark.django_db
def test_daily_salt_is_created_once_per_day_and_differs_between_days(fresh_salts):
    monday, tuesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    salt = clicks.salt_for(monday)
    clicks._salts.clear()  # another process reads the same row
    assert clicks.salt_for(monday) == salt
    assert clicks.salt_for(tuesday) != salt
    assert DailySalt.objects.count() == 2


@pytest.mark.django_db
def test_same_visitor_counts_once_a_day_and_again_the_next_day(fresh_salts):
    monday, tuesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    visits = [
        visitor_hash(salt=clicks.salt_for(day), address="192.0.2.1", user_agent=CHROME_ANDROID)
        for day in (monday, monday, tuesday)
    ]
    assert visits[0] == visits[1]
    assert visits[2] != visits[0]


@pytest.mark.django_db
def test_old_salts_are_deleted(fresh_salts):
    today = dt.date(2026, 11, 23)
    for back in range(4):
        clicks.salt_for(today - dt.timedelta(days=back))
    assert clicks.salts_purge(today=today) == 1
    assert sorted(DailySalt.objects.values_list("day", flat=True)) == [
        today - dt.timedelta(days=2),
        today - dt.timedelta(days=1),
        today,
    ]
