"""Reach reports: scoping, one figure identical everywhere, rankings, deltas, query counts."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import ProgrammeMembership
from advocacy.reach import rollups
from advocacy.reach.models import ReachDaily, SocialPost
from advocacy.reach.reports import Period, reach_report
from advocacy.sharing.models import Share
from tests.accounts.factories import UserFactory, make_ambassador
from tests.reach.report_factories import clicks, days_ago, post, shared
from tests.sharing.factories import live_kit

pytestmark = pytest.mark.django_db

BRE_CLICKS = 7
OCC_CLICKS = 1000


@pytest.fixture
def data(org, charter, ambassador):
    """Bretagne: 2 shares, 7 clicks; Occitanie: 1 share, 1000 clicks (a figure nobody in Bretagne may see)."""
    occ = make_ambassador(
        unit=org["a-occ-1"], charter=charter, first_name="Odile", last_name="Occitane", appears_in_rankings=True
    )
    kit = live_kit(title="Kit breton")
    share = shared(ambassador=ambassador, kit=kit, network="x", day=days_ago(2))
    shared(ambassador=ambassador, kit=kit, network="linkedin", day=days_ago(3))
    clicks(share.link, day=days_ago(2), human=BRE_CLICKS, bot=3)
    occ_share = shared(ambassador=occ, kit=live_kit(title="Kit occitan"), network="x", day=days_ago(2))
    clicks(occ_share.link, day=days_ago(2), human=OCC_CLICKS)
    post(day=days_ago(2), ambassador=ambassador, likes=4, impressions=None, followers=321)
    post(day=days_ago(2), likes=9, followers=55)  # organic
    # Previous period: one share in Bretagne.
    shared(ambassador=ambassador, kit=kit, network="x", day=days_ago(40))
    rollups.rollup_days(days_ago(60), days_ago(0))
    # Both joined before the period, whose last day is yesterday.
    ProgrammeMembership.objects.update(joined_at=timezone.now() - timedelta(days=90))
    return {"occ": occ, "kit": kit}


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name, kwargs=params.pop("kwargs", None)), params)


def test_manager_report_counts_their_region_only(manager, data):
    report = reach_report(user=manager, period=Period.last_days(30))
    assert report.unit.code == "dr-bre"
    assert report.figures["human_clicks"] == BRE_CLICKS
    assert report.figures["shares"] == 2
    assert report.figures["ambassador_posts"] == 1 and report.figures["organic_posts"] == 0
    assert report.figures["impressions"] is None  # nobody gave them
    assert report.figures["click_rate"] == 3.5
    assert report.previous_figures["shares"] == 1
    assert report.deltas["shares"].change == 1 and report.deltas["shares"].percent == 100.0
    assert report.figures["ambassadors_enrolled"] == 1 and report.figures["ambassadors_active"] == 1
    assert report.figures["participation_rate"] == 100.0
    assert [u["unit"].code for u in report.sub_units] == ["dt-bre"]
    assert report.sub_units[0]["human_clicks"] == BRE_CLICKS


def test_national_view_counts_everything_and_organic(curator, data):
    report = reach_report(user=curator, period=Period.last_days(30))
    assert report.is_national
    assert report.figures["human_clicks"] == BRE_CLICKS + OCC_CLICKS
    assert report.figures["organic_posts"] == 1
    assert report.figures["potential_reach"] == 321 + 55
    assert {u["unit"].code: u["human_clicks"] for u in report.sub_units} == {"dr-bre": 7, "dr-occ": 1000}


def test_the_unit_comparison_adds_up_to_the_report_with_the_units_own_activity(
    client, api_client, manager, curator, org, charter, data
):
    regional = make_ambassador(unit=org["dr-bre"], charter=charter)  # attached to the regional office itself
    share = shared(ambassador=regional, day=days_ago(1))
    clicks(share.link, day=days_ago(1), human=20)
    rollups.rollup_days(days_ago(1), days_ago(1))

    report = reach_report(user=manager, period=Period.last_days(30))
    assert [(row["label"], row["is_direct"], row["human_clicks"]) for row in report.sub_units] == [
        ("DT Bretagne", False, BRE_CLICKS),
        ("DR Bretagne (hors sous-unités)", True, 20),
    ]
    for key in ("shares", "human_clicks", "ambassador_posts"):
        assert sum(row[key] for row in report.sub_units) == report.figures[key]
    page = _get(client, manager, "reach_reports").content.decode()
    assert "DR Bretagne (hors sous-unités)" in page
    csv_text = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    assert "DR Bretagne (hors sous-unités);1;20;0" in csv_text
    api_client.force_authenticate(manager)
    rows = api_client.get(reverse("api_reach_report")).json()["sub_units"]
    assert [(row["unit"]["code"], row["is_direct"], row["human_clicks"]) for row in rows] == [
        ("dt-bre", False, BRE_CLICKS),
        ("dr-bre", True, 20),
    ]
    # Nationally the regional office is inside its region; the head office's own people get their row.
    head_office = make_ambassador(unit=org["dg"], charter=charter)
    clicks(shared(ambassador=head_office, day=days_ago(1)).link, day=days_ago(1), human=3)
    rollups.rollup_days(days_ago(1), days_ago(1))
    national = reach_report(user=curator, period=Period.last_days(30))
    assert [(row["label"], row["human_clicks"]) for row in national.sub_units] == [
        ("DR Bretagne", BRE_CLICKS + 20),
        ("DR Occitanie", OCC_CLICKS),
        ("Direction générale (hors sous-unités)", 3),
    ]
    assert sum(row["human_clicks"] for row in national.sub_units) == national.figures["human_clicks"]


def test_manager_asking_for_another_region_gets_404_everywhere(client, api_client, manager, org, data):
    other = {"unite": org["dr-occ"].pk}
    assert _get(client, manager, "reach_reports", **other).status_code == 404
    assert _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}, **other).status_code == 404
    assert _get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}, **other).status_code == 404
    api_client.force_authenticate(manager)
    assert api_client.get(reverse("api_reach_report"), {"unit": org["dr-occ"].pk}).status_code == 404
    assert _get(client, manager, "reach_reports", unite="abc").status_code == 404


def test_manager_sees_no_figure_of_another_region(client, api_client, manager, data):
    page = _get(client, manager, "reach_reports").content.decode()
    assert "Kit breton" in page
    assert "Kit occitan" not in page and "Occitane" not in page and str(OCC_CLICKS) not in page
    for fmt in ("csv", "xlsx"):
        body = _get(client, manager, "reach_reports_export", kwargs={"fmt": fmt}).content
        text = body.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(body)
        assert "Kit occitan" not in text and str(OCC_CLICKS) not in text
    api_client.force_authenticate(manager)
    payload = api_client.get(reverse("api_reach_report")).json()
    assert payload["figures"]["human_clicks"] == BRE_CLICKS
    assert "Kit occitan" not in str(payload) and str(OCC_CLICKS) not in str(payload)
    units = api_client.get(reverse("api_reach_report_units")).json()
    assert {u["code"] for u in units} == {"dr-bre", "dt-bre", "a-bre-1", "a-bre-2"}


def _xlsx_text(body: bytes) -> str:
    workbook = load_workbook(io.BytesIO(body))
    return " ".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )


def _csv_figure(body: bytes, label: str):
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"):
        if row and row[0] == label:
            return row[1]
    raise AssertionError(label)


def _xlsx_figure(body: bytes, label: str):
    sheet = load_workbook(io.BytesIO(body))["Chiffres clés"]
    for row in sheet.iter_rows(values_only=True):
        if row[0] == label:
            return row[1]
    raise AssertionError(label)


def test_one_figure_is_the_same_on_the_page_in_exports_api_and_after_reconcile(client, api_client, manager, data):
    page = _get(client, manager, "reach_reports")
    tile = page.context["report"].figures["human_clicks"]
    assert 'data-figure="human_clicks"' in page.content.decode()
    csv_body = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content
    xlsx_body = _get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}).content
    api_client.force_authenticate(manager)
    api_value = api_client.get(reverse("api_reach_report")).json()["figures"]["human_clicks"]
    call_command(
        "reconcile_reach", "--from", days_ago(60).isoformat(), "--to", days_ago(0).isoformat(), stdout=StringIO()
    )
    after = reach_report(user=manager, period=Period.last_days(30)).figures["human_clicks"]
    label = "Clics (hors robots)"
    assert (
        tile == int(_csv_figure(csv_body, label)) == _xlsx_figure(xlsx_body, label) == api_value == after == BRE_CLICKS
    )


def test_rankings_hide_people_who_declined(manager, ambassador, data):
    type(ambassador).objects.filter(pk=ambassador.pk).update(appears_in_rankings=False)
    report = reach_report(user=manager, period=Period.last_days(30))
    assert [row["name"] for row in report.top_ambassadors] == ["un·e ambassadeur·rice"]
    assert report.top_ambassadors[0]["unit"] == ""


def test_rankings_name_people_who_agreed(curator, data):
    names = [row["name"] for row in reach_report(user=curator, period=Period.last_days(30)).top_ambassadors]
    # Bretagne's ambassador shared twice and declined rankings; Odile shared once.
    assert names == ["un·e ambassadeur·rice", "Odile Occitane"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_each_formula_start(start):
    from advocacy.reach.exports import neutralise

    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_exports_neutralise_formulas_in_kit_titles(client, manager, ambassador, org):
    # Kit titles are stripped of leading tabs and line breaks by the content workflow;
    # those starts are covered by test_neutralise_each_formula_start.
    for i, start in enumerate(("=", "+", "-", "@")):
        kit = live_kit(title=f'{start}HYPERLINK("http://evil.example","x{i}")')
        shared(ambassador=ambassador, kit=kit, day=days_ago(1))
    rollups.rollup_days(days_ago(1), days_ago(1))
    csv_text = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    titles = [row[0] for row in rows if row and "HYPERLINK" in row[0]]
    assert len(titles) == 4
    assert all(title.startswith("'") for title in titles), titles
    workbook = load_workbook(io.BytesIO(_get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}).content))
    cells = [c for row in workbook["Kits les plus partagés"].iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert len(cells) == 4
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells)


def test_decimal_figures_are_exported_with_a_decimal_comma_and_without_float_noise(client, manager, data):
    from advocacy.reach.reports import Delta

    assert Delta(8.31, 13.2).change == -4.89 and Delta(33.3, 11.1).change == 22.2 and Delta(3, 1).change == 2
    csv_body = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content
    rows = list(csv.reader(io.StringIO(csv_body.decode("utf-8-sig")), delimiter=";"))
    assert ["Clics par partage", "3,5", "0,0", "3,5"] in rows  # the previous period: 1 share, no click
    assert (
        _xlsx_figure(_get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}).content, "Clics par partage")
        == 3.5
    )


def test_negative_numbers_stay_numbers_in_exports(client, manager, data):
    from advocacy.reach.exports import neutralise

    assert neutralise(-3) == -3
    assert neutralise("-3") == "'-3"
    assert neutralise("Rennes") == "Rennes"


def test_period_picker_month_and_custom(client, manager, data):
    month = days_ago(2).strftime("%Y-%m")
    response = _get(client, manager, "reach_reports", periode="month", mois=month)
    assert response.context["report"].period.start.strftime("%Y-%m") == month
    response = _get(
        client, manager, "reach_reports", periode="custom", debut=days_ago(3).isoformat(), fin=days_ago(2).isoformat()
    )
    report = response.context["report"]
    assert (report.period.days, report.figures["shares"], report.previous_period.days) == (2, 2, 2)
    bad = _get(
        client, manager, "reach_reports", periode="custom", debut=days_ago(1).isoformat(), fin=days_ago(3).isoformat()
    )
    assert bad.status_code == 200 and bad.context["form"].errors


@pytest.mark.parametrize(
    ("page_query", "api_query", "message"),
    [
        ("periode=month&mois=9999-12", "period=month&month=9999-12", "Cette période n’a pas encore commencé."),
        ("periode=month&mois=0001-01", "period=month&month=0001-01", "Choisissez une période plus récente."),
        (
            "periode=custom&debut=0001-01-01&fin=0001-01-02",
            "period=custom&start=0001-01-01&end=0001-01-02",
            "Choisissez une période plus récente.",
        ),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message(
    client, api_client, manager, data, page_query, api_query, message
):
    client.force_login(manager)
    page = client.get(reverse("reach_reports") + "?" + page_query)
    assert page.status_code == 200 and message in page.content.decode()
    assert page.context["report"].period == Period.last_days(30)
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("reach_reports_export", kwargs={"fmt": fmt}) + "?" + page_query)
        assert export.status_code == 400 and message in export.content.decode()
    api_client.force_authenticate(manager)
    response = api_client.get(reverse("api_reach_report") + "?" + api_query)
    assert response.status_code == 400 and message in str(response.json()["error"]["fields"])


PERIOD_ERRORS = [
    # (page parameters, the field the error is on, the API's name of it, the message)
    (
        {"periode": "custom", "debut": days_ago(1).isoformat(), "fin": days_ago(3).isoformat()},
        "debut", "start", "La date de début doit précéder la date de fin.",
    ),
    (
        {"periode": "custom", "debut": days_ago(400).isoformat(), "fin": days_ago(1).isoformat()},
        "fin", "end", "Une période dure au plus un an : rapprochez la date de fin de la date de début.",
    ),
    (
        {"periode": "custom", "debut": days_ago(-2).isoformat(), "fin": days_ago(-5).isoformat()},
        "debut", "start", "Cette période n’a pas encore commencé.",
    ),
    ({"periode": "custom", "debut": days_ago(3).isoformat()}, "fin", "end", "Indiquez la date de fin de la période."),
    (
        {"periode": "custom", "fin": days_ago(3).isoformat()},
        "debut", "start", "Indiquez la date de début de la période.",
    ),
    ({"periode": "month", "mois": "9999-12"}, "mois", "month", "Cette période n’a pas encore commencé."),
]  # fmt: skip
API_PARAMETERS = {"periode": "period", "mois": "month", "debut": "start", "fin": "end"}


@pytest.mark.parametrize(("params", "field", "api_field", "message"), PERIOD_ERRORS)
def test_a_period_error_is_shown_on_the_field_it_concerns(client, manager, data, params, field, api_field, message):
    """On its input, in the design system's error state and read with it (aria-describedby),
    not in a block of the form that no input points to."""
    response = _get(client, manager, "reach_reports", **params)
    form = response.context["form"]
    assert form.errors == {field: [message]}
    html = response.content.decode()
    group = html[html.rindex("<div", 0, html.index(f'id="id_{field}"')) :]
    group = group[: group.index("</div></div>")]
    assert "fr-input-group--error" in group
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*id_{field}_error', group)
    assert re.search(rf'id="id_{field}_error"[^>]*>\s*<li class="fr-error-text">\s*{re.escape(message)}', group)
    assert "fr-alert--error" not in html


@pytest.mark.parametrize(("params", "field", "api_field", "message"), PERIOD_ERRORS)
@pytest.mark.parametrize("name", ["api_reach_report", "api_reach_report_unattributed_posts"])
def test_the_report_apis_name_the_parameter_of_a_period_error(
    api_client, curator, data, params, field, api_field, message, name
):
    api_client.force_authenticate(curator)
    response = api_client.get(reverse(name), {API_PARAMETERS[key]: value for key, value in params.items()})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid", "message": "Certaines données sont invalides.", "fields": {api_field: [message]}
    }  # fmt: skip


@pytest.mark.parametrize("unit", ["²", "٣", "-1", "1.0"])
def test_a_unit_that_is_not_a_plain_number_is_not_found(client, manager, data, unit):
    client.force_login(manager)
    assert client.get(reverse("reach_reports"), {"unite": unit}).status_code == 404
    assert client.get(reverse("reach_reports_export", kwargs={"fmt": "csv"}), {"unite": unit}).status_code == 404


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.month(2025, 3), Period(date(2025, 2, 1), date(2025, 2, 28))),
        (Period.month(2024, 3), Period(date(2024, 2, 1), date(2024, 2, 29))),
        (Period.month(2026, 1), Period(date(2025, 12, 1), date(2025, 12, 31))),
        (Period(date(2026, 4, 1), date(2026, 4, 30)), Period.month(2026, 3)),  # chosen as two dates
        (Period(date(2026, 3, 2), date(2026, 3, 31)), Period(date(2026, 1, 31), date(2026, 3, 1))),
        (Period(date(2026, 3, 29), date(2026, 3, 29)), Period(date(2026, 3, 28), date(2026, 3, 28))),
        # The month in progress: the same days of the month before, cut at its end.
        (Period.month_to_date(date(2026, 12, 7)), Period(date(2026, 11, 1), date(2026, 11, 7))),
        (Period.month_to_date(date(2026, 3, 30)), Period.month(2026, 2)),
        (Period.month_to_date(date(2026, 1, 1)), Period(date(2025, 12, 1), date(2025, 12, 1))),
        (Period.month_to_date(date(2026, 1, 31)), Period.month(2025, 12)),  # on its last day, the whole month
        # Other periods that happen to start on the 1st: as many days just before.
        (Period(date(2026, 11, 1), date(2026, 11, 15)), Period(date(2026, 10, 17), date(2026, 10, 31))),
        (Period.last_days(7, today=date(2026, 12, 8)), Period(date(2026, 11, 24), date(2026, 11, 30))),
        (Period.last_days(30, today=date(2026, 3, 31)), Period(date(2026, 1, 30), date(2026, 2, 28))),
    ],
)
def test_a_whole_month_is_compared_with_the_month_before(period, previous):
    assert period.previous() == previous


def test_the_month_in_progress_runs_to_today_and_compares_with_the_same_days_of_last_month(
    client, api_client, manager, data
):
    today = timezone.localdate()
    response = _get(client, manager, "reach_reports", periode="month", mois=today.strftime("%Y-%m"))
    report = response.context["report"]
    assert (report.period.start, report.period.end) == (today.replace(day=1), today)  # no days to come
    assert 'id="period-in-progress"' in response.content.decode()
    last_month = today.replace(day=1) - timedelta(days=1)
    assert report.previous_period.start == last_month.replace(day=1)
    assert report.previous_period.end == min(last_month, last_month.replace(day=1) + timedelta(days=today.day - 1))
    assert _get(client, manager, "reach_reports", periode="month").context["report"].period == report.period
    api_client.force_authenticate(manager)
    api = api_client.get(reverse("api_reach_report"), {"period": "month"}).json()
    assert (api["period"]["end"], api["previous_period"]["end"]) == (
        today.isoformat(),
        report.previous_period.end.isoformat(),
    )


def test_the_previous_month_column_holds_last_months_figures(manager, ambassador):
    shared(ambassador=ambassador, day=date(2025, 1, 30))  # within the 31 days before March
    shared(ambassador=ambassador, day=date(2025, 2, 10))
    shared(ambassador=ambassador, day=date(2025, 3, 5))
    rollups.rollup_days(date(2025, 1, 28), date(2025, 3, 31))
    march = reach_report(user=manager, period=Period.month(2025, 3))
    february = reach_report(user=manager, period=Period.month(2025, 2))
    assert march.previous_figures["shares"] == february.figures["shares"] == 1
    assert (march.figures["shares"], march.deltas["shares"].change) == (1, 0)


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)], ids=["23-hour day", "25-hour day"])
def test_a_dst_day_counts_its_first_and_last_hour_and_compares_with_the_day_before(manager, ambassador, day):
    paris = timezone.get_default_timezone()
    moments = [
        datetime.combine(day - timedelta(days=1), time(23, 59), tzinfo=paris),
        datetime.combine(day, time(0, 1), tzinfo=paris),
        datetime.combine(day, time(23, 59), tzinfo=paris),
        datetime.combine(day + timedelta(days=1), time(0, 1), tzinfo=paris),
    ]
    for moment in moments:
        share = shared(ambassador=ambassador)
        Share.objects.filter(pk=share.pk).update(created_at=moment)
    rollups.rollup_days(day - timedelta(days=1), day + timedelta(days=1))
    report = reach_report(user=manager, period=Period(day, day))
    assert (report.figures["shares"], report.previous_figures["shares"]) == (2, 1)


def test_api_rejects_bad_period(api_client, manager, data):
    api_client.force_authenticate(manager)
    response = api_client.get(reverse("api_reach_report"), {"period": "custom", "start": "2026-01-05"})
    assert response.status_code == 400


def test_api_names_its_own_parameter_in_errors(api_client, manager, data):
    api_client.force_authenticate(manager)
    response = api_client.get(reverse("api_reach_report"), {"period": "month", "month": "2026-13"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"month": ["Indiquez un mois sous la forme AAAA-MM."]}


def test_report_reads_only_the_rollups(manager, data):
    ReachDaily.objects.all().delete()
    report = reach_report(user=manager, period=Period.last_days(30))
    assert report.figures["human_clicks"] == 0


def test_dashboard_query_count_does_not_grow_with_data(client, manager, ambassador, org, django_assert_max_num_queries):
    client.force_login(manager)
    url = reverse("reach_reports")
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for i in range(6):
        kit = live_kit()
        share = shared(ambassador=ambassador, kit=kit, day=days_ago(i))
        clicks(share.link, day=days_ago(i), human=2)
        post(day=days_ago(i), ambassador=ambassador)
    make_ambassador(unit=org["a-bre-2"])
    rollups.rollup_days(days_ago(7), days_ago(0))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_national_dashboard_shows_hashtags_authors_and_unattributed(client, curator, data, programme_tag):
    client.force_login(curator)
    page = client.get(reverse("reach_reports")).content.decode()
    assert 'id="table-hashtags"' in page and "#AvecPôleEmploi" in page
    assert 'id="table-authors"' in page
    listing = client.get(reverse("reach_posts_unattributed"))
    assert listing.status_code == 200
    assert len(listing.context["page"].object_list) == 1


def test_the_national_export_holds_the_hashtags_and_organic_authors_of_the_page(
    client, curator, manager, data, programme_tag, watched_tag
):
    SocialPost.objects.filter(ambassador__isnull=True).update(author_name='=HYPERLINK("http://evil.example")')
    page = _get(client, curator, "reach_reports").context
    author = page["extras"].top_authors[0]
    csv_text = _get(client, curator, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert ["#AvecPôleEmploi", "Hashtag du programme", "2"] in rows
    assert ["#TweeteCommePoleEmploi", "Hashtag surveillé", "0"] in rows
    assert [author["handle"], '\'=HYPERLINK("http://evil.example")', "X", "1", "55"] in rows
    workbook = load_workbook(io.BytesIO(_get(client, curator, "reach_reports_export", kwargs={"fmt": "xlsx"}).content))
    authors = list(workbook["Auteur·rices organiques"].iter_rows(values_only=True))
    assert authors[1] == (author["handle"], '\'=HYPERLINK("http://evil.example")', "X", 1, 55)
    assert "Publications par hashtag suivi" in workbook.sheetnames
    # A manager's report has no national tables, on the page or in the export.
    manager_csv = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    assert "Publications par hashtag suivi" not in manager_csv and "Auteur·rices organiques" not in manager_csv


def test_the_top_kits_table_has_the_columns_of_its_export(client, manager, ambassador, data):
    post(day=days_ago(2), tracked_code=shared(ambassador=ambassador, kit=data["kit"], day=days_ago(2)).link.code)
    rollups.rollup_days(days_ago(2), days_ago(2))
    page = _get(client, manager, "reach_reports").content.decode()
    table = page[page.index('<table id="table-kits">') : page.index("</table>", page.index('<table id="table-kits">'))]
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)
    ]
    csv_text = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    start = rows.index(["Kits les plus partagés"])
    assert (
        cells
        == rows[start + 1] + rows[start + 2]
        == ["Kit", "Partages", "Clics", "Publications"]
        + [
            "Kit breton",
            "3",
            str(BRE_CLICKS),
            "1",
        ]
    )


def test_top_authors_name_their_network(client, curator, data):
    client.force_login(curator)
    page = client.get(reverse("reach_reports"))
    assert [row["network_label"] for row in page.context["extras"].top_authors] == ["X"]
    assert "<td>X</td>" in page.content.decode() and "<td>x</td>" not in page.content.decode()


def test_posts_with_only_a_watched_hashtag_are_not_programme_reach(client, curator, programme_tag, watched_tag):
    post(day=days_ago(1), followers=50)
    mocker = post(day=days_ago(1), hashtags=" tweetecommepoleemploi ", followers=9000)
    rollups.rollup_days(days_ago(1), days_ago(1))
    client.force_login(curator)
    page = client.get(reverse("reach_reports"))
    report = page.context["report"]
    assert (report.figures["organic_posts"], report.figures["potential_reach"]) == (1, 50)
    assert [row["posts"] for row in page.context["extras"].hashtags] == [1, 1]  # each tag's own volume
    assert mocker.author_handle not in [row["handle"] for row in page.context["extras"].top_authors]
    # Still listed among the posts tied to no unit, which the team reviews.
    assert mocker in client.get(reverse("reach_posts_unattributed")).context["page"].object_list


def test_unattributed_query_count_is_constant(client, curator, django_assert_max_num_queries):
    client.force_login(curator)
    url = reverse("reach_posts_unattributed")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for i in range(30):
        post(day=days_ago(i % 5))
    with django_assert_max_num_queries(len(small.captured_queries) + 1) as large:
        client.get(url)
    # The page of posts adds the count and the page itself, nothing per post.
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


@pytest.mark.parametrize("query", ["", "?unite=", "?periode="])
def test_the_period_picker_shows_the_period_of_the_report(client, manager, data, query):
    client.force_login(manager)
    page = client.get(reverse("reach_reports") + query)
    assert page.context["report"].period == Period.last_days(30)
    assert '<option value="30" selected>' in page.content.decode()


def _table_classes(html: str, table_id: str) -> str:
    match = re.search(r'<div class="(fr-table [^"]*)">(?:<div[^>]*>){3}\s*<table id="' + table_id + '"', html)
    assert match, table_id
    return match.group(1)


def test_a_caption_that_repeats_its_heading_is_for_screen_readers_only(client, curator, data):
    client.force_login(curator)
    page = client.get(reverse("reach_reports")).content.decode()
    for table in ("table-networks", "table-units", "table-kits", "table-ambassadors"):
        assert "fr-table--no-caption" in _table_classes(page, table), table
    for table in ("table-trend", "table-hashtags", "table-authors"):  # no heading of their own
        assert "fr-table--no-caption" not in _table_classes(page, table), table
    listing = client.get(reverse("reach_posts_unattributed")).content.decode()
    assert "fr-table--no-caption" in _table_classes(listing, "table-unattributed")


def test_a_change_of_participation_rate_is_given_in_points(client, manager, org, charter, ambassador, data):
    newcomer = make_ambassador(unit=org["a-bre-2"], charter=charter)
    make_ambassador(unit=org["a-bre-2"], charter=charter)  # enrolled, never shared
    shared(ambassador=newcomer, day=days_ago(1))
    rollups.rollup_days(days_ago(1), days_ago(1))
    ProgrammeMembership.objects.update(joined_at=timezone.now() - timedelta(days=90))
    page = _get(client, manager, "reach_reports")
    assert page.context["report"].deltas["participation_rate"].change == 33.4  # 66.7 % against 33.3 %
    tile = re.search(r'data-figure="participation_rate">(.*?)</div></div>', page.content.decode(), re.S).group(1)
    assert "+33,4 points par rapport à la période précédente" in " ".join(tile.split())


def test_method_page_explains_the_estimate(client, ambassador):
    client.force_login(ambassador)
    page = client.get(reverse("reach_reports_method")).content.decode()
    assert 'id="audience-potentielle"' in page and "estimation" in page


def test_staff_without_role_is_refused(client, staff):
    client.force_login(staff)
    assert client.get(reverse("reach_reports")).status_code == 403


def test_manager_of_an_agency_sees_only_the_agency(client, org, charter, data):
    agency_manager = UserFactory(unit=org["a-bre-2"], managed_unit=org["a-bre-2"])
    report = reach_report(user=agency_manager, period=Period.last_days(30))
    assert report.figures["human_clicks"] == 0 and report.figures["shares"] == 0


def test_national_dashboard_query_count_does_not_grow_with_data(
    client, curator, ambassador, org, programme_tag, watched_tag, django_assert_max_num_queries
):
    client.force_login(curator)
    url = reverse("reach_reports")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(4):
        share = shared(ambassador=ambassador, day=days_ago(i))
        clicks(share.link, day=days_ago(i), human=3)
        post(day=days_ago(i))
        post(day=days_ago(i), ambassador=ambassador)
    rollups.rollup_days(days_ago(5), days_ago(0))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_regions_figures_stay_the_same_after_an_ambassador_moves_away(manager, curator, org, ambassador, data):
    from accounts import services as account_services

    account_services.user_sync_unit(user=ambassador, unit_code="a-occ-1")
    # The same kit on the same network again: the same tracked link, now from Occitanie.
    share = shared(ambassador=ambassador, kit=data["kit"], network="x", day=days_ago(1))
    clicks(share.link, day=days_ago(1), human=5)  # at the time of the share, noon
    rollups.rollup_days(days_ago(60), days_ago(0))

    assert reach_report(user=manager, period=Period.last_days(30)).figures["human_clicks"] == BRE_CLICKS
    national = reach_report(user=curator, period=Period.last_days(30))
    assert {u["unit"].code: u["human_clicks"] for u in national.sub_units} == {"dr-bre": 7, "dr-occ": 1005}
    out = StringIO()
    call_command("reconcile_reach", "--from", days_ago(60).isoformat(), "--to", days_ago(0).isoformat(), stdout=out)
    assert "Aucune différence" in out.getvalue()


def test_the_ranking_does_not_tell_a_manager_where_someone_moved_to(client, manager, curator, org, ambassador, data):
    from accounts import services as account_services

    type(ambassador).objects.filter(pk=ambassador.pk).update(appears_in_rankings=True)
    account_services.user_sync_unit(user=ambassador, unit_code="a-occ-1")
    ranked = reach_report(user=manager, period=Period.last_days(30)).top_ambassadors
    assert [(row["name"], row["unit"]) for row in ranked] == [(ambassador.get_full_name(), "")]
    assert "Agence Occitanie 1" not in _get(client, manager, "reach_reports").content.decode()
    national = reach_report(user=curator, period=Period.last_days(30)).top_ambassadors
    assert (ambassador.get_full_name(), "Agence Occitanie 1") in [(row["name"], row["unit"]) for row in national]


def test_the_api_gives_the_national_tables_of_the_page(client, api_client, curator, manager, data, programme_tag):
    extras = _get(client, curator, "reach_reports").context["extras"]
    api_client.force_authenticate(curator)
    national = api_client.get(reverse("api_reach_report")).json()["national"]
    assert national["hashtags"] == [{**row, "kind": str(row["kind"])} for row in extras.hashtags]
    assert national["top_authors"] == extras.top_authors
    assert national["hashtags"][0]["posts"] == 2
    # Not the national view: a manager's report, or the team's report on one region.
    api_client.force_authenticate(manager)
    assert api_client.get(reverse("api_reach_report")).json()["national"] is None
    api_client.force_authenticate(curator)
    region = api_client.get(reverse("api_reach_report"), {"unit": manager.managed_unit_id}).json()
    assert region["is_national"] is False and region["national"] is None


def test_the_api_lists_the_unattributed_posts_of_the_page(client, api_client, curator, data):
    old = post(day=days_ago(45))
    page = _get(client, curator, "reach_posts_unattributed").context["page"].object_list
    api_client.force_authenticate(curator)
    url = reverse("api_reach_report_unattributed_posts")
    payload = api_client.get(url).json()
    assert payload["count"] == len(page) == 1
    assert [row["id"] for row in payload["results"]] == [p.pk for p in page]
    assert payload["results"][0]["attribution"] == "organic"
    # The same period parameters as the report, and the same structured errors.
    older = api_client.get(
        url, {"period": "custom", "start": days_ago(50).isoformat(), "end": days_ago(40).isoformat()}
    )
    assert [row["id"] for row in older.json()["results"]] == [old.pk]
    bad = api_client.get(url, {"period": "month", "month": "2026-13"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"month": ["Indiquez un mois sous la forme AAAA-MM."]}


def test_the_unattributed_posts_api_query_count_is_constant(api_client, curator, django_assert_max_num_queries):
    api_client.force_authenticate(curator)
    url = reverse("api_reach_report_unattributed_posts")
    post(day=days_ago(1))
    api_client.get(url)  # the first request also asks whether two-factor authentication is on
    with django_assert_max_num_queries(20) as small:
        api_client.get(url)
    for i in range(30):
        post(day=days_ago(1 + i % 5))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert api_client.get(url).json()["count"] == 31
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_last_days_are_whole_days_compared_with_as_many_whole_days():
    period = Period.last_days(7, today=date(2026, 12, 7))
    assert (period.start, period.end) == (date(2026, 11, 30), date(2026, 12, 6))
    assert (period.previous().start, period.previous().end) == (date(2026, 11, 23), date(2026, 11, 29))


def test_a_period_that_holds_today_says_its_changes_are_provisional(client, api_client, manager, ambassador, data):
    clicks(shared(ambassador=ambassador, kit=data["kit"], day=days_ago(0)).link, day=days_ago(0), human=4)
    rollups.rollup_day(days_ago(0))
    default = _get(client, manager, "reach_reports")
    assert default.context["report"].figures["human_clicks"] == BRE_CLICKS  # today waits for its end
    assert 'id="period-in-progress"' not in default.content.decode()
    until_today = {"periode": "custom", "debut": days_ago(29).isoformat(), "fin": days_ago(0).isoformat()}
    page = _get(client, manager, "reach_reports", **until_today)
    assert page.context["report"].figures["human_clicks"] == BRE_CLICKS + 4
    assert 'id="period-in-progress"' in page.content.decode()
    api_client.force_authenticate(manager)
    api = api_client.get(
        reverse("api_reach_report"), {"period": "custom", "start": until_today["debut"], "end": until_today["fin"]}
    ).json()
    assert api["period"]["is_in_progress"] is True and api["previous_period"]["is_in_progress"] is False
    assert api_client.get(reverse("api_reach_report")).json()["period"]["is_in_progress"] is False


def test_only_the_whole_organisation_shows_organic_posts(client, manager, curator, data):
    label = "Publications avec le hashtag : organiques"
    assert label not in _get(client, manager, "reach_reports").content.decode()
    manager_csv = _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
    assert label not in manager_csv
    assert label in _get(client, curator, "reach_reports").content.decode()
    assert _csv_figure(_get(client, curator, "reach_reports_export", kwargs={"fmt": "csv"}).content, label) == "1"


def test_an_invalid_period_is_not_exported_as_the_default_one(client, manager, data):
    bad = {"periode": "custom", "debut": "2026-02-10"}
    page = _get(client, manager, "reach_reports", **bad).content.decode()
    assert "Indiquez la date de fin de la période." in page and 'id="export-csv"' not in page
    response = _get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}, **bad)
    assert response.status_code == 400
    assert "Export impossible : Indiquez la date de fin de la période." in response.content.decode()


def test_large_figures_are_grouped_by_thousands(client, curator, data):
    page = _get(client, curator, "reach_reports").content.decode()
    tile = page[page.index('data-figure="human_clicks"') :]
    assert (
        f"{BRE_CLICKS + OCC_CLICKS:,}".replace(",", "\xa0")
        in tile[: tile.index("</p>", tile.index("app-figure__value"))]
    )
    # The tables too: the sub-units' clicks add up to the tile, in the same writing.
    cells = re.findall(r'class="fr-cell--right">([^<]*)</td>', page)
    assert cells and not [cell for cell in cells if re.fullmatch(r"\d{4,}", cell)]
    assert any(re.fullmatch(r"\d{1,3}(\xa0\d{3})+", cell) for cell in cells)


@pytest.fixture
def shared_kit_and_clicked_kit(manager, ambassador, org, charter):
    """« Souvent partagé » shared 3 times, clicked twice; « Très cliqué » shared once, clicked 40 times;
    « Partagé puis oublié » shared before the period, clicked once in it."""
    often = live_kit(title="Souvent partagé")
    for network in ("x", "linkedin", "facebook"):
        share = shared(ambassador=ambassador, kit=often, network=network, day=days_ago(2))
    clicks(share.link, day=days_ago(2), human=2)
    clicked = shared(ambassador=ambassador, kit=live_kit(title="Très cliqué"), network="x", day=days_ago(2))
    clicks(clicked.link, day=days_ago(2), human=40)
    forgotten = shared(ambassador=ambassador, kit=live_kit(title="Partagé puis oublié"), day=days_ago(45))
    clicks(forgotten.link, day=days_ago(3), human=1)
    rollups.rollup_days(days_ago(60), days_ago(0))


def _titles(rows):
    return [row["title"] for row in rows]


def test_the_most_shared_kits_are_ranked_by_shares_and_the_most_clicked_by_clicks_everywhere(
    client, api_client, manager, shared_kit_and_clicked_kit
):
    by_shares = ["Souvent partagé", "Très cliqué"]  # a kit not shared in the period is not « most shared »
    by_clicks = ["Très cliqué", "Souvent partagé", "Partagé puis oublié"]
    report = reach_report(user=manager, period=Period.last_days(30))
    assert (_titles(report.top_kits), _titles(report.top_kits_by_clicks)) == (by_shares, by_clicks)

    page = _get(client, manager, "reach_reports").content.decode()
    for table_id, titles in (("table-kits", by_shares), ("table-kits-clicks", by_clicks)):
        table = page[page.index(f'<table id="{table_id}">') :]
        table = table[: table.index("</table>")]
        assert re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', table) == titles
    assert "Kits les plus partagés" in page and "Kits les plus cliqués" in page

    csv_rows = list(
        csv.reader(
            io.StringIO(
                _get(client, manager, "reach_reports_export", kwargs={"fmt": "csv"}).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    for title, header, titles in (
        ("Kits les plus partagés", ["Kit", "Partages", "Clics", "Publications"], by_shares),
        ("Kits les plus cliqués", ["Kit", "Clics", "Partages", "Publications"], by_clicks),
    ):
        start = csv_rows.index([title])
        assert csv_rows[start + 1] == header
        assert [row[0] for row in csv_rows[start + 2 : start + 2 + len(titles)]] == titles
        assert csv_rows[start + 2 + len(titles)] == []
    workbook = load_workbook(io.BytesIO(_get(client, manager, "reach_reports_export", kwargs={"fmt": "xlsx"}).content))
    assert [r[0] for r in workbook["Kits les plus partagés"].iter_rows(min_row=2, values_only=True)] == by_shares
    assert [r[0] for r in workbook["Kits les plus cliqués"].iter_rows(min_row=2, values_only=True)] == by_clicks
    assert [r[1] for r in workbook["Kits les plus cliqués"].iter_rows(min_row=2, values_only=True)] == [40, 2, 1]

    api_client.force_authenticate(manager)
    body = api_client.get(reverse("api_reach_report")).json()
    assert (_titles(body["top_kits"]), _titles(body["top_kits_by_clicks"])) == (by_shares, by_clicks)


def test_the_monthly_report_ranks_kits_as_the_page_does(manager, ambassador, org, charter):
    from django.core import mail

    from advocacy.reach import monthly
    from advocacy.reach.forms_reports import previous_month

    day = previous_month().start.replace(day=10)
    often = live_kit(title="Souvent partagé")
    for network in ("x", "linkedin"):
        shared(ambassador=ambassador, kit=often, network=network, day=day)
    clicks(shared(ambassador=ambassador, kit=live_kit(title="Très cliqué"), day=day).link, day=day, human=9)
    rollups.rollup_day(day)

    assert monthly.monthly_report_send(manager_id=manager.pk)
    _name, content, _type = mail.outbox[0].attachments[0]
    workbook = load_workbook(io.BytesIO(content))
    assert [r[0] for r in workbook["Kits les plus partagés"].iter_rows(min_row=2, values_only=True)] == [
        "Souvent partagé",
        "Très cliqué",
    ]
    assert [r[0] for r in workbook["Kits les plus cliqués"].iter_rows(min_row=2, values_only=True)] == ["Très cliqué"]


def test_the_most_active_ambassadors_are_those_who_shared_most_not_those_clicked_most(manager, org, data):
    """Activity is what the person did: shares, then posts; clicks only break ties. Clicks
    alone in the period, on a share made before it, are not activity."""
    sharer = make_ambassador(unit=org["a-bre-1"], appears_in_rankings=True, first_name="Souvent", last_name="Partage")
    clicked = make_ambassador(unit=org["a-bre-1"], appears_in_rankings=True, first_name="Tres", last_name="Clique")
    idle = make_ambassador(unit=org["a-bre-1"], appears_in_rankings=True, first_name="Plus", last_name="Actif")
    for network in ("x", "linkedin", "facebook"):
        shared(ambassador=sharer, kit=data["kit"], network=network, day=days_ago(3))
    clicks(shared(ambassador=clicked, kit=data["kit"], day=days_ago(3)).link, day=days_ago(3), human=500)
    clicks(shared(ambassador=idle, kit=data["kit"], day=days_ago(80)).link, day=days_ago(3), human=900)
    rollups.rollup_days(days_ago(90), days_ago(0))
    names = [row["name"] for row in reach_report(user=manager, period=Period.last_days(30)).top_ambassadors]
    assert names.index("Souvent Partage") < names.index("Tres Clique")
    assert "Plus Actif" not in names
