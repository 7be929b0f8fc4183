"""The API's request parsers: DRF's, with the JSON one saying where a body breaks JSON's rules.

Kept apart from advocacy.api, which imports DRF's views, themselves reading these
classes from the settings.
"""

import codecs
import functools
import json
import re

from django.conf import settings
from rest_framework import exceptions, parsers


class NonFiniteNumberError(json.JSONDecodeError):
    """NaN, Infinity or -Infinity in a JSON body, with its position (line, column)."""

    def __init__(self, constant, doc, pos):
        super().__init__(f"{constant} is not a JSON number", doc, pos)
        self.constant = constant


# A JSON string (skipped) or one of the constants Python's json reads and JSON forbids.
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _refuse_constant(text, constant):
    # json calls this for the first constant of the body without its position. The body
    # is valid JSON up to there, so the first constant outside a string is this one.
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1):
            raise NonFiniteNumberError(constant, text, match.start(1))
    raise NonFiniteNumberError(constant, text, 0)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which also says where a NaN or an Infinity stands in the body.

    Python's json reads them and DRF refuses them afterwards, without saying where."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            if not self.strict:
                return json.loads(text)
            return json.loads(text, parse_constant=functools.partial(_refuse_constant, text))
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
