"""The guideline checks: what a post says, how long each network counts it, where it links.

Pure and fast: `check_text` runs on every keystroke of the kit editor, so it does no
work it does not need and touches the database only to load the rules, the sensitive
periods and the allowed domains when the caller does not pass them (once per request).
Rules are plain objects with the attributes of `content.models.GuidelineRule`; tests
and callers may pass `RuleSpec`/`PeriodSpec` instead of rows.

Matching works on a normalised copy of the text (compatibility forms folded, case
folded, accents stripped) that keeps, for every character, the offset of the original
character it came from, so that findings highlight the words as the person typed them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started
from django.utils import timezone
from django.utils.translation import gettext as _

# ---------------------------------------------------------------------------------------
# Rule kinds and severities (the same values as content.models.GuidelineRule).

TERM = "term"
REQUIRED_HASHTAG = "required_hashtag"
MAX_HASHTAGS = "max_hashtags"
CAPITALS = "capitals"
LENGTH = "length"
LINK_ALLOWLIST = "link_allowlist"
IMAGE_ALT = "image_alt"
SENSITIVE_PERIOD = "sensitive_period"  # findings of periods, which are not rules

BLOCKING = "blocking"
WARNING = "warning"

# What each network allows, as the network itself counts it (see `weighted_length`).
NETWORK_LIMITS = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "linkedin": 3000,
    "facebook": 63206,
    "instagram": 2200,
}
# X and Mastodon replace every link by one of this length, whatever its real length.
SHORTENED_URL_LENGTH = 23

# Capitals are only judged on texts with enough letters: "RDV à 14h" is not shouting.
CAPITALS_MIN_LETTERS = 20
CAPITALS_DEFAULT_PERCENT = 60
MAX_HASHTAGS_DEFAULT = 3


@dataclass
class Finding:
    """One thing a check found in a text. `start`/`end` are offsets in the original text
    (None when the finding is about the whole post, its link or its visuals)."""

    rule_id: int | None
    kind: str
    severity: str
    message: str
    explanation: str = ""
    suggestion: str = ""
    start: int | None = None
    end: int | None = None
    network: str = ""
    # Which suggested text of a kit the finding is about (check_kit only).
    text_position: int | None = None

    @property
    def is_blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_dict(self) -> dict:
        return {key: str(value) if key in _TEXT_FIELDS else value for key, value in asdict(self).items()}


_TEXT_FIELDS = {"message", "explanation", "suggestion"}


@dataclass(frozen=True)
class RuleSpec:
    """A rule outside the database (tests, previews); same attributes as GuidelineRule."""

    kind: str
    pattern: str = ""
    parameter: int | None = None
    networks: tuple[str, ...] = ()
    severity: str = BLOCKING
    explanation: str = ""
    suggestion: str = ""
    is_active: bool = True
    id: int | None = None
    # A term rule limited to the days of some sensitive periods (their ids); empty = always.
    during_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PeriodSpec:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    severity: str = WARNING
    explanation: str = ""
    is_active: bool = True
    id: int | None = None


@dataclass(frozen=True)
class ImageSpec:
    alt_text: str = ""
    kind: str = "image"
    label: str = ""


def has_blocking(findings: Iterable[Finding | dict]) -> bool:
    return any((f.get("severity") if isinstance(f, dict) else f.severity) == BLOCKING for f in findings)


# ---------------------------------------------------------------------------------------
# Normalisation with a map back to the original offsets.

# Typographic variants that NFKD leaves apart (or folds into letters, like "º" into "o").
_PRE_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u00ba": "°",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKD", char.translate(_PRE_FOLD))
    folded = "".join(c for c in folded if not _is_mark(c)).casefold()
    # Case folding can bring marks back (e.g. "İ" folds to "i" + dot above).
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in folded if not _is_mark(c))


@dataclass(frozen=True)
class Normalised:
    text: str
    # offsets[i] is the offset in the original text of normalised character i.
    offsets: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters [start, end)."""
        if start >= end:
            position = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return position, position
        original_start = self.offsets[start]
        original_end = self.offsets[end - 1] + 1
        # Keep the accents that were typed as separate combining characters.
        while original_end < len(self.original) and _is_mark(self.original[original_end]):
            original_end += 1
        return original_start, original_end


