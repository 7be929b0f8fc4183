"""Template helpers used across the site."""

from django import template

from advocacy import richtext as richtext_module

register = template.Library()


@register.filter
def is_current(url: str, path: str) -> bool:
    """True when `path` is the page `url` points to, or a page under it."""
    if not path:
        return False
    return path == url or (url != "/" and path.startswith(url))


@register.filter
def richtext(value: str):
    """Display staff-written rich text, sanitised again on the way out."""
    return richtext_module.render(value)


@register.inclusion_tag("includes/form_fields.html")
def form_fields(form):
    return {"form": form}


@register.filter
def plaintext(html) -> str:
    """Rich text as one line of plain text, words kept apart where blocks ended."""
    import re

    from django.utils.html import strip_tags

    spaced = re.sub(r"(?i)<br\s*/?>|</(p|li|h[1-6]|div|blockquote)>", " ", str(html or ""))
    return " ".join(strip_tags(spaced).split())
