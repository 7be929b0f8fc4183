"""The monthly report: one e-mail per manager and month, HTML summary and XLSX attached."""

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from accounts.models import ProgrammeMembership
from advocacy.reach import monthly, rollups, tasks
from advocacy.reach.forms_reports import previous_month
from advocacy.reach.models import MonthlyReportSent
from tests.accounts.factories import UserFactory
from tests.reach.report_factories import at_noon, clicks, shared

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month_activity(ambassador):
    day = previous_month().start.replace(day=10)
    share = shared(ambassador=ambassador, day=day)
    clicks(share.link, day=day, human=6)
    rollups.rollup_day(day)
    return day


def test_each_manager_gets_last_months_report_once(manager, org, last_month_activity):
    other = UserFactory(unit=org["dr-occ"], managed_unit=org["dr-occ"])
    tasks.monthly_reports_send.delay()
    tasks.monthly_reports_send.delay()  # beat firing twice sends nothing more
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, other.email])
    assert MonthlyReportSent.objects.filter(sent_at__isnull=False).count() == 2
    message = next(m for m in mail.outbox if m.to == [manager.email])
    html = message.alternatives[0][0]
    assert "DR Bretagne" in message.subject
    assert "Clics (hors robots)" in html and "<strong>6</strong>" in html and "estimation" in html
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    sheet = load_workbook(io.BytesIO(content))["Chiffres clés"]
    assert ("Clics (hors robots)", 6) in [(row[0], row[1]) for row in sheet.iter_rows(values_only=True)]
    occ = next(m for m in mail.outbox if m.to == [other.email])
    assert "<strong>6</strong>" not in occ.alternatives[0][0]


def test_a_failed_send_releases_the_claim(manager, monkeypatch, last_month_activity):
    def boom(self, *args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    with pytest.raises(OSError):
        monthly.monthly_report_send(manager_id=manager.pk)
    assert not MonthlyReportSent.objects.exists()
    monkeypatch.undo()
    assert monthly.monthly_report_send(manager_id=manager.pk) is True
    assert monthly.monthly_report_send(manager_id=manager.pk) is False
    assert len(mail.outbox) == 1


def test_a_former_manager_gets_nothing(manager):
    type(manager).objects.filter(pk=manager.pk).update(managed_unit=None)
    assert monthly.monthly_report_send(manager_id=manager.pk) is False
    assert monthly.managers_due() == []


def test_the_plain_text_and_subject_are_not_html_escaped(manager, org, last_month_activity):
    # A unit name as people write them, with an ampersand and a straight apostrophe.
    type(org["dr-bre"]).objects.filter(pk=org["dr-bre"].pk).update(name="DR Bretagne & Pays d'Armor")
    monthly.monthly_report_send(manager_id=manager.pk)
    (message,) = mail.outbox
    assert "DR Bretagne & Pays d'Armor" in message.subject
    assert "DR Bretagne & Pays d'Armor" in message.body
    link = next(line for line in message.body.splitlines() if "/observatoire/rapports/?" in line)
    assert "&amp;" not in link and f"&mois={previous_month().start:%Y-%m}&unite=" in link
    # The HTML part stays escaped.
    assert "DR Bretagne &amp; Pays d&#x27;Armor" in message.alternatives[0][0]


def test_the_summary_says_estimate_once_and_gives_rates_in_percent(manager, ambassador, last_month_activity):
    ProgrammeMembership.objects.filter(user=ambassador).update(joined_at=at_noon(previous_month().start))
    monthly.monthly_report_send(manager_id=manager.pk)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert part.count("estimation") == 1, part
    assert "Taux de participation : 100,0 %" in message.body
    assert "<strong>100,0&nbsp;%</strong>" in html


def test_each_queued_report_names_its_month(manager, monkeypatch):
    """A retry that runs after the month has turned still sends the month it was queued for."""
    queued = []
    monkeypatch.setattr(tasks.monthly_report_send, "delay", lambda *args: queued.append(args))
    tasks.monthly_reports_send()
    assert queued == [(manager.pk, previous_month().start.isoformat())]
