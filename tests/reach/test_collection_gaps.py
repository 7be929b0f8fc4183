"""Collection gaps: what a collector could not read is said on the reports and in the
monthly e-mail, until the web-social team marks it filled from the admin."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advocacy.reach import monthly, reports
from advocacy.reach.forms_reports import previous_month
from advocacy.reach.models import CollectionGap, SocialPost

pytestmark = pytest.mark.django_db

WARNING = "Des publications manquent à ces chiffres"


def gap(*, days_ago: int, days: int = 3, **fields) -> CollectionGap:
    starts = timezone.now() - timedelta(days=days_ago)
    return CollectionGap.objects.create(
        source=SocialPost.Source.X_API, key="x:avecpoleemploi", tag="AvecPôleEmploi",
        starts_at=starts, ends_at=starts + timedelta(days=days), **fields,
    )  # fmt: skip


def test_a_managers_report_says_which_posts_are_missing(client, manager):
    missing = gap(days_ago=12)
    client.force_login(manager)
    body = client.get(reverse("reach_reports")).content.decode()
    assert WARNING in body
    assert missing.description in body
    start = timezone.localtime(missing.starts_at).strftime("%d/%m/%Y %H:%M")
    assert f"#AvecPôleEmploi (API X) : les publications du {start} au" in body
    assert reverse("reach_import_list") not in body  # managers do not import files


def test_the_web_social_team_is_shown_how_to_fill_it(client, curator):
    gap(days_ago=12)
    client.force_login(curator)
    body = client.get(reverse("reach_reports")).content.decode()
    assert WARNING in body and f'href="{reverse("reach_import_list")}"' in body


def test_a_gap_of_the_period_compared_with_is_said_too(manager):
    # The last 30 days are compared with the 30 before: a gap 45 days ago moves the deltas.
    gap(days_ago=45)
    report = reports.reach_report(user=manager, period=reports.Period.last_days(30))
    assert len(report.collection_gaps) == 1


def test_a_gap_outside_both_periods_or_filled_is_not_said(client, manager, curator):
    gap(days_ago=200)
    gap(days_ago=12, filled_at=timezone.now(), filled_by=curator)
    client.force_login(manager)
    assert WARNING not in client.get(reverse("reach_reports")).content.decode()


def test_marking_a_gap_filled_in_the_admin_ends_the_warning(client, admin_user, manager):
    missing = gap(days_ago=12)
    client.force_login(admin_user)
    changelist = reverse("admin:reach_collectiongap_changelist")
    assert (
        missing.description
        in client.get(reverse("admin:reach_collectiongap_change", args=[missing.pk])).content.decode()
    )
    response = client.post(changelist, {"action": "mark_filled", "_selected_action": [missing.pk]}, follow=True)
    assert "1 période n’est plus signalée dans les rapports." in response.content.decode()
    missing.refresh_from_db()
    assert missing.filled_by == admin_user and missing.filled_at is not None
    still_open = client.get(changelist, {"etat": "ouverte"}).content.decode()
    assert "0 période non collectée" in still_open or "0 périodes non collectées" in still_open
    assert "1 période non collectée" in client.get(changelist, {"etat": "comblee"}).content.decode()
    client.force_login(manager)
    assert WARNING not in client.get(reverse("reach_reports")).content.decode()


def test_the_monthly_email_says_it_in_both_parts(manager):
    month = previous_month()
    starts = timezone.make_aware(datetime.combine(month.start.replace(day=5), time.min))
    missing = CollectionGap.objects.create(
        source=SocialPost.Source.X_API, key="x:avecpoleemploi", tag="AvecPôleEmploi",
        starts_at=starts, ends_at=starts + timedelta(days=2),
    )  # fmt: skip
    monthly.monthly_report_send(manager_id=manager.pk)
    (message,) = mail.outbox
    assert WARNING in message.body and missing.description in message.body
    assert WARNING in message.alternatives[0][0] and "n’ont pas été collectées" in message.alternatives[0][0]


def _gap_between(start, end) -> CollectionGap:
    return CollectionGap.objects.create(
        source=SocialPost.Source.X_API, key="x:avecpoleemploi", tag="AvecPôleEmploi", starts_at=start, ends_at=end
    )


def test_a_gap_between_the_month_in_progress_and_the_days_it_is_compared_with_is_not_said(manager):
    # 1 to 20 March is compared with 1 to 20 February: 21 to 28 February is in neither.
    period = reports.Period(date(2026, 3, 1), date(2026, 3, 20), is_month_to_date=True)
    assert period.previous() == reports.Period(date(2026, 2, 1), date(2026, 2, 20))
    paris = timezone.get_default_timezone()
    _gap_between(datetime(2026, 2, 22, tzinfo=paris), datetime(2026, 2, 26, tzinfo=paris))
    assert reports.reach_report(user=manager, period=period).collection_gaps == []
    touching = _gap_between(datetime(2026, 2, 20, 23, tzinfo=paris), datetime(2026, 2, 26, tzinfo=paris))
    assert reports.reach_report(user=manager, period=period).collection_gaps == [touching]


def test_a_gap_ending_at_the_periods_first_paris_midnight_is_not_said(manager):
    # 23:00 UTC on 31 January is midnight on 1 February in Paris: nothing of February is missing.
    period = reports.Period.month(2026, 2)  # compared with January
    _gap_between(datetime(2025, 12, 20, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC))
    assert reports.reach_report(user=manager, period=period).collection_gaps == []
    one_minute_in = _gap_between(datetime(2025, 12, 20, tzinfo=UTC), datetime(2025, 12, 31, 23, 1, tzinfo=UTC))
    assert reports.reach_report(user=manager, period=period).collection_gaps == [one_minute_in]


def test_the_api_and_the_exports_say_it_as_the_page_does(client, api_client, manager):
    missing = gap(days_ago=12)
    api_client.force_authenticate(manager)
    (said,) = api_client.get(reverse("api_reach_report")).json()["collection_gaps"]
    assert said["source"] == "x_api" and said["tag"] == "AvecPôleEmploi"
    assert said["description"] == missing.description
    assert datetime.fromisoformat(said["starts_at"]) == missing.starts_at
    assert datetime.fromisoformat(said["ends_at"]) == missing.ends_at
    client.force_login(manager)
    csv_text = client.get(reverse("reach_reports_export", args=["csv"])).content.decode("utf-8-sig")
    assert f'Publications non collectées;"{missing.description}"' in csv_text  # quoted: it holds a ;


def test_the_api_says_no_gap_as_an_empty_list(api_client, manager):
    api_client.force_authenticate(manager)
    assert api_client.get(reverse("api_reach_report")).json()["collection_gaps"] == []


def test_the_way_to_fill_a_gap_is_shown_only_to_who_can_take_it(client, moderator, curator, admin_user):
    # Moderators read the reports but do not import files; curators import but have no
    # admin, where a gap is marked filled: each is shown the steps they can take.
    gap(days_ago=12)
    import_link = f'href="{reverse("reach_import_list")}"'
    client.force_login(moderator)
    body = client.get(reverse("reach_reports")).content.decode()
    assert WARNING in body and import_link not in body
    assert client.get(reverse("reach_import_list")).status_code == 403
    client.force_login(curator)
    body = client.get(reverse("reach_reports")).content.decode()
    assert import_link in body and "dans l’administration" not in body
    assert "demandez à un·e administrateur·rice" in body
    assert client.get(reverse("admin:reach_collectiongap_changelist")).status_code != 200
    client.force_login(admin_user)
    body = client.get(reverse("reach_reports")).content.decode()
    assert import_link in body and "dans l’administration (« Périodes non collectées »)" in body
