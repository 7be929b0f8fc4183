"""Template helpers used across the site."""

import html as html_module
import re

from django import template
from django.http import QueryDict
from django.utils.html import strip_tags

from advocacy import richtext as richtext_module
from advocacy.forms import needs_required_notice

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


@register.inclusion_tag("includes/unit_picker.html")
def unit_picker(field):
    """The searchable unit picker for a form field of units (widget `UnitPicker`). Its
    element ids start with the field's own id (its name in a form without ids), so that
    two pickers on one page, or two forms with a prefix, do not share one."""
    from accounts.selectors import org_unit_groups

    selected = set()
    for value in field.value() or []:
        try:
            selected.add(int(value))
        except (TypeError, ValueError):
            continue
    return {"field": field, "picker_id": field.auto_id or field.html_name, "units": org_unit_groups(selected=selected)}


@register.inclusion_tag("includes/form_fields.html")
def form_fields(form):
    return {"form": form}


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, anchor=""):
    """The site's one pagination (DSFR's) under a list split in `page`s (a Django Page).

    First, previous, the page numbers around the current one with the first and the last
    (only the neighbours on a phone), next, last. Every link keeps the page's other query
    parameters (its filters) and ends with `anchor` ("#list") to come back to the list.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)

    def href(number):
        query["page"] = number
        return f"?{query.urlencode()}{anchor}"

    paginator, current = page.paginator, page.number
    numbers = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {
            "number": number,
            "href": href(number),
            "is_current": number == current,
            "is_near": abs(number - current) <= 1,
        }
        for number in paginator.get_elided_page_range(current, on_each_side=1, on_ends=1)
    ]
    return {
        "page": page,
        "numbers": numbers,
        "first": href(1) if page.has_previous() else "",
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
        "last": href(paginator.num_pages) if page.has_next() else "",
    }


@register.inclusion_tag("includes/required_fields_notice.html")
def required_fields_notice(form):
    """The design system's « Sauf mention contraire, tous les champs sont obligatoires. »,
    once at the top of a form that needs it (advocacy.forms.needs_required_notice).
    form_fields writes it; a template that lays out its fields one by one calls it."""
    return {"needed": needs_required_notice(form)}


# Where a block of rich text ends (a paragraph, a list item, a line break).
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|li|h[1-6]|div|blockquote)>")


@register.filter
def plaintext(html) -> str:
    """Rich text as one line of plain text. Blocks stay apart: one that ends without
    punctuation, such as a list item, is followed by " · ", so that "42 agences" and
    "Inscription gratuite" do not read as one sentence. The text is plain, not HTML."""
    # Unescaped here because the template escapes the line again ("&amp;" would show).
    # Runs of spaces and line breaks become one space; a no-break space stays (French
    # typography puts one before ":", "?" and "!").
    blocks = (
        re.sub(r"[ \t\r\n\f\v]+", " ", html_module.unescape(strip_tags(block))).strip()
        for block in _BLOCK_END.split(str(html or ""))
    )
    line = ""
    for block in filter(None, blocks):
        if line:
            line += " " if line[-1] in ".!?:;…»)" else " · "
        line += block
    return line
