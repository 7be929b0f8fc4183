"""Sanitising rich text written by staff (charter, guideline pages, briefs).

Text is cleaned when it is saved and again when it is displayed, so that neither an
old row nor a row written around the services can carry a script to a page.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "blockquote", "code", "pre",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def sanitize(html: str) -> str:
    """Return `html` with only harmless tags and attributes left."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(html: str) -> SafeString:
    return mark_safe(sanitize(html))  # noqa: S308 - sanitised on the line above
