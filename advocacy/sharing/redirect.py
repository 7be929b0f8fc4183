"""The public redirect /s/<code>: one stored lookup and one buffer push (a single Redis
round trip in production), a 302. Nothing else.

Three ways in, each answering exactly the same 302:
- `FastRedirect`, a WSGI wrapper in front of Django (advocacy.wsgi, so gunicorn in
  production): a link whose destination is in Redis is answered before Django builds a
  request at all, with the headers SecurityMiddleware would add. It never reads the
  database; anything it cannot answer that way (not stored yet, unknown, Redis down, the
  first click of the day in this process, plain HTTP under SECURE_SSL_REDIRECT) goes on
  to Django unchanged.
- `ClickRedirectMiddleware`, the first middleware after the security one, so that no
  session, CSRF, message or language machinery touches a public click: no cookie is
  ever set. It reads the database when the code is not stored yet.
- the `click_redirect` view, for what reaches the URL resolver.
Unknown codes get the site's 404 page.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone

from accounts.access import public
from advocacy.sharing import links
from advocacy.sharing.clicks import (
    classify,
    client_address,
    purpose_headers,
    referrer_host,
    salt_for,
    salt_known,
    visitor_hash,
)

logger = logging.getLogger(__name__)

PREFIX = "/s/"
CODE_RE = re.compile(r"[A-Za-z0-9_-]{8,32}")
# Every click must reach us to be counted, and the code (which stands for an ambassador)
# must not leak to the destination through the Referer header.
OWN_HEADERS = (("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"))


def click_event(meta, day=None) -> dict:
    """The buffered record of one request to a link (from its META or WSGI environ), without
    the link's id (added as it is buffered). The address only enters the hash."""
    day = day or timezone.localdate()
    agent = meta.get("HTTP_USER_AGENT", "")[:512]
    return {
        # Made here, so writing the event twice stores it once.
        "id": uuid.uuid4().hex,
        "at": time.time(),
        "day": day.isoformat(),
        "kind": classify(method=meta.get("REQUEST_METHOD", "GET"), headers=purpose_headers(meta), user_agent=agent),
        "visitor": visitor_hash(salt=salt_for(day), address=client_address(meta), user_agent=agent),
        "referrer": referrer_host(meta.get("HTTP_REFERER", "")),
    }


# Where FastRedirect leaves the event it tried to buffer when it hands a request on to
# Django: should the script have run before the connection failed, Django buffers the
# same event again, and its id makes the drain store it once.
EVENT_KEY = "advocacy.click_event"
# Set when FastRedirect's call to the store failed: Django does not wait on it a second time.
STORE_FAILED_KEY = "advocacy.click_store_failed"
# What FastRedirect sends as it is; anything else goes through HttpResponseRedirect's checks.
SAFE_DESTINATION = re.compile(r"(?:https?://|/(?![/\\]))[\x21-\x7e]*")


def _event(meta) -> dict:
    return meta.get(EVENT_KEY) or click_event(meta)


def _follow(code: str, meta) -> str | None:
    return links.follow(code, _event(meta), store_failed=bool(meta.get(STORE_FAILED_KEY)))


def _redirect(destination: str):
    response = HttpResponseRedirect(destination)
    for name, value in OWN_HEADERS:
        response[name] = value
    return response


@public
def click_redirect(request, code):
    destination = _follow(code, request.META) if CODE_RE.fullmatch(code) else None
    if destination is None:
        raise Http404
    return _redirect(destination)


class ClickRedirectMiddleware:
    """Answers known tracked links before the session, CSRF and message middleware run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX) and request.method in ("GET", "HEAD"):
            code = path[len(PREFIX) :]
            if CODE_RE.fullmatch(code):
                destination = _follow(code, request.META)
                if destination is not None:
                    return _redirect(destination)
        return self.get_response(request)


def _is_secure(environ) -> bool:
    """request.is_secure(), from the environ."""
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, secure_value = header
        value = environ.get(name)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _security_headers(secure: bool) -> list[tuple[str, str]]:
    """What SecurityMiddleware adds to our 302 (its Referrer-Policy gives way to ours)."""
    headers = []
    if settings.SECURE_HSTS_SECONDS and secure:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


class FastRedirect:
    """WSGI wrapper answering stored tracked links before Django (see the module's docstring).

    A launch-day click costs the environ checks, the event, one Redis script call and a
    302: about a third of the same click through Django's handler and middleware chain.
    Only with the Redis click buffer (production): the file buffer goes through Django.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if (
            path.startswith(PREFIX)
            and settings.CLICK_BUFFER == "redis"
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and CODE_RE.fullmatch(path, len(PREFIX))
        ):
            secure = _is_secure(environ)
            if secure or not settings.SECURE_SSL_REDIRECT:  # else Django redirects to https first
                destination = self._record(path[len(PREFIX) :], environ)
                if destination is not None:
                    headers = [("Content-Type", "text/html; charset=utf-8"), *OWN_HEADERS, *_security_headers(secure)]
                    start_response("302 Found", [*headers, ("Location", destination)])
                    return [b""]
        return self.application(environ, start_response)

    def _record(self, code: str, environ) -> str | None:
        """The destination after buffering the click, or None to let Django answer."""
        day = timezone.localdate()
        if not salt_known(day):
            return None  # Django reads the day's salt once, inside a request
        event = environ[EVENT_KEY] = click_event(environ, day)
        try:
            entry = links.record(code, event)
        except Exception:  # noqa: BLE001 - logged; Django answers from the database without asking again
            logger.exception("tracked-link store unavailable")
            environ[STORE_FAILED_KEY] = True
            return None
        if not entry or not entry[0] or not SAFE_DESTINATION.fullmatch(entry[1]):
            return None  # unknown, or stored before destinations were encoded: Django answers
        return entry[1]
