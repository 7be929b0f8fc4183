"""The site's `date` filter: Django's, with « 1er » for the first of the month in French.

Loaded as a template builtin after Django's own (settings.TEMPLATES), so every template,
those of installed apps included, writes « 1er décembre » without loading anything.
"""

from django import template
from django.template import defaultfilters

from advocacy import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date according to the given format, as Django's `date` does."""
    if value in (None, ""):
        return ""
    try:
        return dates.date_format(value, arg)
    except AttributeError:
        # Not a date (a time, a string): Django's filter knows what to do.
        return defaultfilters.date(value, arg)
