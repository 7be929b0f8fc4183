"""Sanitising rich text written by staff (charter, guideline pages, briefs).

Text is cleaned when it is saved and again when it is displayed, so that neither an
old row nor a row written around the services can carry a script to a page.
"""

import html as html_module
import re

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


# Editing in a plain text box: paragraphs are written as text separated by a blank line,
# and only the rest of the formatting (lists, links, bold...) is shown as HTML, so that the
# box does not open on "<p>...</p>" and what was saved comes back unchanged.
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_LINE_BREAK = re.compile(r"\s*<br\s*/?>\s*")
# A line break in a paragraph's HTML source is a space on the page; in the text box, a
# line break is a <br>, so it is shown as the space it is.
_SOFT_BREAK = re.compile(r"[ \t]*\n\s*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK = re.compile(r"^<(?:p|ul|ol|li|h[1-6]|blockquote|pre|table|hr|br)\b", re.I)
# Entities nh3 writes for characters typed as text; "&lt;" stays escaped where it would
# otherwise start a tag on the way back, and "&amp;" where it would start an entity
# ("&amp;lt;" is the text "&lt;", which would come back as "<").
_ENTITY = re.compile(r"&(?:quot|#39|nbsp|gt);|&amp;(?![#A-Za-z0-9]+;)|&lt;(?![A-Za-z/!?])")
# A paragraph inside a quote, a list item or a table cell stays HTML with its container:
# taken out as text, it would come back as a paragraph of its own outside it.
_CONTAINER = re.compile(r"<(/?)(?:blockquote|li|td|th|pre)\b")
# A tag as nh3 writes it: attribute values double-quoted, with '"' written "&quot;" (and
# left so: unescaped inside a tag, it would end the value, and what follows be lost).
_TAG = re.compile(r'(<[^"<>]*(?:"[^"]*"[^"<>]*)*>)')


def _is_nested(before: str) -> bool:
    # Sanitised HTML is well formed, so the containers opened and not closed before a
    # paragraph are the ones it is in.
    return sum(-1 if tag.group(1) else 1 for tag in _CONTAINER.finditer(before)) > 0


def to_editable(html: str) -> str:
    """Stored rich text → what the text box shows."""
    clean = sanitize(html)
    parts = []
    position = 0
    for match in _PARAGRAPH.finditer(clean):
        if _is_nested(clean[: match.start()]):
            continue
        parts.append(clean[position : match.start()].strip())
        parts.append(_LINE_BREAK.sub("\n", _SOFT_BREAK.sub(" ", match.group(1))).strip())
        position = match.end()
    parts.append(clean[position:].strip())
    # sanitize() adds this to every link again on the way back.
    text = "\n\n".join(part for part in parts if part).replace(' rel="noopener noreferrer"', "")
    return "".join(
        part if index % 2 else _ENTITY.sub(lambda entity: html_module.unescape(entity.group(0)), part)
        for index, part in enumerate(_TAG.split(text))
    )


def from_editable(text: str) -> str:
    """What was typed in the text box → rich text: each block of lines separated by a
    blank line is a paragraph, unless it is already HTML markup of its own."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = []
    for chunk in _BLANK_LINE.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + "<br>".join(line.strip() for line in chunk.split("\n")) + "</p>")
    return sanitize("".join(blocks))
