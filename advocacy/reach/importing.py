"""File import of posts exported by social-listening tools: CSV (comma or semicolon,
UTF-8 with or without BOM, or Windows-1252) and JSON lines, with a column mapping.

The file is read as a stream and written in batches through reach.ingestion, so memory
stays bounded whatever the size of the file; progress is saved on the ImportJob after
each batch. Each rejected row is recorded with its line number and the reason.
Importing the same file again changes nothing: posts are upserted and rows that bring
nothing new are not written.

A million-row file must import in a small multiple of the time PostgreSQL takes to COPY
it (bench/bench_import.py): a forked child process reads and checks the next batches
while this one stores the current one (read_ahead), CSV batches are checked a column at
a time (ColumnParser), and PostgreSQL receives them by binary COPY
(ingestion._store_postgresql).
"""

import codecs
import csv
import gc
import io
import json
import logging
import os
import pickle
import re
import signal
import struct
import threading
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import compress
from typing import NoReturn
from zoneinfo import ZoneInfo

from asgiref.local import Local
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, trans_real

from accounts.models import Network
from advocacy.errors import DomainError
from advocacy.reach import attribution, hashtags, ingestion
from advocacy.reach.models import ImportJob, ImportRejection, SocialPost

BATCH_SIZE = 10_000
# Our fields, and what the page says about each.
FIELDS = {
    "network": gettext_lazy("réseau (x, twitter, mastodon, linkedin, facebook, instagram, bluesky)"),
    "external_id": gettext_lazy("identifiant de la publication sur le réseau (obligatoire)"),
    "posted_at": gettext_lazy("date de publication, 23/11/2026 14:05 ou ISO 8601 (obligatoire)"),
    "text": gettext_lazy("texte"),
    "url": gettext_lazy("adresse de la publication"),
    "author_id": gettext_lazy("identifiant de l’auteur·rice"),
    "author_handle": gettext_lazy("compte de l’auteur·rice"),
    "author_instance": gettext_lazy("instance Mastodon de l’auteur·rice"),
    "author_name": gettext_lazy("nom affiché"),
    "author_followers": gettext_lazy("abonné·es"),
    "reposts": gettext_lazy("partages"),
    "replies": gettext_lazy("réponses"),
    "likes": gettext_lazy("j’aime"),
    "quotes": gettext_lazy("citations"),
    "impressions": gettext_lazy("impressions"),
    "hashtags": gettext_lazy("hashtags (séparés par des espaces ou des virgules)"),
}
REQUIRED = ("external_id", "posted_at")
NETWORK_ALIASES = {"twitter": Network.X, "x": Network.X, "x.com": Network.X, "twitter.com": Network.X}
NETWORKS = frozenset(Network.values)
NUMBERS = ("author_followers", "reposts", "replies", "likes", "quotes", "impressions")
EARLIEST = datetime(2006, 3, 21, tzinfo=ZoneInfo("UTC"))  # the first post on Twitter

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """The whole file cannot be imported (no header, a required column missing...)."""


class RowRejected(Exception):
    pass


def parse_mapping(text: str) -> dict[str, str]:
    """ "external_id=ID, text=Contenu" or one "champ = colonne" per line -> a mapping."""
    mapping = {}
    for part in text.replace("\n", ",").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        if not sep:
            raise DomainError(_("Écrivez chaque correspondance sous la forme champ=colonne."), field="mapping")
        mapping[name.strip()] = column.strip()
    validate_mapping(mapping)
    return mapping


def validate_mapping(mapping: dict) -> None:
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise DomainError(
            _("Champs inconnus : %(names)s. Champs possibles : %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(FIELDS)},
            field="mapping",
        )
    if any(not isinstance(column, str) or not column for column in mapping.values()):
        raise DomainError(_("Chaque champ doit correspondre à un nom de colonne."), field="mapping")


# --- Values ---------------------------------------------------------------------------


# Day first, as French tools write it: 23/11/2026, 23-11-2026 14:05, 23/11/26 à 14h05:30.
_FRENCH_DATE = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]+(?:à +)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?"
)


@lru_cache(maxsize=200_000)
def _parse_date_text(value: str) -> datetime | None:
    # Exports repeat the same minute many times: parsing each distinct text once
    # matters on a million rows (and a regular expression is far cheaper than strptime).
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        found = _FRENCH_DATE.fullmatch(value)
        if found is None:
            return None
        day, month, year, hour, minute, second = found.groups()
        year = int(year) + (2000 if len(year) == 2 else 0)
        try:
            parsed = datetime(year, int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))  # noqa: DTZ001 - made aware below
        except ValueError:  # 31/02, 25:00...
            return None
    if parsed.tzinfo is None:
        # Exports from French tools give local time without saying so.
        parsed = parsed.replace(tzinfo=_local_zone())
    # In UTC, so that a local time in the autumn's repeated hour compares equal to
    # the value read back from the database (aware datetimes in a fold never equal
    # one in another zone).
    return parsed.astimezone(UTC)


