"""A manager signs in, sees their region's dashboard with its charts drawn, changes the
period and downloads the export."""

import io

from openpyxl import load_workbook

from advocacy.reach import rollups
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import PHONE
from tests.reach.report_factories import clicks, days_ago, post, shared
from tests.sharing.factories import live_kit

CANVAS_HAS_PIXELS = """(id) => {
  const canvas = document.getElementById(id);
  if (!canvas || canvas.dataset.drawn !== "true") return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}"""


def test_manager_reads_the_dashboard_and_downloads_the_export(desktop, manager, ambassador):
    for age, count in ((1, 5), (3, 8), (12, 2)):
        share = shared(ambassador=ambassador, day=days_ago(age))
        clicks(share.link, day=days_ago(age), human=count, preview=2)
    post(day=days_ago(2), ambassador=ambassador, likes=3)
    rollups.rollup_days(days_ago(40), days_ago(0))

    page = desktop.page
    desktop.sign_in(manager.email, PASSWORD)
    desktop.goto("/observatoire/rapports/")
    assert "DR Bretagne" in page.content()
    assert page.inner_text("[data-figure=human_clicks] .app-figure__value").strip() == "15"
    page.wait_for_function("() => document.getElementById('chart-trend').dataset.drawn === 'true'")
    for chart in ("chart-trend", "chart-networks", "chart-units"):
        assert page.evaluate(CANVAS_HAS_PIXELS, chart) > 100, chart
    desktop.screenshot("1-dashboard-30-days")

    page.select_option("select[name=periode]", "7")
    page.click("#report-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "periode=7" in page.url
    assert page.inner_text("[data-figure=human_clicks] .app-figure__value").strip() == "13"
    assert page.evaluate(CANVAS_HAS_PIXELS, "chart-trend") > 100
    desktop.screenshot("2-dashboard-7-days")

    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename.startswith("audience-dr-bre-") and download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read()))["Chiffres clés"]
    assert ("Clics (hors robots)", 13) in [(row[0], row[1]) for row in sheet.iter_rows(values_only=True)]


# Whether the first figure of a table's first row is within the visible part of the
# table, without scrolling it sideways.
FIRST_FIGURE_VISIBLE = """(id) => {
  const table = document.getElementById(id);
  const cell = table.querySelector("tbody td");
  return cell.getBoundingClientRect().right <= table.closest(".fr-table__container").getBoundingClientRect().right;
}"""


def test_dashboard_on_a_phone(phone, manager, ambassador, org):
    # Names as long as real ones: "Direction territoriale …", kit titles that are sentences.
    type(org["dt-bre"]).objects.filter(pk=org["dt-bre"].pk).update(name="Direction territoriale Ille-et-Vilaine")
    kit = live_kit(title="Le Contrat d’engagement jeune, comment ça marche pour les 16-25 ans ?")
    share = shared(ambassador=ambassador, kit=kit, day=days_ago(1))
    clicks(share.link, day=days_ago(1), human=4)
    rollups.rollup_days(days_ago(2), days_ago(0))
    phone.sign_in(manager.email, PASSWORD)
    phone.goto("/observatoire/rapports/")
    page = phone.page
    page.wait_for_function("() => document.getElementById('chart-units').dataset.drawn === 'true'")
    phone.screenshot("dashboard")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The unit comparison lies on its side on a phone, its names written whole.
    assert page.evaluate("Chart.getChart('chart-units').options.indexAxis") == "y"
    for table in ("table-units", "table-kits", "table-ambassadors"):
        assert page.evaluate(FIRST_FIGURE_VISIBLE, table), table


def test_typing_dates_or_a_month_picks_that_kind_of_period(desktop, manager, ambassador):
    clicks(shared(ambassador=ambassador, day=days_ago(20)).link, day=days_ago(20), human=6)
    clicks(shared(ambassador=ambassador, day=days_ago(1)).link, day=days_ago(1), human=4)
    rollups.rollup_days(days_ago(25), days_ago(0))
    page = desktop.page
    desktop.sign_in(manager.email, PASSWORD)
    desktop.goto("/observatoire/rapports/")

    # The picker still says "30 derniers jours": the person only types the two dates.
    page.fill("#id_debut", days_ago(21).isoformat())
    page.fill("#id_fin", days_ago(19).isoformat())
    page.click("#report-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "periode=custom" in page.url
    assert page.inner_text("[data-figure=human_clicks] .app-figure__value").strip() == "6"
    assert f"Du {days_ago(21):%d/%m/%Y} au {days_ago(19):%d/%m/%Y}" in page.inner_text(".fr-text--lead")

    page.fill("#id_mois", f"{days_ago(1):%Y-%m}")
    assert page.input_value("#id_periode") == "month"


CHART_COLOURS = """(id) => {
  const chart = Chart.getChart(id);
  const background = getComputedStyle(document.documentElement).getPropertyValue("--background-default-grey").trim();
  return {
    theme: document.documentElement.getAttribute("data-fr-theme"),
    background: background,
    ticks: [chart.options.scales.x.ticks.color, chart.options.scales.y.ticks.color],
    legend: chart.options.plugins.legend.labels.color,
    series: chart.data.datasets.map((d) => d.borderColor),
  };
}"""


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _assert_readable(colours):
    background = colours["background"]
    for text in [*colours["ticks"], colours["legend"]]:
        assert _contrast(text, background) >= 4.5, (colours["theme"], text, background)
    for line in colours["series"]:  # graphical objects: 3:1 (RGAA 3.3)
        assert _contrast(line, background) >= 3, (colours["theme"], line, background)


def test_charts_are_readable_in_the_light_and_the_dark_theme(desktop, manager, ambassador):
    for age, count in ((1, 5), (3, 8)):
        clicks(shared(ambassador=ambassador, day=days_ago(age)).link, day=days_ago(age), human=count)
    rollups.rollup_days(days_ago(10), days_ago(0))
    page = desktop.page
    desktop.sign_in(manager.email, PASSWORD)
    desktop.goto("/observatoire/rapports/")
    page.wait_for_function("() => document.getElementById('chart-networks').dataset.drawn === 'true'")
    light = {chart: page.evaluate(CHART_COLOURS, chart) for chart in ("chart-trend", "chart-networks", "chart-units")}
    for colours in light.values():
        assert colours["theme"] == "light"
        _assert_readable(colours)

    # The system turns dark (as the « Paramètres d’affichage » dialog would): the charts follow.
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.documentElement.getAttribute('data-fr-theme') === 'dark'")
    for chart in ("chart-trend", "chart-networks", "chart-units"):
        colours = page.evaluate(CHART_COLOURS, chart)
        assert colours["theme"] == "dark" and colours["background"] != light[chart]["background"]
        _assert_readable(colours)
    desktop.screenshot("charts-dark")


def test_my_impact_chart_is_readable_in_the_dark_theme(desktop, ambassador):
    clicks(shared(ambassador=ambassador, day=days_ago(1)).link, day=days_ago(1), human=3)
    page = desktop.page
    page.emulate_media(color_scheme="dark")
    desktop.sign_in(ambassador.email, PASSWORD)
    desktop.goto("/mon-impact/")
    page.wait_for_function("() => typeof Chart !== 'undefined' && Chart.getChart('impact-chart') !== undefined")
    colours = page.evaluate(CHART_COLOURS, "impact-chart")
    assert colours["theme"] == "dark"
    _assert_readable(colours)
    desktop.screenshot("impact-dark")
