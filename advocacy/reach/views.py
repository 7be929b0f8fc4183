"""Pages of the reach app: file imports of posts for the web-social team."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import Role, require_roles
from advocacy.errors import DomainError
from advocacy.reach import importing, selectors, services
from advocacy.reach.forms import ImportForm

# Who imports files of posts (the report pages' WEB_SOCIAL has moderators too).
IMPORTERS = (Role.CURATOR, Role.ADMIN)


@require_roles(*IMPORTERS)
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                file=upload,
                original_name=upload.name,
                format=form.cleaned_data["format"],
                mapping=form.cleaned_data["mapping"],
                default_network=form.cleaned_data["default_network"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Le fichier est enregistré ; l’import se poursuit en arrière-plan."))
            return redirect("reach_import_detail", pk=job.pk)
    page = Paginator(selectors.import_jobs_visible_to(user=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reach/import_list.html",
        {"form": form, "page": page, "fields": importing.FIELDS, "title": _("Import de publications")},
    )


def _job(request, pk):
    return get_object_or_404(selectors.import_jobs_visible_to(user=request.user), pk=pk)


@require_roles(*IMPORTERS)
def import_detail(request, pk):
    job = _job(request, pk)
    return render(
        request,
        "reach/import_detail.html",
        {"job": job, "rejections": selectors.import_rejections(job=job), "title": str(job)},
    )


@require_roles(*IMPORTERS)
def import_progress(request, pk):
    """The progress and the rejected rows alone, polled by htmx until the import is finished."""
    job = _job(request, pk)
    return render(
        request, "reach/includes/import_status.html", {"job": job, "rejections": selectors.import_rejections(job=job)}
    )


class _Echo:
    def write(self, value):
        return value


@require_roles(*IMPORTERS)
def import_rejections_csv(request, pk):
    """Every rejected row of an import, streamed: there may be many more than the page shows."""
    job = _job(request, pk)
    writer = csv.writer(_Echo(), delimiter=";")
    # Every reason starts with our own words, never with a value from the file, so no
    # cell can start with a spreadsheet formula character.
    rows = (
        writer.writerow(row)
        for row in _chain(
            [(_("ligne"), _("motif"))],
            selectors.import_rejections(job=job, limit=None).values_list("line", "reason").iterator(chunk_size=5000),
        )
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejets-import-{job.pk}.csv"'
    return response


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable
