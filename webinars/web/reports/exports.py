"""The report as files: XLSX (one sheet per table, real numbers, frozen headers, fitted
widths) and CSV, in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import request
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from webinars.domain.reports.periods import parse_period
from webinars.web.downloads import as_download
from webinars.web.reports.blueprint import bp
from webinars.web.reports.tables import Report, build_report, column_labels, report_scope
from webinars.web.roles import staff_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report() -> Report:
    period = parse_period(request.args.get("period"), request.args.get("year"))
    return build_report(period, report_scope())


def _headings(report: Report, table) -> list[str]:
    current, previous = report.period.label, report.period.previous().label
    heads = [table.key_heading]
    for _metric, label in column_labels():
        heads += [f"{label}, {current}", f"{label}, {previous}"]
    if table.has_agreements:
        heads.append(_("Agreements in force"))
    return heads


def _values(table, row) -> list:
    values: list = [row.label]
    for metric, _label in column_labels():
        values += [row.current[metric], row.previous[metric]]
    if table.has_agreements:
        values.append(row.agreements)
    return values


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    while name in taken:
        name = name[:28] + f" {len(taken)}"
    taken.add(name)
    return name


def build_xlsx(report: Report) -> bytes:
    """One sheet per table: a title line, a frozen heading row, numbers as numbers."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.append([f"{table.title} — {report.period.label}"])
        sheet["A1"].font = Font(bold=True, size=12)
        heads = _headings(report, table)
        sheet.append(heads)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(_values(table, row))
        _number_formats(sheet)
        sheet.freeze_panes = "B3"
        _fit_widths(sheet)
    info = book.create_sheet(_sheet_name(_("About"), taken), 0)
    info.append([_("International cooperation report"), report.period.label])
    info.append([_("Period starts"), report.period.first_day])
    info.append([_("Period ends"), date.fromordinal(report.period.end_day.toordinal() - 1)])
    info.append([_("Prepared on"), date.today()])
    for row in info.iter_rows(min_row=2, max_row=4, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    info["A1"].font = Font(bold=True)
    _fit_widths(info)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number_formats(sheet) -> None:
    """Hours with one decimal, every other figure whole."""
    hours = {i for i, (metric, _label) in enumerate(column_labels()) if metric == "hours"}
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            metric_index = (cell.column - 2) // 2
            cell.number_format = "0.0" if metric_index in hours else "0"


def _fit_widths(sheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value is not None:
                text = cell.value.isoformat() if isinstance(cell.value, date) else str(cell.value)
                widths[cell.column] = max(widths.get(cell.column, 0), len(text))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def _filename(report: Report, extension: str) -> str:
    return f"cooperation-report-{report.period.kind}-{report.period.year}.{extension}"


@bp.get("/export.xlsx")
@staff_required
def export_xlsx():
    """The report as an XLSX workbook."""
    report = _report()
    response = as_download(build_xlsx(report), XLSX_TYPE, _filename(report, "xlsx"))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/export.csv")
@staff_required
def export_csv():
    """The report as one CSV file: each table after its title line."""
    report = _report()
    out = io.StringIO()
    writer = csv.writer(out)
    for table in report.tables:
        writer.writerow([f"{table.title} — {report.period.label}"])
        writer.writerow(_headings(report, table))
        for row in table.rows:
            writer.writerow(_values(table, row))
        writer.writerow([])
    body = "\ufeff" + out.getvalue()  # the BOM makes spreadsheet programs read UTF-8
    response = as_download(body, "text/csv; charset=utf-8", _filename(report, "csv"))
    response.headers["Cache-Control"] = "private, no-store"
    return response
