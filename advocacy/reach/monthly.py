"""The monthly reach report e-mailed to each manager: an HTML summary of last month for
their part of the organisation, with the XLSX export attached.

Sent at most once per manager and month: a MonthlyReportSent row is claimed (unique
constraint) before sending and released if sending fails, so the retry can send it.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from advocacy.reach import exports, reports
from advocacy.reach.forms_reports import previous_month
from advocacy.reach.models import MonthlyReportSent

logger = logging.getLogger(__name__)


def managers_due(*, month: date | None = None) -> list[int]:
    """Managers who have not yet received the report of `month` (default: last month)."""
    month = month or previous_month().start
    already = MonthlyReportSent.objects.filter(month=month).values("manager_id")
    return list(
        User.objects.filter(is_active=True, managed_unit__isnull=False)
        .exclude(pk__in=already)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def monthly_report_send(*, manager_id: int, month: date | None = None) -> bool:
    """Send the report of `month` (its first day; default last month) to one manager.

    Returns False when there is nothing to do: not a manager any more, or already sent.
    """
    period = reports.Period.month(month.year, month.month) if month else previous_month()
    manager = User.objects.filter(pk=manager_id, is_active=True, managed_unit__isnull=False).first()
    if manager is None:
        return False
    try:
        with transaction.atomic():
            claim = MonthlyReportSent.objects.create(manager=manager, month=period.start, unit=manager.managed_unit)
    except IntegrityError:
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            message = _message(manager, period)
            message.send()
    except Exception:
        # Release the claim so the task's retry sends it; nothing was delivered.
        claim.delete()
        raise
    MonthlyReportSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


def _message(manager: User, period: reports.Period) -> EmailMultiAlternatives:
    report = reports.reach_report(user=manager, period=period, unit=manager.managed_unit)
    query = f"?periode=month&mois={period.start:%Y-%m}&unite={report.unit.pk}"
    context = {
        "manager": manager,
        "report": report,
        "month_label": _month_label(period.start),
        "url": settings.SITE_URL + reverse("reach_reports") + query,
        "method_url": settings.SITE_URL + reverse("reach_reports_method") + "#audience-potentielle",
        "BRAND": settings.BRAND,
    }
    subject = render_to_string("reach/reports/email_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reach/reports/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[manager.email],
    )
    message.attach_alternative(render_to_string("reach/reports/email.html", context), "text/html")
    message.attach(exports.export_filename(report, "xlsx"), exports.report_xlsx(report), exports.XLSX_CONTENT_TYPE)
    return message


def _month_label(first_day: date) -> str:
    from django.utils.formats import date_format

    return date_format(first_day, "F Y")
