"""Collectors: each reads one network's API and hands batches of posts to reach.ingestion."""

from datetime import datetime

from django.utils.dateparse import parse_datetime


class CollectorError(Exception):
    """A run could not complete; the message is stored on the collector's state."""


def json_body(response, *, service: str, expected: type):
    """The JSON body of a successful response, or CollectorError saying what came instead.

    A proxy's or a maintenance page's HTML, or an error object where a list was due,
    must fail the run like any other bad answer (recorded, logged, the other hashtags
    collected), not raise something the collector does not expect."""
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type") or "no content type"
        raise CollectorError(
            f"{service} answered {response.status_code} with something other than JSON ({kind}): "
            f"{response.text[:200]!r}"
        ) from None
    if not isinstance(body, expected):
        raise CollectorError(
            f"{service} answered {response.status_code} with a JSON {type(body).__name__} where a "
            f"{expected.__name__} was expected: {response.text[:200]!r}"
        )
    return body


def posted_at(value) -> datetime:
    """A post's ISO 8601 creation time, or ValueError (a post cannot be stored without one)."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"unreadable creation time {value!r}")
    return moment
