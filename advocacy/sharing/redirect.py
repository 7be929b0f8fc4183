"""The public redirect /s/<code>: one stored lookup and one buffer push (a single Redis
round trip in production), a 302. Nothing else.

It runs as the first middleware after the security one, so that no session, CSRF,
message or language machinery touches a public click: no cookie is ever set, no
database is read once the code is cached, and the redirect holds launch-day peaks.
Unknown codes fall through to the URL resolver and get the site's 404 page.
"""

import re
import time
import uuid

from django.http import Http404, HttpResponseRedirect
from django.utils import timezone

from accounts.access import public
from advocacy.sharing import links
from advocacy.sharing.clicks import classify, client_address, purpose_headers, referrer_host, salt_for, visitor_hash

PREFIX = "/s/"
CODE_RE = re.compile(r"[A-Za-z0-9_-]{8,32}")


def click_event(request) -> dict:
    """The buffered record of one request to a link, without the link's id (added as it is
    buffered). The address only enters the hash."""
    day = timezone.localdate()
    agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    return {
        # Made here, so writing the event twice stores it once.
        "id": uuid.uuid4().hex,
        "at": time.time(),
        "day": day.isoformat(),
        "kind": classify(method=request.method, headers=purpose_headers(request.META), user_agent=agent),
        "visitor": visitor_hash(salt=salt_for(day), address=client_address(request), user_agent=agent),
        "referrer": referrer_host(request.META.get("HTTP_REFERER", "")),
    }


def _redirect(destination: str):
    response = HttpResponseRedirect(destination)
    # Every click must reach us to be counted, and the code (which stands for an
    # ambassador) must not leak to the destination through the Referer header.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
def click_redirect(request, code):
    destination = links.follow(code, click_event(request)) if CODE_RE.fullmatch(code) else None
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
                destination = links.follow(code, click_event(request))
                if destination is not None:
                    return _redirect(destination)
        return self.get_response(request)
