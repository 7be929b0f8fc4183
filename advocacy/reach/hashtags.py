"""Hashtag normalisation and matching, the one place that decides whether a post
carries one of our hashtags.

Two spellings are the same tag when they are equal after Unicode compatibility
normalisation (NFKC, which also turns the full-width ＃ and letters into ASCII), case
folding and removal of accents. A tag is only matched whole: #AvecPôleEmploiRecrute
is another tag than #AvecPôleEmploi.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

# A hashtag is a # not glued to a word (so "abc#tag" and "&#39;" are not tags), then
# letters, digits, underscores and combining marks. Text is NFKC-normalised first, so
# the full-width ＃ (U+FF03) and the small ﹟ (U+FE5F) are already a plain #.
# The # comes first in the pattern (then the look-behind checks what precedes it), which
# lets the engine jump from one # to the next instead of trying every position.
_HASHTAG = re.compile(r"#(?<![\w&#/]#)([\w\u0300-\u036f]+)")


@lru_cache(maxsize=10_000)
def normalize(tag: str) -> str:
    """The comparison key of a tag: NFKC, no leading #, case-folded, without accents."""
    text = unicodedata.normalize("NFKC", tag).strip()
    text = text.lstrip("#")
    text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def extract(text: str) -> list[str]:
    """Every hashtag written in `text`, as written (after NFKC), in order of appearance."""
    if not text:
        return []
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _not_numbers(_HASHTAG.findall(text))


def match(text: str, wanted: Iterable[str], extra_tags: Iterable[str] = ()) -> list[str]:
    """The normalised forms, among `wanted` (already normalised), of the tags in `text`.

    `extra_tags` are tags a source gives apart from the text (X entities, Mastodon's
    tag list, a column of an export); they are matched the same way. The result is
    sorted and free of duplicates, so that it is a stable value to store and compare.
    """
    if not isinstance(wanted, set | frozenset):
        wanted = set(wanted)
    present = {normalize(tag) for tag in extract(text)}
    if extra_tags:
        present.update(normalize(tag) for tag in extra_tags if tag)
    present &= wanted
    return sorted(present) if len(present) > 1 else list(present)


def match_field(text: str, wanted: set[str] | frozenset[str], extra_tags: Iterable[str] = ()) -> str:
    """to_field(match(text, wanted, extra_tags)), faster for the common post with one tag."""
    if not extra_tags:
        return _field(extract(text), wanted)
    return to_field(match(text, wanted, extra_tags))


def _field(tags: list[str], wanted: set[str] | frozenset[str]) -> str:
    """to_field(match(…)) of the tags extract() found in a text."""
    if len(tags) == 1:
        tag = normalize(tags[0])
        return f" {tag} " if tag in wanted else ""
    if not tags:
        return ""
    return to_field({normalize(tag) for tag in tags} & wanted)


def match_fields(texts: Sequence[str], wanted: set[str] | frozenset[str]) -> list[str]:
    """[match_field(text, wanted) for text in texts], in fewer steps per text: what a
    file import asks of a million posts.

    Texts are searched as extract() searches them, in NFKC: one check tells whether they
    all are (joined by a line feed, which never composes with its neighbours, they are
    in NFKC together or not at all), else each is checked and normalised if need be
    (French texts often hold a no-break space, which NFKC changes). A text with one tag,
    the common case, then costs one look-up of that tag as written.
    """
    if not unicodedata.is_normalized("NFKC", "\n".join(texts)):
        texts = [
            text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text) for text in texts
        ]
    fields = []
    append = fields.append
    single: dict[str, str] = {}  # one tag as written -> its field
    for found in map(_HASHTAG.findall, texts):
        if len(found) == 1:
            field = single.get(found[0])
            if field is None:
                field = single[found[0]] = _field(_not_numbers(found), wanted)
            append(field)
        elif not found:
            append("")
        else:
            append(_field(_not_numbers(found), wanted))
    return fields


def _not_numbers(tags: list[str]) -> list[str]:
    # X and Mastodon do not treat a run of digits as a hashtag (#1 is not a tag).
    return [tag for tag in tags if not tag.isdigit()]


def spelling_variants(tag: str) -> list[str]:
    """The spellings a search should ask for: as written and without accents.

    X searches hashtags case-insensitively but treats accented and plain letters as
    different, so #AvecPôleEmploi and #AvecPoleEmploi are two searches.
    """
    written = unicodedata.normalize("NFKC", tag).strip().lstrip("#")
    plain = "".join(ch for ch in unicodedata.normalize("NFD", written) if not unicodedata.combining(ch))
    plain = unicodedata.normalize("NFC", plain)
    return [written] if plain == written else [written, plain]


def to_field(tags: Iterable[str]) -> str:
    """Store matched tags as " a b ", so that `contains=" a "` finds whole tags on any database."""
    tags = sorted(set(tags))
    return f" {' '.join(tags)} " if tags else ""


def from_field(value: str) -> list[str]:
    return value.split()
