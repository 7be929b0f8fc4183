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
# Entities nh3 writes for characters typed as text; "&amp;" stays escaped where it would
# start an entity ("&amp;lt;" is the text "&lt;", which would come back as "<"), and
# "&lt;" where it would start a tag (_as_typed).
_ENTITY = re.compile(r"&(?:quot|#39|nbsp|gt);|&amp;(?![#A-Za-z0-9]+;)")
# Every element of HTML (with svg and math): a tag of one of them typed in the text box is
# HTML, kept if allowed and removed by sanitize() if not (a pasted <div>, a <script>);
# any other "<" is text ("x<y", "a <b c", "<3", "<prénom>.nom@…"), which nh3 would
# otherwise read as the start of a tag and drop with what follows it.
_HTML_ELEMENTS = ALLOWED_TAGS | set(
    "html head title base link meta style body article section nav aside h1 h5 h6 hgroup header footer "
    "address main figure figcaption dl dt dd menu div search abbr cite data dfn kbd mark q rp rt ruby samp "
    "small span sub sup time var wbr bdi bdo del ins img picture source iframe embed object param video "
    "audio track map area caption colgroup col tfoot form label input button select datalist optgroup "
    "option textarea output progress meter fieldset legend details summary dialog script noscript "
    "template slot canvas svg math frame frameset noframes noembed xmp plaintext listing center font "
    "big strike tt marquee blink applet acronym basefont dir image".split()
)
# A whole tag as it may be typed: a name, attributes each with its value (a tag of rich
# text has no other: "a<b et b>c" is text), then ">" or "/>"; or a closing tag. A value has
# no ">", which nh3 writes "&gt;" in a stored tag, so that a tag ends at the first ">".
_TYPED_TAG = re.compile(
    r"""<([A-Za-z][A-Za-z0-9]*)(?:\s+[^\s"'<>/=]+\s*=\s*(?:"[^">]*"|'[^'>]*'|[^\s"'<>=`]+))*\s*/?>"""
    r"""|</([A-Za-z][A-Za-z0-9]*)\s*>"""
)
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


def _is_tag_at(text: str, position: int) -> bool:
    tag = _TYPED_TAG.match(text, position)
    return bool(tag) and (tag.group(1) or tag.group(2)).lower() in _HTML_ELEMENTS


def _as_typed(text: str) -> str:
    """The text between two tags of sanitised HTML, as it is typed: characters rather than
    entities, but for a "&lt;" that from_editable() would read as the start of a tag.
    Read from the end, so that each "<" is judged on what will follow it in the box."""
    pieces = _ENTITY.sub(lambda entity: html_module.unescape(entity.group(0)), text).split("&lt;")
    typed = [pieces[-1]]
    # What follows in the box, up to the first ">", where a tag ends.
    following = pieces[-1].split(">", 1)[0] + ">" if ">" in pieces[-1] else pieces[-1]
    for piece in reversed(pieces[:-1]):
        lt = "&lt;" if _is_tag_at("<" + following, 0) else "<"
        typed += [lt, piece]
        following = piece.split(">", 1)[0] + ">" if ">" in piece else piece + lt + following
    return "".join(reversed(typed))


# A block that keeps its blank lines (the preformatted text of a <pre>, the items of a list,
# the paragraphs of a quote): cut there, it would end at the first one.
_OUTER_BLOCK = re.compile(r"<(/?)(?:pre|blockquote|ul|ol|table)\b", re.I)
# Where one block of the page ends and another starts right after it.
_BLOCK_END = re.compile(
    r"(</(?:pre|blockquote|ul|ol|table|h[1-6])>|<hr>)(?=<(?:pre|blockquote|ul|ol|table|h[1-6]|hr)\b)"
)


def _spaced(html: str) -> str:
    """`html` with a blank line between two blocks written side by side, as they are typed
    (from_editable() joins them), but for those inside a list, a quote or a table."""
    spaced, depth, position = [], 0, 0
    for end in _BLOCK_END.finditer(html):
        for tag in _OUTER_BLOCK.finditer(html, position, end.end()):
            depth = max(0, depth - 1 if tag.group(1) else depth + 1)
        spaced.append(html[position : end.end()] + ("\n\n" if depth == 0 else ""))
        position = end.end()
    return "".join(spaced) + html[position:]


def to_editable(html: str) -> str:
    """Stored rich text → what the text box shows."""
    clean = sanitize(html)
    parts = []
    position = 0
    for match in _PARAGRAPH.finditer(clean):
        if _is_nested(clean[: match.start()]):
            continue
        parts.append(_spaced(clean[position : match.start()].strip()))
        parts.append(_LINE_BREAK.sub("\n", _SOFT_BREAK.sub(" ", match.group(1))).strip())
        position = match.end()
    parts.append(_spaced(clean[position:].strip()))
    # sanitize() adds this to every link again on the way back.
    text = "\n\n".join(part for part in parts if part).replace(' rel="noopener noreferrer"', "")
    return "".join(part if index % 2 else _as_typed(part) for index, part in enumerate(_TAG.split(text)))


# A block ends the paragraph typed before it (as it does on the page), so that the
# paragraph's line breaks are not written into it.
_BLOCK_START = re.compile(r"\s*(?=<(?:p|ul|ol|li|h[1-6]|blockquote|pre|table|hr)\b)", re.I)


def _chunks(text: str):
    """The text cut at its blank lines, but for those inside a block of _OUTER_BLOCK."""
    depth = start = scanned = 0
    for blank in _BLANK_LINE.finditer(text):
        for tag in _OUTER_BLOCK.finditer(text, scanned, blank.start()):
            depth = max(0, depth - 1 if tag.group(1) else depth + 1)
        scanned = blank.start()
        if depth == 0:
            yield text[start : blank.start()]
            start = blank.end()
    yield text[start:]


def from_editable(text: str) -> str:
    """What was typed in the text box → rich text: each block of lines separated by a
    blank line is a paragraph, unless it is already HTML markup of its own. A "<" that does
    not start a tag is text (_HTML_ELEMENTS)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = re.sub("<", lambda lt: "<" if _is_tag_at(text, lt.start()) else "&lt;", text)
    blocks = []
    for chunk in _chunks(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if not _BLOCK.match(chunk):
            paragraph, *rest = _BLOCK_START.split(chunk, 1)
            blocks.append("<p>" + "<br>".join(line.strip() for line in paragraph.split("\n")) + "</p>")
            chunk = rest[0].strip() if rest else ""
        blocks.append(chunk)
    return sanitize("".join(blocks))