@lru_cache(maxsize=1)
def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_date(value: str, *, now: datetime | None = None) -> datetime:
    value = (value or "").strip()
    if not value:
        raise RowRejected(_("date de publication manquante"))
    parsed = _parse_date_text(value)
    if parsed is None:
        raise RowRejected(
            _("date illisible « %(value)s » (attendu : 23/11/2026 14:05 ou ISO 8601)") % {"value": value[:40]}
        )
    now = now or timezone.now()
    if parsed > now + timedelta(days=1):
        raise RowRejected(_("date dans le futur « %(value)s »") % {"value": value[:40]})
    if parsed < EARLIEST:
        raise RowRejected(_("date trop ancienne « %(value)s »") % {"value": value[:40]})
    return parsed


MAX_COUNT = 10**15
MAX_COUNT_DIGITS = len(str(MAX_COUNT))


def parse_count(name: str, value) -> int | None:
    if value is None or value == "":
        return None
    if value.__class__ is str and value.isascii() and value.isdigit():
        digits = value.lstrip("0") or "0"  # leading zeros are not a size, and int() refuses over 4,300 digits
        if len(digits) > MAX_COUNT_DIGITS:
            raise RowRejected(_("nombre hors limites pour %(field)s") % {"field": name})
        number = int(digits)  # the common case, a million times over
    elif isinstance(value, bool):
        raise RowRejected(_("nombre invalide pour %(field)s") % {"field": name})
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if text == "":
            return None
        try:
            number = int(text)
        except ValueError:
            try:
                as_float = float(text.replace(",", "."))
            except ValueError:
                raise RowRejected(
                    _("nombre invalide pour %(field)s : « %(value)s »") % {"field": name, "value": text[:20]}
                ) from None
            if not as_float.is_integer():
                raise RowRejected(
                    _("nombre invalide pour %(field)s : « %(value)s »") % {"field": name, "value": text[:20]}
                ) from None
            number = int(as_float)
    if number < 0 or number > MAX_COUNT:
        raise RowRejected(_("nombre hors limites pour %(field)s") % {"field": name})
    return number


def split_tags(value: str) -> list[str]:
    """A "hashtags" cell: tags separated by commas or spaces, with or without their #."""
    return [tag.lstrip("#＃") for tag in value.replace(",", " ").split()]


def parse_network(value: str, default: str) -> str:
    value = (value or "").strip().lower() or default
    if not value:
        raise RowRejected(_("réseau manquant"))
    value = NETWORK_ALIASES.get(value, value)
    if value not in NETWORKS:
        raise RowRejected(_("réseau inconnu « %(value)s »") % {"value": value[:30]})
    return value


def to_post(values: dict, *, default_network: str, now: datetime) -> ingestion.PostData:
    """One row's values (our field names -> raw values) to a post, or RowRejected."""
    external_id = str(values.get("external_id") or "").strip()
    if not external_id:
        raise RowRejected(_("identifiant de la publication manquant"))
    if len(external_id) > 300:
        raise RowRejected(_("identifiant de la publication trop long"))
    raw_tags = str(values.get("hashtags") or "")
    return ingestion.PostData(
        network=parse_network(str(values.get("network") or ""), default_network),
        external_id=external_id,
        posted_at=parse_date(str(values.get("posted_at") or ""), now=now),
        text=str(values.get("text") or ""),
        url=str(values.get("url") or "").strip(),
        author_external_id=str(values.get("author_id") or "").strip()[:100],
        author_handle=str(values.get("author_handle") or "").strip()[:255],
        author_instance=str(values.get("author_instance") or "").strip()[:253],
        author_name=str(values.get("author_name") or "").strip(),
        extra_tags=split_tags(raw_tags),
        extra_urls=[str(values.get("url") or "")],
        **{name: parse_count(name, values.get(name)) for name in NUMBERS},
    )


# --- Readers: each yields the file's rows in batches, checked and ready to store ----------


@dataclass
class Batch:
    prepared: ingestion.Prepared
    rows_read: int
    bytes_read: int
    rejections: list[tuple[int, str]]


@dataclass
class Context:
    """What every batch of one run is read with."""

    mapping: dict
    default_network: str
    matcher: ingestion.Matcher
    now: datetime
    batch_size: int
    counting: "CountingReader"


class CountingReader(io.RawIOBase):
    """Counts the bytes read from a binary file, for progress without seeking."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self.count += len(data)
        buffer[: len(data)] = data
        return len(data)


# How much of the beginning of a file tells what kind of text it is: thousands of rows.
SNIFF_BYTES = 1 << 16
_TEXT_BYTES = b"\t\n\x0c\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


def _text_stream(binary: io.BufferedReader) -> io.TextIOWrapper:
    """The file as text, in the encoding its beginning shows, or ImportFailed.

    UTF-8, with or without a byte order mark, is expected. A beginning that is not UTF-8
    is read as Windows-1252, which is what a spreadsheet on a French Windows saves as
    "CSV" (and which reads Latin-1's letters the same): read as UTF-8, its accented
    letters became U+FFFD, #AvecPôleEmploi stopped matching and rows were rejected or
    stored garbled. Invalid bytes further on become U+FFFD in the row that holds them
    rather than stopping the import.
    """
    head = binary.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailed(
            _(
                "Le fichier est enregistré en UTF-16, que l’import ne lit pas : enregistrez-le en UTF-8 "
                "(« CSV UTF-8 » dans un tableur) puis importez-le de nouveau."
            )
        )
    # Text holds next to no control characters; a spreadsheet (.xlsx, .ods), an archive or
    # an image uploaded by mistake is about one byte in ten of them. A stray one in an
    # export only rejects its row (ingestion.UNSTORABLE).
    if len(head.translate(None, _TEXT_BYTES)) * 100 > len(head):
        raise ImportFailed(
            _(
                "Ce fichier n’est pas un fichier texte : un classeur (.xlsx, .ods), une archive ou une image ne "
                "peut pas être importé. Enregistrez l’export au format CSV ou JSON lines, puis importez-le."
            )
        )
    encoding = "utf-8-sig" if _is_utf8(head) else "cp1252"
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end in the middle of a character, which says nothing.
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True


def sniff_delimiter(header: str) -> str:
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _csv_positions(header: list[str], mapping: dict) -> dict[str, int]:
    """Our field name -> index of its column in the file."""
    columns = {name: index for index, name in enumerate(header)}
    # Column names are matched as typed, then regardless of case ("ID" for "id").
    for index, name in enumerate(header):
        columns.setdefault(name.casefold(), index)
    wanted = {}
    for field_name in FIELDS:
        column = unicodedata.normalize("NFC", mapping.get(field_name, field_name).strip())
        wanted[field_name] = column if column in columns else column.casefold()
    found = ", ".join(header)[:500]
    missing = [mapping.get(name, name) for name in REQUIRED if wanted[name] not in columns]
    if missing:
        raise ImportFailed(
            _("Colonnes obligatoires absentes : %(missing)s. Colonnes du fichier : %(found)s.")
            % {"missing": ", ".join(missing), "found": found}
        )
    # A column named in the mapping is wanted: missing, it is a typo, and its figures
    # would silently be left out of every post.
    mistyped = [f"{mapping[name]} ({name})" for name in mapping if wanted[name] not in columns]
    if mistyped:
        raise ImportFailed(
            _("Colonnes de la correspondance absentes du fichier : %(missing)s. Colonnes du fichier : %(found)s.")
            % {"missing": ", ".join(mistyped), "found": found}
        )
    return {name: columns[column] for name, column in wanted.items() if column in columns}


def read_csv(binary, context: Context) -> Iterator[Batch]:
    text = _text_stream(binary)
    header_line = text.readline()
    if not header_line.strip():
        raise ImportFailed(_("Le fichier est vide ou sa première ligne ne contient pas les noms des colonnes."))
    if header_line.lstrip().startswith("{"):
        raise ImportFailed(
            _("La première ligne est un objet JSON : ce fichier est au format JSON lines. Choisissez ce format.")
        )
    delimiter = sniff_delimiter(header_line)
    header = [
        unicodedata.normalize("NFC", name.strip()) for name in next(csv.reader([header_line], delimiter=delimiter))
    ]
    positions = _csv_positions(header, context.mapping)
    width = len(header)
    columns = ColumnParser(positions, context)
    # strict: a quote left open makes an error at the end of the file, which names its
    # line, instead of a last row silently holding every line after it; and so does a
    # quote closed too early, instead of rows glued together under one line number.
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    rejections: list[tuple[int, str]] = []
    read = 0
    line = 1
    while True:
        try:
            for row in reader:
                start, line = line + 1, reader.line_num + 1  # line_num counts from after the header
                if len(row) != width:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    if len(row) < width:
                        rejections.append((start, _incomplete(len(row), width)))
                    elif any(cell.strip() for cell in row[width:]):
                        rejections.append((start, _too_long(len(row), width)))
                    else:
                        rows.append(row)
                        lines.append(start)
                else:
                    rows.append(row)
                    lines.append(start)
                read += 1
                if read >= context.batch_size:
                    yield columns.batch(rows, lines, rejections, read)
                    rows, lines, rejections, read = [], [], [], 0
        except csv.Error as exc:  # a field longer than csv.field_size_limit, a misplaced quote
            rejections.append((line + 1, _csv_error(exc, first=line + 1, last=reader.line_num + 1)))
            read += 1
            line = reader.line_num + 1
            continue
        break
    yield columns.batch(rows, lines, rejections, read)


def _csv_error(exc: csv.Error, *, first: int, last: int) -> str:
    """Why the csv module could not read the record from line `first` to `last`, in French."""
    error = str(exc)
    if error == "unexpected end of data":
        return _(
            "guillemet ouvert jamais refermé : cette ligne et toutes les suivantes, jusqu’à la fin du fichier "
            "(ligne %(last)d), sont ignorées"
        ) % {"last": last}
    if "expected after" in error:
        reason = _("guillemet mal placé : un champ entre guillemets doit être suivi du séparateur")
    elif error.startswith("field larger than field limit"):
        reason = _("champ de plus de %(limit)d caractères (un guillemet jamais refermé ?)") % {
            "limit": csv.field_size_limit()
        }
    else:
        reason = _("ligne illisible : %(error)s") % {"error": error}
    if last > first:
        reason += _(" ; lignes %(first)d à %(last)d ignorées") % {"first": first, "last": last}
    return reason


def _incomplete(got: int, expected: int) -> str:
    return _("ligne incomplète : %(got)d colonnes au lieu de %(expected)d") % {"got": got, "expected": expected}


def _too_long(got: int, expected: int) -> str:
    return _("ligne trop longue : %(got)d colonnes au lieu de %(expected)d") % {"got": got, "expected": expected}


class _Rejected:
    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


class _Memo:
    """Parsed values by their text, in bounded memory: when the recent generation is full
    it becomes the old one (the previous old one is dropped), and a value found in the old
    one comes back. A file with somewhat more distinct values than the limit (a date per
    minute over three months) still parses each about once, where clearing one full
    dictionary would parse half of them again and again."""

    MISSING = object()
    __slots__ = ("limit", "recent", "old")

    def __init__(self, limit: int):
        self.limit = limit
        self.recent: dict = {}
        self.old: dict = {}

    def put(self, value, result) -> None:
        if len(self.recent) >= self.limit:
            self.old, self.recent = self.recent, {}
        self.recent[value] = result


class ColumnParser:
    """Turns a batch of CSV rows into prepared rows, one column at a time.

    The same checks, in the same order, with the same reasons as `to_post` then
    ingestion.prepare (the tests run both): a file repeats the same dates, networks and
    authors many times, so each distinct value is parsed once, and the work left for
    each row is what only it has, its text.
    """

    CACHE_LIMIT = 100_000  # distinct values remembered per column, so memory stays bounded

    def __init__(self, positions: dict[str, int], context: Context):
        self.positions = positions
        self.context = context
        self.networks = _Memo(self.CACHE_LIMIT)
        self.dates = _Memo(self.CACHE_LIMIT)

    def _column(self, columns, count, name, default=""):
        index = self.positions.get(name)
        if index is None or not count:
            return [default] * count
        return columns[index]

    def _parsed(self, values, memo: "_Memo", parse, errors):
        # Most values were seen before: all of them are looked up at once, then those
        # not found (or rejected) one by one, each parsed once even when the batch
        # repeats it (a sorted export). A parsed value is never None.
        parsed = list(map(memo.recent.get, values))
        for index in [index for index, result in enumerate(parsed) if result is None or result.__class__ is _Rejected]:
            result = parsed[index]
            if result is None:
                value = values[index]
                result = memo.recent.get(value)  # parsed earlier in this loop
                if result is None:
                    result = memo.old.get(value, _Memo.MISSING)
                    if result is _Memo.MISSING:
                        try:
                            result = parse(value)
                        except RowRejected as exc:
                            result = _Rejected(str(exc))
                    memo.put(value, result)
            if result.__class__ is _Rejected:
                if errors[index] is None:
                    errors[index] = result.reason
                result = None
            parsed[index] = result
        return parsed

    @staticmethod
    def _counts(name, values, errors):
        # int() reads every figure parse_count reads the same way (and refuses the rest):
        # the whole column at once, then one by one only when something is off.
        try:
            if "" in values:
                parsed = [int(value) if value else None for value in values]
                present = [number for number in parsed if number is not None]
            else:
                parsed = present = list(map(int, values))
        except ValueError:
            pass
        else:
            if not present or (min(present) >= 0 and max(present) <= MAX_COUNT):
                return parsed
        parsed = []
        append = parsed.append
        for index, value in enumerate(values):
            try:
                append(parse_count(name, value))
            except RowRejected as exc:
                if errors[index] is None:
                    errors[index] = str(exc)
                append(None)
        return parsed

    def batch(self, rows, lines, rejections, read) -> Batch:
        context = self.context
        prepared = ingestion.Prepared()
        count = len(rows)
        errors: list[str | None] = [None] * count
        transposed = list(zip(*rows, strict=False)) if rows else []  # rows may carry empty cells past the header

        def column(name, default=""):
            return self._column(transposed, count, name, default)

        def stripped(name, limit=None):
            if name not in self.positions:
                return [""] * count
            values = list(map(str.strip, column(name)))
            if limit is not None and count and max(map(len, values)) > limit:
                values = [value[:limit] for value in values]
            return values

        external_ids = stripped("external_id")
        for index, external_id in enumerate(external_ids):
            if not external_id:
                errors[index] = _("identifiant de la publication manquant")
            elif len(external_id) > 300:
                errors[index] = _("identifiant de la publication trop long")
        networks = self._parsed(
            column("network"),
            self.networks,
            lambda value: parse_network(value, context.default_network),
            errors,
        )
        dates = self._parsed(column("posted_at"), self.dates, lambda value: parse_date(value, now=context.now), errors)
        counts = [self._counts(name, column(name), errors) for name in NUMBERS]
        followers, reposts, replies, likes, quotes, impressions = counts
        texts = column("text")
        urls = column("url")
        stored_urls = stripped("url", 500)
        author_ids = stripped("author_id", 100)
        handles = stripped("author_handle", 255)
        instances = stripped("author_instance", 253)
        names = stripped("author_name", 255)
        followed = context.matcher.followed
        if "hashtags" in self.positions:
            fields = [
                hashtags.match_field(text, followed, split_tags(value))
                for text, value in zip(texts, column("hashtags"), strict=True)
            ]
        else:
            fields = hashtags.match_fields(texts, followed)
        stored_text = (external_ids, author_ids, handles, instances, names, texts, stored_urls)
        if any("\x00" in "".join(values) for values in stored_text):  # decoding never makes a surrogate
            for index, values in enumerate(zip(*stored_text, strict=True)):
                if errors[index] is None and "\x00" in "".join(values):
                    errors[index] = ingestion.unstorable_reason()
        codes = _tracked_codes(context.matcher.code_pattern, texts, urls)
        for index, (error, tags, code) in enumerate(zip(errors, fields, codes, strict=True)):
            if error is None and not tags and not code:
                errors[index] = ingestion.NOT_RELEVANT
        # The rows kept, each column at once: rows in ingestion.ROW_FIELDS order.
        selectors = [error is None for error in errors]
        columns = [
            networks, external_ids, author_ids, handles, instances, names, followers, texts, stored_urls, dates,
            reposts, replies, likes, quotes, impressions, fields, codes,
        ]  # fmt: skip
        if not all(selectors):
            columns = [list(compress(values, selectors)) for values in columns]
        if columns[0]:
            authors = map(attribution.canonical_author, columns[0], columns[3], columns[4])
            columns[3], columns[4] = zip(*authors, strict=True)
        rows = list(zip(*columns, strict=True))
        keys = zip(columns[0], columns[1], strict=True)
        prepared.rows.update(zip(keys, rows, strict=True))  # the last row of a post wins
        prepared.repeated = len(rows) - len(prepared.rows)
        if errors.count(None) != count:
            rejections.extend((lines[index], error) for index, error in enumerate(errors) if error is not None)
        rejections.sort()
        return Batch(prepared, read, context.counting.count, rejections)


def _tracked_codes(pattern: re.Pattern, texts: list[str], urls: list[str]) -> list[str]:
    """The code of the tracked link in each row's text, else in its address, as
    ingestion.Matcher.code finds it."""
    # A tracked link cannot span a line feed, and what is around it is not looked at
    # behind it (attribution.tracked_code_pattern: no look-behind, nothing that matches
    # "\n"): one search through all the texts, then all the addresses, joined by line
    # feeds, tells whether any has one.
    if pattern.search("\n".join(texts)) is None and pattern.search("\n".join(urls)) is None:
        return [""] * len(texts)
    search = pattern.search
    return [
        found.group(1) if (found := (text and search(text)) or (url and search(url))) else ""
        for text, url in zip(texts, urls, strict=True)
    ]


def _lookup(obj: dict, path: str):
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def read_jsonl(binary, context: Context) -> Iterator[Batch]:
    text = _text_stream(binary)
    wanted = {field_name: context.mapping.get(field_name, field_name) for field_name in FIELDS}
    posts: list[ingestion.PostData] = []
    lines: list[int] = []
    rejections: list[tuple[int, str]] = []
    read = 0

    def batch() -> Batch:
        skipped: dict[int, str] = {}
        prepared = ingestion.prepare(posts, context.matcher, skipped)
        rejections.extend((lines[index], reason) for index, reason in skipped.items())
        return Batch(prepared, read, context.counting.count, sorted(rejections))

    first = True
    for number, raw in enumerate(text, start=1):
        if not raw.strip():
            continue
        if first and not raw.lstrip().startswith(("{", "[")):
            # Every line would be rejected one by one, a million times for a big CSV.
            raise ImportFailed(
                _(
                    "La ligne %(line)d n’est pas du JSON : ce fichier n’est pas au format JSON lines. S’il s’agit "
                    "d’un CSV, choisissez ce format."
                )
                % {"line": number}
            )
        first = False
        read += 1
        try:
            obj = json.loads(raw)
        except ValueError:
            rejections.append((number, _("JSON invalide ou ligne tronquée")))
            continue
        if not isinstance(obj, dict):
            rejections.append((number, _("la ligne n’est pas un objet JSON")))
            continue
        values = {}
        for name, path in wanted.items():
            value = _lookup(obj, path)
            if isinstance(value, list) and name == "hashtags":
                value = " ".join(str(v) for v in value)
            values[name] = value
        try:
            # An object or a list where a text or a figure is due (the mapping points at
            # the parent of the value, say) would be stored as its Python spelling.
            nested = [name for name, value in values.items() if isinstance(value, dict | list)]
            if nested:
                raise RowRejected(
                    _("objet ou liste JSON au lieu d’un texte ou d’un nombre pour %(field)s") % {"field": nested[0]}
                )
            posts.append(to_post(values, default_network=context.default_network, now=context.now))
            lines.append(number)
        except RowRejected as exc:
            rejections.append((number, str(exc)))
        if read >= context.batch_size:
            yield batch()
            posts, lines, rejections, read = [], [], [], 0
    yield batch()


READERS = {ImportJob.Format.CSV: read_csv, ImportJob.Format.JSONL: read_jsonl}


# --- Running ----------------------------------------------------------------------------


@dataclass
class Progress:
    bytes_read: int = 0
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)


class ReaderTraceback(Exception):
    """Where the reading process failed: the cause of the error it handed over."""


_BATCH, _DONE, _FAILED = "batch", "done", "failed"
_HEADER = struct.Struct("!Q")  # the length of the message that follows


def _send(out, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(pipe):
    """The next message, or None when the pipe ended before a whole one."""
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    size = _HEADER.unpack(header)[0]
    data = pipe.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - from our own child process, through a pipe only it and we hold


def _packed(batch: Batch) -> tuple:
    # Rows, not the Prepared dict: its keys are the rows' network and id, rebuilt by _unpacked.
    return (list(batch.prepared.rows.values()), batch.prepared.repeated, batch.rows_read, batch.bytes_read,
            batch.rejections)  # fmt: skip


def _unpacked(payload: tuple) -> Batch:
    rows, repeated, rows_read, bytes_read, rejections = payload
    keys = [(row[ingestion.NETWORK], row[ingestion.EXTERNAL_ID]) for row in rows]
    return Batch(ingestion.Prepared(rows=dict(zip(keys, rows, strict=True)), repeated=repeated), rows_read,
                 bytes_read, rejections)  # fmt: skip


def _carried(exc: BaseException) -> tuple[BaseException, str]:
    """The exception as the parent can receive it, and where it was raised."""
    failure = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - pickled but not rebuilt, or not pickled at all
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc, failure


def _detach(keep: set[int], language: str | None) -> None:
    """What the forked child does first, before reading anything."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a Celery worker's handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the parent, which kills the child
    with suppress(ValueError):
        signal.set_wakeup_fd(-1)  # an event loop's, about to be closed below
    # The parent's sockets and files (its database connection, a web server's clients)
    # are closed: a copy held open here would keep a connection the parent closed open
    # for its peer until the child ends. Closing a copy sends nothing; the parent's
    # connections stay as they are, and the child never uses them.
    low = 0
    for fd in sorted(keep | {0, 1, 2}):
        if low < fd:  # os.closerange(0, 0) closes every descriptor (CPython 3.11)
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))
    # Django keeps the active language in an asgiref Local, whose lock another thread of
    # the parent may have held at the fork: it would never be released here, and the
    # first rejection reason translated would wait forever. A new Local has its own lock.
    trans_real._active = Local()
    if language:
        translation.activate(language)
    else:
        translation.deactivate_all()


