"""Dates written the French way: the first day of a month is « 1er » (« 1er décembre »),
which no Django format can say. Templates get it through the site's `date` filter
(advocacy.templatetags.french_dates, a template builtin); Python code calls date_format."""

import re

from django.utils import dateformat, formats, translation

# A day number followed by a month's name (F, E: full; N, M, b: short). A day before a
# number ("j/n/Y") is not written 1er; "\j" is a literal j.
_DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?=\s+[FENMb])")


def date_format(value, format=None) -> str:
    """django.utils.formats.date_format, with « 1er » for the first of the month in French."""
    pattern = formats.get_format(format or "DATE_FORMAT")
    if getattr(value, "day", None) == 1 and (translation.get_language() or "").startswith("fr"):
        pattern = _DAY_BEFORE_MONTH.sub(r"j\\e\\r", pattern)
    return dateformat.format(value, pattern)
