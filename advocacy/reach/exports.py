"""CSV and XLSX exports of a reach report: both built from the same table of the same
Report object the page shows, so an export holds exactly the page's figures.

Every text cell that a spreadsheet would read as a formula (starting with =, +, -, @,
a tab or a carriage return) gets a leading apostrophe: kit titles and author names are
written by people, and a title such as "=HYPERLINK(...)" must stay text.
"""

import csv
import io
from datetime import date

from django.utils.translation import gettext as _

from advocacy.reach.reports import NationalExtras, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A text cell that cannot run as a formula; numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value):
    return "" if value is None else value


def report_sections(report: Report, extras: NationalExtras | None = None) -> list[tuple[str, list, list[list]]]:
    """(title, header, rows) for every table of the page, in the page's order; `extras`
    are the national view's own tables, for the web-social team's export."""
    period = report.period
    previous = report.previous_period
    sections = [
        (
            _("Rapport"),
            [_("Champ"), _("Valeur")],
            [
                [_("Périmètre"), report.user_scope_label],
                [_("Période"), f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"],
                [_("Période de comparaison"), f"{previous.start:%d/%m/%Y} – {previous.end:%d/%m/%Y}"],
                [
                    _("Audience potentielle"),
                    _("Estimation : somme des abonné·es des auteur·rices, une fois par publication."),
                ],
                # An export travels without the page: it says the posts missing from its
                # figures as the page and the monthly e-mail do.
                *([_("Publications non collectées"), gap.description] for gap in report.collection_gaps),
            ],
        ),
        (
            _("Chiffres clés"),
            [_("Indicateur"), _("Période"), _("Période précédente"), _("Évolution")],
            [
                [str(label), _number(value), _number(prev), _number(delta.change)]
                for _key, label, _kind, value, prev, delta in report.figure_rows()
            ],
        ),
        (
            _("Par jour"),
            [_("Jour"), _("Partages"), _("Clics"), _("Publications ambassadeur·rices"), _("Publications organiques")],
            [
                [row["day"], row["shares"], row["human_clicks"], row["ambassador_posts"], row["organic_posts"]]
                for row in report.trend
            ],
        ),
        (
            _("Par réseau"),
            [_("Réseau"), _("Partages"), _("Clics"), _("Publications"), _("J’aime"), _("Impressions")],
            [
                [
                    row["label"],
                    row["shares"],
                    row["human_clicks"],
                    row["ambassador_posts"] + row["organic_posts"],
                    row["likes"],
                    _number(row["impressions"]),
                ]
                for row in report.networks
            ],
        ),
        (
            _("Par unité"),
            [_("Unité"), _("Partages"), _("Clics"), _("Publications ambassadeur·rices")],
            [[row["label"], row["shares"], row["human_clicks"], row["ambassador_posts"]] for row in report.sub_units],
        ),
        (
            _("Kits les plus partagés"),
            [_("Kit"), _("Partages"), _("Clics"), _("Publications")],
            [[row["title"], row["shares"], row["human_clicks"], row["posts"]] for row in report.top_kits],
        ),
        (
            _("Kits les plus cliqués"),
            [_("Kit"), _("Clics"), _("Partages"), _("Publications")],
            [[row["title"], row["human_clicks"], row["shares"], row["posts"]] for row in report.top_kits_by_clicks],
        ),
        (
            _("Ambassadeur·rices les plus actif·ves"),
            [_("Ambassadeur·rice"), _("Unité"), _("Partages"), _("Clics"), _("Publications")],
            [
                [row["name"], row["unit"], row["shares"], row["human_clicks"], row["posts"]]
                for row in report.top_ambassadors
            ],
        ),
    ]
    if extras is not None:
        sections += [
            (
                _("Publications par hashtag suivi"),
                [_("Hashtag"), _("Type"), _("Publications")],
                [[f"#{row['tag']}", str(row["kind"]), row["posts"]] for row in extras.hashtags],
            ),
            (
                _("Auteur·rices organiques"),
                [_("Compte"), _("Nom"), _("Réseau"), _("Publications"), _("Abonné·es")],
                [
                    [row["handle"], row["name"], row["network_label"], row["posts"], _number(row["followers"])]
                    for row in extras.top_authors
                ],
            ),
        ]
    return [
        (title, [neutralise(h) for h in header], [[neutralise(c) for c in r] for r in rows])
        for title, header, rows in sections
    ]


def _text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # A decimal comma, as the page shows it: the French spreadsheet that reads the
        # semicolons takes "12.09" for text (or a date), not a number.
        return str(value).replace(".", ",")
    return str(value)


def report_csv(report: Report, extras: NationalExtras | None = None) -> bytes:
    """One CSV with the sections one after another, separated by an empty line.

    Semicolons and a BOM, so that the spreadsheet French users open it with reads it right.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, (title, header, rows) in enumerate(report_sections(report, extras)):
        if index:
            writer.writerow([])
        writer.writerow([neutralise(title)])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_text(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: Report, extras: NationalExtras | None = None) -> bytes:
    """One worksheet per section of the page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in report_sections(report, extras):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            # openpyxl reads any string starting with "=" as a formula; after
            # neutralise() none does, and the data type says so explicitly.
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(report: Report, extension: str) -> str:
    scope = report.unit.code if report.unit else "national"
    return f"audience-{scope}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.{extension}"
