"""Pages of the reach reports: the dashboard (a manager's part of the organisation, or the
whole organisation for the web-social team), its exports, the method of the estimate,
and the posts not yet attributed."""

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import Role, can, require_roles, signed_in
from advocacy.reach import exports, reports
from advocacy.reach.forms_reports import ReportFilterForm
from advocacy.reach.views import IMPORTERS

REPORT_ROLES = (Role.MANAGER, Role.CURATOR, Role.MODERATOR, Role.ADMIN)
WEB_SOCIAL = (Role.CURATOR, Role.MODERATOR, Role.ADMIN)


def _filters(request) -> ReportFilterForm:
    national = _("Toute l’organisation (avec l’activité organique)") if reports.sees_national(request.user) else None
    return ReportFilterForm(
        request.GET or None, units=reports.report_units_for(user=request.user), national_label=national
    )


def _report(request, form: ReportFilterForm) -> reports.Report:
    return reports.reach_report(user=request.user, period=form.period(), unit_id=form.unit_id())


def chart_data(report: reports.Report) -> dict:
    """What reports.js draws: the same numbers as the tables beside each chart."""
    return {
        "trend": {
            "labels": [row["day"].strftime("%d/%m") for row in report.trend],
            "series": [
                {"label": _("Partages"), "values": [row["shares"] for row in report.trend]},
                {"label": _("Clics"), "values": [row["human_clicks"] for row in report.trend]},
                {
                    "label": _("Publications avec le hashtag"),
                    "values": [row["ambassador_posts"] + row["organic_posts"] for row in report.trend],
                },
            ],
        },
        "networks": {
            "labels": [row["label"] for row in report.networks],
            "series": [
                {"label": _("Partages"), "values": [row["shares"] for row in report.networks]},
                {"label": _("Clics"), "values": [row["human_clicks"] for row in report.networks]},
            ],
        },
        "units": {
            "labels": [row["label"] for row in report.sub_units],
            "series": [
                {"label": _("Partages"), "values": [row["shares"] for row in report.sub_units]},
                {"label": _("Clics"), "values": [row["human_clicks"] for row in report.sub_units]},
            ],
        },
    }


@require_roles(*REPORT_ROLES)
def report_dashboard(request):
    form = _filters(request)
    report = _report(request, form)
    extras = reports.national_extras(user=request.user, report=report)
    query = request.GET.urlencode()
    return render(
        request,
        "reach/reports/dashboard.html",
        {
            "title": _("Rapport d’audience"),
            "form": form,
            "report": report,
            "extras": extras,
            "charts": chart_data(report),
            "query": query,
            # The steps to fill a collection gap, as far as the person can take them: the
            # import page (curators, admins), then the admin (admins only).
            "can_import": can(request.user, *IMPORTERS),
            "can_mark_filled": can(request.user, Role.ADMIN),
        },
    )


@require_roles(*REPORT_ROLES)
def report_export(request, fmt: str):
    form = _filters(request)
    report = _report(request, form)  # first: a unit outside the person's scope is a 404
    if form.errors:
        # The page shows its default period beside the message; a file downloaded without
        # a look would pass those figures off as the period asked for.
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(
            _("Export impossible : %(errors)s Corrigez la période sur la page du rapport.") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    extras = reports.national_extras(user=request.user, report=report)
    if fmt == "xlsx":
        body, content_type = exports.report_xlsx(report, extras), exports.XLSX_CONTENT_TYPE
    else:
        body, content_type = exports.report_csv(report, extras), exports.CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(report, fmt)}"'
    return response


@signed_in
def report_method(request):
    return render(request, "reach/reports/method.html", {"title": _("Comment les chiffres sont calculés")})


@require_roles(*WEB_SOCIAL)
def posts_unattributed(request):
    form = _filters(request)
    period = form.period()
    posts = reports.posts_unattributed(user=request.user, period=period)
    page = Paginator(posts, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reach/reports/unattributed.html",
        {
            "title": _("Publications non attribuées"),
            "page": page,
            "period": period,
            "query": params.urlencode(),
        },
    )
