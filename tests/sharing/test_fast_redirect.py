"""FastRedirect, the WSGI wrapper that answers stored tracked links before Django.

It must answer exactly what Django answers (status and every header), buffer each click
once, read no database, and hand anything it cannot answer that way on to Django.
"""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from advocacy.sharing import buffer, links
from advocacy.sharing.clicks import salt_for
from advocacy.sharing.models import Click
from advocacy.sharing.redirect import FastRedirect
from advocacy.sharing.services import clicks_store
from tests.sharing.factories import live_kit, share
from tests.sharing.test_redirect import CHROME


class Recorder:
    """A WSGI app standing for Django: records that it was called, answers 418."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"django"]


def _call(app, path, *, method="get", secure=False, **extra):
    environ = getattr(RequestFactory(), method)(path, secure=secure, HTTP_USER_AGENT=CHROME, **extra).environ
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"], answered["headers"] = status, headers

    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return answered["status"], sorted(answered["headers"]), body


@pytest.fixture
def warm(midday, ambassador, redis_click_buffer):
    """A shared link whose destination is stored, on a day whose salt this process holds."""
    kit = live_kit(link="https://www.francetravail.fr/actualites/jeunes?ref=home")
    link = share(ambassador=ambassador, kit=kit, network="x").link
    links.warm([link])
    salt_for(timezone.localdate())
    return link


@pytest.mark.parametrize("secure", [False, True])
def test_it_answers_exactly_what_django_answers(warm, settings, secure):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    django = _call(WSGIHandler(), f"/s/{warm.code}", secure=secure)
    fast = _call(FastRedirect(Recorder()), f"/s/{warm.code}", secure=secure)
    assert fast == django
    assert fast[0] == "302 Found"
    assert ("Strict-Transport-Security" in dict(fast[1])) is secure


def test_head_requests_get_the_same_answer(warm):
    assert _call(FastRedirect(Recorder()), f"/s/{warm.code}", method="head") == _call(
        WSGIHandler(), f"/s/{warm.code}", method="head"
    )


def test_a_click_is_buffered_once_without_django_or_the_database(warm, django_assert_num_queries):
    django = Recorder()
    with django_assert_num_queries(0):
        status, headers, _body = _call(FastRedirect(django), f"/s/{warm.code}", HTTP_REFERER="https://t.co/abc")
    assert (status, django.calls) == ("302 Found", 0)
    assert dict(headers)["Location"] == links.with_utm(warm.kit.link, source="x", campaign=warm.kit.slug)
    assert buffer.drain(clicks_store) == 1
    assert buffer.drain(clicks_store) == 0
    click = Click.objects.get()
    assert (click.link_id, click.kind, click.referrer_host) == (warm.pk, "human", "t.co")


def test_djangos_fallback_reuses_the_event_fast_redirect_made(warm, monkeypatch):
    # The script may have buffered the click before the connection failed: Django then
    # buffers the very same event (same id), and the drain stores it once.
    real = buffer.RedisBuffer.record
    seen = []

    def record_then_fail(self, code, event):
        seen.append(event["id"])
        if len(seen) == 1:
            real(self, code, event)
            raise ConnectionError("lost after the script ran")
        return real(self, code, event)

    monkeypatch.setattr(buffer.RedisBuffer, "record", record_then_fail)
    assert _call(FastRedirect(WSGIHandler()), f"/s/{warm.code}")[0] == "302 Found"
    assert len(seen) == 1  # Django asked the database, and buffered the same event
    events = []
    buffer.drain(lambda batch: events.extend(batch))
    assert [event["id"] for event in events] == seen * 2
    clicks_store(events)
    assert Click.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    ["/s/AAAAAAAAAAAA", "/s/short", "/s/AAAAAAAAAAAA/extra", "/s//evil.example", "/compte/login/", "/"],
)
def test_unknown_codes_and_other_paths_go_to_django(warm, path):
    links.lookup("AAAAAAAAAAAA")  # stored as unknown
    django = Recorder()
    assert _call(FastRedirect(django), path)[0] == "418 I'm a teapot"
    assert django.calls == 1
    assert buffer.pending_count() == 0


def test_other_methods_go_to_django(warm):
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}", method="post")[0] == "418 I'm a teapot"


def test_a_link_not_stored_yet_goes_to_django_which_reads_the_database(warm):
    links.forget_kit(warm.kit)
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "418 I'm a teapot"
    assert _call(FastRedirect(WSGIHandler()), f"/s/{warm.code}")[0] == "302 Found"
    assert links.cached(warm.code)[0] == warm.pk


def test_the_first_click_of_the_day_in_a_process_goes_to_django(warm, monkeypatch):
    from advocacy.sharing import clicks

    monkeypatch.setattr(clicks, "_salts", {})
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "418 I'm a teapot"
    assert buffer.pending_count() == 0


def test_plain_http_under_ssl_redirect_goes_to_django(warm, settings):
    settings.SECURE_SSL_REDIRECT = True
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "418 I'm a teapot"
    assert _call(FastRedirect(django), f"/s/{warm.code}", secure=True)[0] == "302 Found"


def test_a_redis_outage_goes_to_django(warm, settings):
    settings.CLICK_BUFFER_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "418 I'm a teapot"
    status, headers, _body = _call(FastRedirect(WSGIHandler()), f"/s/{warm.code}")
    assert status == "302 Found"


def test_the_file_buffer_always_goes_to_django(ambassador, settings, tmp_path):
    settings.CLICK_BUFFER = "file"
    settings.CLICK_BUFFER_DIR = str(tmp_path / "clicks")
    link = share(ambassador=ambassador, network="x").link
    links.warm([link])
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{link.code}")[0] == "418 I'm a teapot"
    assert _call(FastRedirect(WSGIHandler()), f"/s/{link.code}")[0] == "302 Found"


def test_a_flushed_redis_is_sent_the_script_again(warm):
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CLICK_BUFFER_REDIS_URL).script_flush()
    assert _call(FastRedirect(Recorder()), f"/s/{warm.code}")[0] == "302 Found"
    assert buffer.pending_count() == 1


def test_a_french_address_is_sent_percent_encoded_by_both_paths(ambassador, redis_click_buffer):
    kit = live_kit(link="https://www.francetravail.fr/actualités/l’emploi-des-jeunes?thème=été")
    link = share(ambassador=ambassador, kit=kit, network="x").link
    links.warm([link])
    salt_for(timezone.localdate())
    django = _call(WSGIHandler(), f"/s/{link.code}")
    fast_app = Recorder()
    fast = _call(FastRedirect(fast_app), f"/s/{link.code}")
    assert fast == django and fast_app.calls == 0
    location = dict(fast[1])["Location"]
    assert location.isascii()
    assert location.startswith("https://www.francetravail.fr/actualit%C3%A9s/l%E2%80%99emploi-des-jeunes?")


def test_a_destination_stored_unencoded_is_left_to_django(warm):
    from advocacy.sharing.buffer import RedisBuffer

    RedisBuffer().destinations_set({warm.code: f"{warm.pk}\thttps://www.francetravail.fr/actualités"}, 60)
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "418 I'm a teapot"
    response = _call(FastRedirect(WSGIHandler()), f"/s/{warm.code}")
    assert dict(response[1])["Location"] == "https://www.francetravail.fr/actualit%C3%A9s"


def test_django_does_not_wait_on_the_store_again_after_it_failed(warm, monkeypatch, caplog):
    calls = []

    def failing(self, code, event):
        calls.append(code)
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(buffer.RedisBuffer, "record", failing)
    status, headers, _body = _call(FastRedirect(WSGIHandler()), f"/s/{warm.code}")
    assert status == "302 Found" and len(calls) == 1  # the database answered
    # The outage is logged once, not hidden by the fallback.
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == ["tracked-link store unavailable"]


def test_a_connection_closed_by_redis_is_replaced_without_failing_the_click(warm):
    import redis
    from django.conf import settings

    from advocacy.sharing.buffer import RedisBuffer

    store = RedisBuffer()
    assert store.record(warm.code, {"id": "a"}) is not None
    connection, fresh = store._record_connection()
    assert not fresh
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    redis.Redis.from_url(settings.CLICK_BUFFER_REDIS_URL).client_kill_filter(_id=client_id)
    django = Recorder()
    assert _call(FastRedirect(django), f"/s/{warm.code}")[0] == "302 Found"
    assert django.calls == 0
    assert store._record_connection()[0] is not connection


class Interrupted(BaseException):
    pass


def test_an_interrupted_call_leaves_no_reply_for_the_next_click(warm, monkeypatch):
    from advocacy.sharing.buffer import RedisBuffer

    store = RedisBuffer()
    store.record(warm.code, {"id": "a"})
    connection, _fresh = store._record_connection()

    def interrupted(*args, **kwargs):
        raise Interrupted

    monkeypatch.setattr(connection, "read_response", interrupted)
    with pytest.raises(Interrupted):
        store.record(warm.code, {"id": "b"})  # sent, its reply never read
    fresh_connection, fresh = store._record_connection()
    assert fresh and fresh_connection is not connection
    assert store.record("ZZZZZZZZZZZZ", {"id": "c"}) is None  # this call's own reply