def _read_in_child(batches: Iterator[Batch], fd: int, keep: set[int], language: str | None) -> NoReturn:
    """The forked child: read every batch, send it, and end without any cleanup.

    Reading and checking needs no database: the child never queries, and os._exit runs
    no finalizer that could end a connection the parent still uses. An error raised
    while reading is sent to the parent; one while sending (the parent stopped
    listening) just ends the child."""
    code = 1
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                _detach(keep | {fd}, language)
            except Exception as exc:  # noqa: BLE001 - raised by the parent
                _send(out, (_FAILED, _carried(exc)))
                raise
            iterator = iter(batches)
            while True:
                try:
                    batch = next(iterator)
                except StopIteration:
                    message = (_DONE, None)
                except Exception as exc:  # noqa: BLE001 - the import's error, raised by the parent
                    message = (_FAILED, _carried(exc))
                else:
                    message = (_BATCH, _packed(batch))
                _send(out, message)
                if message[0] != _BATCH:
                    break
        code = 0
    finally:
        os._exit(code)


def _fileno(binary) -> int | None:
    """The descriptor behind a file object, if there is one."""
    try:
        return binary.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the last two
        return None


def read_ahead(batches: Iterator[Batch], *, keep_fd: int | None = None) -> Iterator[Batch]:
    """Read and check the batches in a forked child process while this one stores them.

    Reading and checking is Python; storing is mostly waiting for the database. In one
    process they would share the interpreter lock, and each time the database answers,
    the storing thread would wait for the reading one to let go of it: a 300,000-row
    import took 12.2 to 13.2 s with a reading thread, 8.6 to 9.4 s with this child
    (bench/bench_import.py). The child sends each batch through a pipe as soon as it is
    checked and blocks while the pipe is full, so at most about two batches are in
    flight and memory stays bounded. Stopping early (an error while storing) kills it.
    `keep_fd` is the descriptor of the file being read, which the child keeps open.
    Where fork does not exist, the batches are read here, one after the other.
    """
    if not hasattr(os, "fork"):
        yield from batches
        return
    import fcntl  # noqa: PLC0415 - POSIX only, like fork

    read_fd, write_fd = os.pipe()
    with suppress(AttributeError, OSError):  # Linux only, and capped by fs.pipe-max-size
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    keep = {keep_fd} if keep_fd is not None else set()
    language = translation.get_language()
    pid = os.fork()
    if pid == 0:
        try:
            _read_in_child(batches, write_fd, keep, language)
        finally:
            os._exit(1)  # never back into the parent's code, whatever happens
    os.close(write_fd)
    running = True
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                message = _receive(pipe)
                if message is None:
                    running = False
                    try:
                        _pid, status = os.waitpid(pid, 0)
                        code = os.waitstatus_to_exitcode(status)
                    except ChildProcessError:  # reaped by someone else's SIGCHLD handler
                        code = "unknown"
                    raise RuntimeError(
                        f"the file reader (pid {pid}) stopped before the end of the file (exit code {code})"
                    )
                kind, payload = message
                if kind == _BATCH:
                    yield _unpacked(payload)
                elif kind == _DONE:
                    return
                else:
                    exc, failure = payload
                    raise exc from ReaderTraceback(failure)
    finally:
        if running:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # it only reads: nothing to lose; a no-op once it ended
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)


