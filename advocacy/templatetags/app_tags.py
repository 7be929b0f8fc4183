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
