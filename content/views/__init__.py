"""Pages of the content library, one module per part: kits (the curators' and
moderators' workspace), guidelines, stories and discussions; and the helpers they share."""

from django.core.paginator import Page, Paginator

from advocacy.errors import DomainError

PAGE_SIZE = 20


def form_error(form, exc: DomainError, *, formset=None) -> None:
    """Show a service's refusal on the field it concerns, or at the top of the form (of
    the formset, when the refusal concerns the rows it holds)."""
    if formset is not None and exc.field == formset.prefix:
        formset._non_form_errors = formset.error_class([exc.message], error_class="nonform")
        return
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def paginate(request, items) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