@contextmanager
def _fewer_collections():
    """A million rows allocate many millions of objects, nearly none of them in cycles.

    The collector would walk every object of the process over and over; objects that
    exist before the import (the whole of Django) are set aside, and collections of the
    young generation are rarer. Everything is put back as it was afterwards.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def read_batches(
    binary, *, format: str, mapping: dict, default_network: str = "", batch_size: int | None = None
) -> Iterator[Batch]:
    """The rows of `binary` (a file open in binary mode), read and checked in batches, not stored."""
    counting = CountingReader(binary)
    context = Context(
        mapping=mapping, default_network=default_network, matcher=ingestion.Matcher(), now=timezone.now(),
        batch_size=batch_size or BATCH_SIZE, counting=counting,
    )  # fmt: skip
    return READERS[format](io.BufferedReader(counting, buffer_size=1 << 16), context)


def import_stream(
    binary,
    *,
    format: str,
    mapping: dict,
    default_network: str = "",
    source: str = SocialPost.Source.IMPORT,
    on_batch: Callable[[Progress], None] | None = None,
    batch_size: int | None = None,
) -> Progress:
    """Import every row of `binary` (a file open in binary mode). `on_batch` receives the
    progress after each batch, with that batch's rejections (then cleared).

    `binary` is read by a forked child (read_ahead), which keeps only the descriptor
    `binary.fileno()` gives: it must be a file on disk or in memory (a Django File, an
    uploaded file, BytesIO, stdin), not a stream over another descriptor."""
    progress = Progress()
    batches = read_batches(
        binary, format=format, mapping=mapping, default_network=default_network, batch_size=batch_size
    )
    likely_new = False  # whether the previous batch was all new: the next one probably is too
    with _fewer_collections():
        for batch in read_ahead(batches, keep_fd=_fileno(binary)):
            result = ingestion.rows_store(prepared=batch.prepared, source=source, durable=False, likely_new=likely_new)
            if batch.prepared.rows:  # a batch of rejected rows says nothing of the next one
                likely_new = result.created == len(batch.prepared.rows)
            progress.rows_read += batch.rows_read
            progress.created += result.created
            progress.updated += result.updated
            progress.unchanged += result.unchanged
            progress.rejections = batch.rejections
            progress.rejected += len(batch.rejections)
            progress.bytes_read = batch.bytes_read
            if on_batch is not None:
                on_batch(progress)
            progress.rejections = []
    return progress


class RunGivenUp(Exception):
    """Recovery gave this run up for dead (see services.import_jobs_recover): stop writing."""


def job_saver(job: ImportJob, *, echo: Callable[[Progress], None] | None = None):
    """An on_batch callback that records progress and rejections on `job`, as long as the
    run that claimed it still owns it; RunGivenUp otherwise."""
    from advocacy.reach import services

    def save(progress: Progress):
        with transaction.atomic():
            # The progress first: it locks the row, so recovery cannot give the run up
            # between this check and the rejections written below.
            saved = services.import_job_still_mine(job).update(
                bytes_read=progress.bytes_read, rows_read=progress.rows_read, rows_created=progress.created,
                rows_updated=progress.updated, rows_unchanged=progress.unchanged,
                rows_rejected=progress.rejected, heartbeat_at=timezone.now(),
            )  # fmt: skip
            if not saved:
                raise RunGivenUp(job.pk)
            if progress.rejections:
                ImportRejection.objects.bulk_create(
                    [ImportRejection(job=job, line=line, reason=reason[:500]) for line, reason in progress.rejections]
                )
        if echo is not None:
            echo(progress)

    return save


def heartbeat_seconds() -> float:
    # Several beats within the silence that recovery waits for, and at most one a minute.
    return min(60.0, settings.REACH_IMPORT_STALE_MINUTES * 60 / 4)


@contextmanager
def heartbeat(*, job_id: int, every: float | None = None):
    """Beat for a running import while this process lives, between batches too.

    For command-line imports: recovery cannot restart them (their file is not ours), so
    it must fail only a dead one, never one that is merely slow (a huge row, a lock
    wait). A thread of the importing process is exactly as alive as the process.
    """
    every = every or heartbeat_seconds()
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(every):
                try:
                    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # SQLite busy with the batch being written: the next beat will do
                    logger.info("import %s: heartbeat skipped", job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def import_job_run(*, job_id: int, binary=None, echo=None) -> ImportJob | None:
    """Run a pending import job; None when another worker already claimed it.

    When recovery gives the run up meanwhile (it looked dead), the run stops at its next
    batch and leaves the job as recovery set it. An error ends the job failed, with its
    reason on the page, but for a lost database connection or a deadlock in an uploaded
    file's run, which recovery runs again, as it does a run that dies.
    """
    from advocacy.reach import services

    job = services.import_job_claim(job_id=job_id)
    if job is None:
        return None
    options = {
        "format": job.format, "mapping": job.mapping, "default_network": job.default_network,
        "on_batch": job_saver(job, echo=echo),
    }  # fmt: skip
    try:
        if binary is None:
            with job.file.open("rb") as uploaded:
                import_stream(uploaded, **options)
        else:
            import_stream(binary, **options)
    except RunGivenUp:
        logger.warning("import %s: run %s was given up for dead; stopped", job.pk, job.attempts)
    except (ImportFailed, UnicodeError, csv.Error) as exc:
        services.import_job_finish(job=job, error=str(exc))
    except Exception as exc:
        if isinstance(exc, OperationalError | InterfaceError) and not job.runs_in_process:
            # The database went away, or chose this run as a deadlock's victim (two
            # uploads of one file at once): running the file again is the cure, which
            # recovery does once the job has been silent REACH_IMPORT_STALE_MINUTES.
            logger.warning("import %s: stopped by a database error, left to recovery", job.pk, exc_info=True)
            raise
        # Any other error fails the job at once, with the traceback in the log: left
        # "En cours", the job would wait for recovery and be run again from the start,
        # failing the same way each time, while its page said nothing. If this write
        # fails too (the database is gone), recovery does that later.
        logger.exception("import %s failed", job.pk)
        services.import_job_finish(
            job=job,
            error=_(
                "L’import s’est arrêté sur une erreur inattendue (%(error)s). Les publications déjà lues sont "
                "enregistrées ; importez de nouveau le même fichier pour terminer, cela ne crée aucun doublon. Si "
                "l’erreur revient, transmettez ce message à l’équipe technique."
            )
            % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        )
    else:
        services.import_job_finish(job=job)
    job.refresh_from_db()
    return job