def normalise(text: str) -> Normalised:
    """Fold compatibility forms, case and accents; remember where each character came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = char if char.isascii() and not char.isupper() else _fold_char(char)
        chars.append(folded)
        offsets.extend([index] * len(folded))
    return Normalised("".join(chars), tuple(offsets), text)


def fold(text: str) -> str:
    return normalise(text).text


# ---------------------------------------------------------------------------------------
# Terms: word boundaries, flexible spacing, simple French inflection.

# Articles and prepositions that French contracts or elides: "champion de" also means
# "champions du", "championne des" and "champion d'Europe".
_FUNCTION_WORDS = {
    "de": ("de", "du", "des", "d'"),
    "du": ("de", "du", "des", "d'"),
    "des": ("de", "du", "des", "d'"),
    "le": ("le", "la", "les", "l'"),
    "la": ("le", "la", "les", "l'"),
    "les": ("le", "la", "les", "l'"),
    "l'": ("le", "la", "les", "l'"),
    "d'": ("de", "du", "des", "d'"),
}
# Feminine and plural endings of adjectives, nouns and past participles
# ("préféré" → "préférée", "préférés"; "champion" → "championnes"; "fier" → "fiers";
# "national" → "nationaux"; "nouveau" → "nouveaux").
_SEPARATOR = r"[\s\-]+"


def _word_regex(token: str) -> str:
    # "n°1" is also written "n° 1".
    escaped = re.escape(token).replace("°", r"°\s*")
    if len(token) < 4 or not token[-1].isalpha():
        return escaped
    if token.endswith("al"):
        return re.escape(token[:-2]) + r"(?:al(?:e|s|es)?|aux)"
    if token.endswith("u"):
        return escaped + r"(?:e|s|es|x)?"
    if token.endswith("n"):
        return escaped + r"(?:e|s|es|ne|nes)?"
    return escaped + r"(?:e|s|es)?"


@functools.lru_cache(maxsize=1024)
def term_regex(pattern: str) -> re.Pattern:
    """The compiled regex matching `pattern` in normalised text (see `normalise`)."""
    tokens = fold(pattern).replace("'", "' ").split()
    parts = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        separator = "" if last else _SEPARATOR
        if token in _FUNCTION_WORDS:
            words = _FUNCTION_WORDS[token]
            full = "|".join(re.escape(w) for w in words if not w.endswith("'"))
            elided = "|".join(re.escape(w) for w in words if w.endswith("'"))
            if last:
                # "champion de" ends on "d'" in "championne d'Europe".
                parts.append(rf"(?:(?:{full})(?!\w)|(?:{elided}))")
            else:
                parts.append(rf"(?:(?:{full}){separator}|(?:{elided})\s*)")
        elif token.endswith("'"):
            parts.append(re.escape(token) + ("" if last else r"\s*"))
        else:
            parts.append(_word_regex(token) + (r"(?!\w)" if last else separator))
    body = "".join(parts)
    return re.compile(rf"(?<!\w){body}")


def find_term(text: str | Normalised, pattern: str) -> list[tuple[int, int]]:
    """Original-text spans where `pattern` occurs (case, accents and inflection aside)."""
    normalised = text if isinstance(text, Normalised) else normalise(text)
    if not fold(pattern).strip():
        return []
    return [normalised.span(m.start(), m.end()) for m in term_regex(pattern).finditer(normalised.text)]


# ---------------------------------------------------------------------------------------
# Hashtags, links.

_HASHTAG = re.compile(r"(?<![\w&#＃])[#＃]((?:[^\W]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])+)")

_TLDS = (
    "fr|com|org|net|eu|io|info|gouv|be|ch|ca|lu|re|gp|mq|gf|yt|nc|pf|pm|wf|co|me|tv|ly|gl|app|dev|"
    "social|news|jobs|site|online|xyz|int|edu|uk|de|es|it"
)
_URL = re.compile(
    rf"""
    (?:
        \b(?:https?://|www\.)[^\s<>"«»]+                                   # with a scheme or www.
      | (?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b   # a bare domain
        (?:/[^\s<>"«»]*)?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"»…"
_MENTION = re.compile(r"(?<![\w@])@(\w+)@([\w\-]+(?:\.[\w\-]+)+)")


def hashtags(text: str) -> list[tuple[str, int, int]]:
    """(tag without "#", start, end) of every hashtag, in order."""
    found = []
    for match in _HASHTAG.finditer(text):
        tag = match.group(1)
        if tag.replace("_", "").isdigit():  # "#1" is a number, not a tag, on every network.
            continue
        found.append((tag, match.start(), match.end()))
    return found


def urls(text: str) -> list[tuple[str, int, int]]:
    """(url, start, end) of every link a network would turn into a link."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(0)
        start, end = match.start(), match.end()
        while url and url[-1] in _TRAILING_PUNCTUATION:
            # A closing parenthesis belongs to the link only if the link opened one.
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
            end -= 1
        if url:
            found.append((url, start, end))
    return found


def _host_of(url: str) -> tuple[str, str]:
    """(scheme, host) of `url`; a link typed without scheme is taken as https."""
    candidate = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return "", ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return parts.scheme.lower(), host.lower()


def domain_allowed(host: str, allowed: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    for domain in allowed:
        domain = domain.lower().strip().lstrip(".").rstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


# ---------------------------------------------------------------------------------------
# Grapheme clusters (a compact version of Unicode's extended grapheme cluster rules,
# UAX #29: enough for Bluesky's and Mastodon's counting; no new dependency needed).


def _is_regional_indicator(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _is_extend(char: str) -> bool:
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or cp == 0x200D
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
        or 0xE0020 <= cp <= 0xE007F  # tags (subdivision flags)
        or 0xFE00 <= cp <= 0xFE0F
    )


def _hangul_type(cp: int) -> str:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


_HANGUL_JOINS = {
    ("L", "L"),
    ("L", "V"),
    ("L", "LV"),
    ("L", "LVT"),
    ("LV", "V"),
    ("LV", "T"),
    ("V", "V"),
    ("V", "T"),
    ("LVT", "T"),
    ("T", "T"),
}


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in "\r\n"


_CLASS_CACHE: dict[str, str] = {}


def _grapheme_class(char: str) -> str:
    """The character's class for cluster breaking ("" for an ordinary character)."""
    found = _CLASS_CACHE.get(char)
    if found is None:
        cp = ord(char)
        if char == "\r":
            found = "CR"
        elif _is_control(char):
            found = "CONTROL"
        elif cp == 0x200D:
            found = "ZWJ"
        elif _is_extend(char):
            found = "EXTEND"
        elif _is_regional_indicator(cp):
            found = "RI"
        else:
            found = _hangul_type(cp)
        if len(_CLASS_CACHE) < 100_000:
            _CLASS_CACHE[char] = found
    return found


def graphemes(text: str) -> list[str]:
    classes = [_grapheme_class(char) for char in text]
    if not any(classes):
        return list(text)  # the common case: every character stands alone
    clusters: list[str] = []
    current = ""
    previous_class = ""
    regional_run = 0
    for char, char_class in zip(text, classes, strict=True):
        if not current:
            join = False
        elif previous_class == "CR" and char == "\n":
            join = True
        elif previous_class in ("CR", "CONTROL") or char_class in ("CR", "CONTROL"):
            join = False
        elif char_class in ("EXTEND", "ZWJ") or previous_class == "ZWJ":
            join = True
        elif (previous_class, char_class) in _HANGUL_JOINS:
            join = True
        else:
            join = char_class == "RI" and previous_class == "RI" and regional_run % 2 == 1
        if join:
            current += char
        else:
            if current:
                clusters.append(current)
            current = char
            regional_run = 0
        if char_class == "RI":
            regional_run += 1
        previous_class = char_class
    if current:
        clusters.append(current)
    return clusters


# ---------------------------------------------------------------------------------------
# Length as each network counts it.

# twitter-text v3 configuration: code points in these ranges weigh 1, others 2; every
# emoji (a whole sequence, skin tones and joiners included) weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _x_weight(cp: int) -> int:
    for low, high in _X_LIGHT_RANGES:
        if low <= cp <= high:
            return 1
    return 2


def _is_emoji_cluster(cluster: str) -> bool:
    for char in cluster:
        cp = ord(char)
        if (
            0x1F000 <= cp <= 0x1FAFF
            or 0x2600 <= cp <= 0x27BF
            or 0x2300 <= cp <= 0x23FF
            or 0x2B00 <= cp <= 0x2BFF
            or cp == 0xFE0F
        ):
            return True
    return False


def _split_urls(text: str) -> tuple[list[str], int]:
    """The text around links, and how many links there were."""
    pieces, cursor, count = [], 0, 0
    for _url, start, end in urls(text):
        pieces.append(text[cursor:start])
        cursor = end
        count += 1
    pieces.append(text[cursor:])
    return pieces, count


def weighted_length(text: str, network: str) -> int:
    """The length `network` gives `text`, the one it compares to its limit.

    - X: twitter-text rules after NFC; every link counts 23; code points in the light
      ranges (Latin, accents, common punctuation) count 1, others 2 (CJK 2); an emoji
      counts 2 whatever its sequence.
    - Mastodon: grapheme clusters; links count 23; "@name@instance" counts as "@name".
    - Bluesky: grapheme clusters of the text as written.
    - LinkedIn, Facebook, Instagram, e-mail: characters (code points).
    """
    text = text or ""
    if network == "x":
        pieces, links = _split_urls(unicodedata.normalize("NFC", text))
        total = links * SHORTENED_URL_LENGTH
        for piece in pieces:
            for cluster in graphemes(piece):
                if len(cluster) == 1 and ord(cluster) < 0x2000:
                    total += 1 if ord(cluster) <= 0x10FF else 2
                elif _is_emoji_cluster(cluster):
                    total += 2
                else:
                    total += sum(_x_weight(ord(c)) for c in cluster)
        return total
    if network == "mastodon":
        text = _MENTION.sub(lambda m: "@" + m.group(1), text)
        pieces, links = _split_urls(text)
        return links * SHORTENED_URL_LENGTH + sum(len(graphemes(piece)) for piece in pieces)
    if network == "bluesky":
        return len(graphemes(text))
    return len(text)


# ---------------------------------------------------------------------------------------
# Rules, periods and allowed domains from the database, cached for one request.

_request_cache = threading.local()


def _request_began(**kwargs):
    _request_cache.active = True
    _request_cache.values = {}


def _request_ended(**kwargs):
    _request_cache.active = False
    _request_cache.values = {}


request_started.connect(_request_began, dispatch_uid="guidelines_cache_start")
request_finished.connect(_request_ended, dispatch_uid="guidelines_cache_end")


def _cached(key, load):
    # Outside a request (tasks, shell, tests) rules are read fresh every time, so an
    # admin's change is never hidden by a stale copy.
    if not getattr(_request_cache, "active", False):
        return load()
    values = _request_cache.values
    if key not in values:
        values[key] = load()
    return values[key]


def load_rules() -> list:
    from content.models import GuidelineRule

    return _cached(
        "rules",
        lambda: list(GuidelineRule.objects.filter(is_active=True).prefetch_related("only_during").order_by("pk")),
    )


def load_periods() -> list:
    from content.models import SensitivePeriod

    return _cached("periods", lambda: list(SensitivePeriod.objects.filter(is_active=True).order_by("starts_on")))


def load_allowed_domains() -> list[str]:
    from content.models import AllowedDomain

    return _cached("domains", lambda: list(AllowedDomain.objects.values_list("domain", flat=True)))


# ---------------------------------------------------------------------------------------
# The checks.


def _applies(rule, network: str) -> bool:
    networks = list(getattr(rule, "networks", None) or ())
    return getattr(rule, "is_active", True) and (not networks or not network or network in networks)


def _finding(rule, kind, message, *, start=None, end=None, severity=None, explanation="", suggestion=""):
    return Finding(
        rule_id=getattr(rule, "id", None),
        kind=kind,
        severity=severity or getattr(rule, "severity", BLOCKING),
        message=message,
        explanation=getattr(rule, "explanation", "") or explanation,
        suggestion=getattr(rule, "suggestion", "") or suggestion,
        start=start,
        end=end,
    )


def _period_ids(rule) -> set:
    if hasattr(rule, "during_ids"):
        return set(rule.during_ids)
    if getattr(rule, "pk", None) is None:
        return set()
    return {period.pk for period in rule.only_during.all()}  # prefetched by load_rules


def _check_term(rule, normalised, active_period_ids):
    during = _period_ids(rule)
    if during and not during & active_period_ids:
        return []
    findings = []
    for start, end in find_term(normalised, rule.pattern):
        findings.append(
            _finding(
                rule,
                TERM,
                _("Terme à éviter : « %(term)s ».") % {"term": normalised.original[start:end]},
                start=start,
                end=end,
            )
        )
    return findings


def _required_tag(rule) -> str:
    from django.conf import settings

    tag = (rule.pattern or getattr(settings, "BRAND", {}).get("hashtag", "") or "AvecPôleEmploi").strip()
    return tag.lstrip("#＃")


def _check_required_hashtag(rule, text):
    tag = _required_tag(rule)
    wanted = fold(tag)
    if any(fold(found) == wanted for found, _s, _e in hashtags(text)):
        return []
    return [
        _finding(
            rule,
            REQUIRED_HASHTAG,
            _("Le hashtag #%(tag)s est obligatoire.") % {"tag": tag},
            explanation=_("Le hashtag permet de reconnaître et de compter les publications du programme."),
            suggestion=_("Ajoutez #%(tag)s à la fin du texte.") % {"tag": tag},
        )
    ]


def _check_max_hashtags(rule, text):
    limit = rule.parameter if rule.parameter is not None else MAX_HASHTAGS_DEFAULT
    found = hashtags(text)
    if len(found) <= limit:
        return []
    return [
        _finding(
            rule,
            MAX_HASHTAGS,
            _("Trop de hashtags : %(count)s (%(limit)s au plus).") % {"count": len(found), "limit": limit},
            start=found[limit][1],
            end=found[-1][2],
            explanation=_("Une accumulation de hashtags nuit à la lisibilité et passe pour de la promotion."),
            suggestion=_("Gardez les hashtags les plus utiles."),
        )
    ]


def uppercase_ratio(text: str) -> tuple[int, int]:
    """(uppercase letters, letters) of `text`, hashtags, mentions and links left out."""
    spans = [(s, e) for _u, s, e in urls(text)] + [(s, e) for _t, s, e in hashtags(text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)@[\w.@\-]+", text)]
    keep = [True] * len(text)
    for start, end in spans:
        for index in range(start, end):
            keep[index] = False
    letters = upper = 0
    for index, char in enumerate(text):
        if keep[index] and char.isalpha():
            letters += 1
            if char.isupper():
                upper += 1
    return upper, letters


def _check_capitals(rule, text):
    percent = rule.parameter if rule.parameter is not None else CAPITALS_DEFAULT_PERCENT
    upper, letters = uppercase_ratio(text)
    if letters < CAPITALS_MIN_LETTERS or upper * 100 <= percent * letters:
        return []
    return [
        _finding(
            rule,
            CAPITALS,
            _("Le texte est écrit en majuscules (%(percent)s %% des lettres).")
            % {"percent": round(100 * upper / letters)},
            explanation=_("Un texte en capitales se lit comme un cri et se lit mal avec un lecteur d’écran."),
            suggestion=_("Écrivez en minuscules ; gardez les capitales pour un mot, s’il le faut."),
        )
    ]


def _check_length(rule, text, network):
    if network not in NETWORK_LIMITS:
        return []
    limit = rule.parameter if rule.parameter else NETWORK_LIMITS[network]
    length = weighted_length(text, network)
    if length <= limit:
        return []
    from accounts.models import Network

    label = Network(network).label if network in Network.values else network
    return [
        _finding(
            rule,
            LENGTH,
            _("Texte trop long pour %(network)s : %(length)s caractères comptés, %(limit)s au plus.")
            % {"network": label, "length": length, "limit": limit},
            explanation=_(
                "Chaque réseau compte à sa façon : sur X un lien compte 23 caractères et les émojis en comptent 2."
            ),
            suggestion=_("Raccourcissez le texte de %(excess)s caractères.") % {"excess": length - limit},
        )
    ]


def _link_findings(rule, url, allowed, *, start=None, end=None):
    scheme, host = _host_of(url)
    if scheme == "http":
        return [
            _finding(
                rule,
                LINK_ALLOWLIST,
                _("Lien non sécurisé : %(url)s (https obligatoire).") % {"url": url},
                start=start,
                end=end,
                explanation=_("Seuls les liens https vers les domaines autorisés peuvent être partagés."),
                suggestion=_("Utilisez l’adresse https de la page."),
            )
        ]
    if scheme != "https" or not host or not domain_allowed(host, allowed):
        return [
            _finding(
                rule,
                LINK_ALLOWLIST,
                _("Lien vers un domaine non autorisé : %(host)s.") % {"host": host or url},
                start=start,
                end=end,
                explanation=_("Seuls les liens https vers les domaines autorisés peuvent être partagés."),
                suggestion=_("Remplacez-le par une page d’un site de l’opérateur (francetravail.fr, …)."),
            )
        ]
    return []


def _check_links(rule, text, link, allowed):
    findings = []
    for url, start, end in urls(text):
        findings += _link_findings(rule, url, allowed, start=start, end=end)
    if link:
        findings += _link_findings(rule, link, allowed)
    return findings


def _attribute(item, name, default=""):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _check_images(rule, images):
    findings = []
    for index, image in enumerate(images, start=1):
        if _attribute(image, "kind", "image") != "image":
            continue
        if not str(_attribute(image, "alt_text", "") or "").strip():
            findings.append(
                _finding(
                    rule,
                    IMAGE_ALT,
                    _("L’image n° %(index)s n’a pas de texte alternatif.") % {"index": index},
                    explanation=_("Le texte alternatif décrit l’image aux personnes qui ne la voient pas."),
                    suggestion=_("Décrivez ce que montre l’image en une ou deux phrases."),
                )
            )
    return findings


def _as_date(at) -> dt.date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def active_periods(periods: Iterable, at) -> list:
    day = _as_date(at)
    return [p for p in periods if getattr(p, "is_active", True) and p.starts_on <= day <= p.ends_on]


def _check_periods(periods):
    return [
        Finding(
            rule_id=None,
            kind=SENSITIVE_PERIOD,
            severity=period.severity,
            message=_("Période sensible : %(name)s (du %(start)s au %(end)s).")
            % {
                "name": period.name,
                "start": period.starts_on.strftime("%d/%m/%Y"),
                "end": period.ends_on.strftime("%d/%m/%Y"),
            },
            explanation=period.explanation,
            suggestion=_("Reportez la publication après la période, ou faites valider le texte par l’équipe."),
        )
        for period in periods
    ]


def check_text(
    *,
    text: str,
    network: str,
    at=None,
    link: str | None = None,
    images: Sequence = (),
    rules: Iterable | None = None,
    periods: Iterable | None = None,
    allowed_domains: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding for `text` posted on `network` at `at` (default now), with its link
    and images. `network` may be empty: the length rules are then skipped."""
    text = text or ""
    rules = load_rules() if rules is None else list(rules)
    periods = load_periods() if periods is None else list(periods)
    current = active_periods(periods, at)
    active_ids = {getattr(p, "id", None) for p in current} - {None}
    normalised = normalise(text)
    findings: list[Finding] = []
    for rule in rules:
        if not _applies(rule, network):
            continue
        kind = rule.kind
        if kind == TERM:
            findings += _check_term(rule, normalised, active_ids)
        elif kind == REQUIRED_HASHTAG:
            findings += _check_required_hashtag(rule, text)
        elif kind == MAX_HASHTAGS:
            findings += _check_max_hashtags(rule, text)
        elif kind == CAPITALS:
            findings += _check_capitals(rule, text)
        elif kind == LENGTH:
            findings += _check_length(rule, text, network)
        elif kind == LINK_ALLOWLIST:
            allowed = load_allowed_domains() if allowed_domains is None else list(allowed_domains)
            findings += _check_links(rule, text, link, allowed)
        elif kind == IMAGE_ALT:
            findings += _check_images(rule, images)
    findings += _check_periods(current)
    for finding in findings:
        finding.network = network or ""
    findings.sort(key=lambda f: (f.severity != BLOCKING, f.start if f.start is not None else -1))
    return findings


def check_kit(kit, *, at=None, rules=None, periods=None, allowed_domains=None) -> list[Finding]:
    """Findings of a whole kit: every suggested text on each of its networks (all of them
    when it names none), then the link and the visuals once, then the sensitive periods
    around its publication date. Duplicates (the same link on every text) are dropped."""
    from accounts.models import Network

    rules = load_rules() if rules is None else list(rules)
    periods = load_periods() if periods is None else list(periods)
    allowed_domains = load_allowed_domains() if allowed_domains is None else list(allowed_domains)
    at = at or getattr(kit, "publish_at", None)
    findings: list[Finding] = []
    seen = set()
    text_rules = [r for r in rules if r.kind not in (IMAGE_ALT,)]
    for text in kit.texts.all():
        networks = list(text.networks or Network.values)
        for network in networks:
            for finding in check_text(
                text=text.body, network=network, at=at, rules=text_rules, periods=(), allowed_domains=allowed_domains
            ):
                key = (finding.rule_id, finding.kind, finding.message, text.position, finding.start)
                if key in seen:
                    continue
                seen.add(key)
                finding.text_position = text.position
                findings.append(finding)
    kit_rules = [r for r in rules if r.kind in (LINK_ALLOWLIST, IMAGE_ALT)]
    for finding in check_text(
        text="",
        network="",
        at=at,
        link=getattr(kit, "link", "") or None,
        images=list(kit.visuals.all()),
        rules=kit_rules,
        periods=periods,
        allowed_domains=allowed_domains,
    ):
        findings.append(finding)
    return findings


@dataclass
class Highlighted:
    """A piece of text for the findings partial: plain, or marked by some findings."""

    text: str
    severity: str = ""
    messages: list[str] = field(default_factory=list)


def highlight(text: str, findings: Iterable[Finding]) -> list[Highlighted]:
    """Cut `text` into pieces so that the template can mark the spans the findings point at
    (the worst severity wins where findings overlap)."""
    located = [f for f in findings if f.start is not None and f.end is not None and f.end > f.start]
    if not located:
        return [Highlighted(text)] if text else []
    cuts = sorted({0, len(text)} | {f.start for f in located} | {min(f.end, len(text)) for f in located})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        covering = [f for f in located if f.start <= start and f.end >= end]
        severity = ""
        if covering:
            severity = BLOCKING if any(f.severity == BLOCKING for f in covering) else WARNING
        pieces.append(Highlighted(text[start:end], severity, [str(f.message) for f in covering]))
    return pieces
