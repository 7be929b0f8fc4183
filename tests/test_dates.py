"""Dates written the French way everywhere: the first of a month is « 1er »."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from advocacy import dates


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (date(2026, 12, 1), "j F Y", "1er décembre 2026"),
        (date(2026, 12, 1), "l j F", "mardi 1er décembre"),
        (date(2026, 12, 1), "j F", "1er décembre"),
        (date(2026, 12, 1), "j N", "1er déc."),
        (date(2026, 12, 2), "j F Y", "2 décembre 2026"),
        (date(2026, 12, 11), "j F Y", "11 décembre 2026"),
        (date(2026, 12, 1), "d/m/Y", "01/12/2026"),
        (date(2026, 12, 1), "j/n/Y", "1/12/2026"),  # a day before a number, not a month's name
        (date(2026, 12, 1), r"\j j F", "j 1er décembre"),
        (date(2026, 12, 1), None, "1er décembre 2026"),  # DATE_FORMAT
        (datetime(2026, 12, 1, 9, 5), "j F Y à H:i", "1er décembre 2026 à 09:05"),
    ],
)
def test_date_format_writes_the_first_of_the_month_1er(value, fmt, expected):
    with translation.override("fr"):
        assert dates.date_format(value, fmt) == expected


def test_english_keeps_its_own_way():
    with translation.override("en"):
        assert dates.date_format(date(2026, 12, 1), "j F Y") == "1 December 2026"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ d|date:"j F Y" }}', "1er décembre 2026"),
        ('{{ d|date:"l j F" }}', "mardi 1er décembre"),
        ("{{ d|date }}", "1er décembre 2026"),
        ('{% load i18n %}{% blocktranslate with a=d|date:"j F" %}Semaine du {{ a }}{% endblocktranslate %}',
         "Semaine du 1er décembre"),
        ('{{ d|date:"d/m/Y" }}', "01/12/2026"),
        ('{{ none|date:"j F" }}', ""),
        ('{{ text|date:"j F" }}', ""),
    ],
)  # fmt: skip
def test_every_template_writes_the_first_of_the_month_1er(source, expected):
    with translation.override("fr"):
        rendered = Template(source).render(Context({"d": date(2026, 12, 1), "none": None, "text": "abc"}))
    assert rendered == expected


def test_an_aware_datetime_is_shown_in_paris_time():
    # 23:30 UTC on 30 November is 00:30 in Paris on 1 December.
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with translation.override("fr"):
        assert Template('{{ m|date:"j F H:i" }}').render(Context({"m": moment})) == "1er décembre 00:30"
