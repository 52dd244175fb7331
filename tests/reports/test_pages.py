"""The report's pages, drill-down, exports and who sees what."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.fixtures.markup import parse
from webinars.models import Role

URL = "/reports/?period=calendar&year=2025"


@pytest.fixture
def admin_client(client, login, make_user):
    login(make_user(Role.ADMIN))
    return client


def _cell(page, grouping: str, key: str, metric: str) -> str:
    [table] = [el for el in page.iter() if el.attrs.get("id") == f"table-{grouping}"]
    [row] = [el for el in table.iter() if el.tag == "tr" and el.attrs.get("data-key") == key]
    [cell] = [el for el in row.iter() if el.attrs.get("data-metric") == metric]
    link = [el for el in cell.iter() if el.tag == "a"]
    return (link[0] if link else cell).text() if link else cell.children[0].strip()


def test_report_page_shows_the_year_and_the_year_before(report_world, admin_client):
    page = parse(admin_client.get(URL).get_data(as_text=True))

    # S8 (2025-12-28) is over by now: five sessions, 420 minutes = 9.3 academic hours.
    assert _cell(page, "total", "", "sessions") == "5"
    assert _cell(page, "total", "", "hours") == "9.3"
    assert _cell(page, "total", "", "attended") == "5"
    assert _cell(page, "academy", str(report_world["kazan"]), "registered") == "3"
    assert _cell(page, "total", "", "agreements") == "2"
    [prev] = [
        el
        for el in page.iter()
        if "prev" in el.classes and el.parent.attrs.get("data-metric") == "sessions"
    ][:1]
    assert prev.text() == "2024: 1 (+4)"


def test_each_number_drills_down_to_its_sessions(report_world, admin_client):
    response = admin_client.get(
        f"/reports/sessions?period=calendar&year=2025&group=academy&key={report_world['kazan']}"
    )

    page = parse(response.get_data(as_text=True))
    rows = [el.attrs["data-session"] for el in page.iter() if "data-session" in el.attrs]
    assert rows == [str(report_world["s1"])]


def test_drill_down_by_direction(report_world, admin_client):
    response = admin_client.get(
        "/reports/sessions?period=calendar&year=2025&group=direction&key=joint"
    )

    page = parse(response.get_data(as_text=True))
    rows = [int(el.attrs["data-session"]) for el in page.iter() if "data-session" in el.attrs]
    assert rows == [report_world["s5"], report_world["s2"]]


def test_coordinator_sees_only_their_academys_figures(report_world, client, login, make_user):
    login(make_user(Role.COORDINATOR, academy_id=report_world["shymkent"]))

    page = parse(client.get(URL).get_data(as_text=True))

    assert _cell(page, "total", "", "sessions") == "3"  # S2, S3, S8
    assert _cell(page, "total", "", "agreements") == "1"
    kazan = client.get(
        f"/reports/sessions?period=calendar&year=2025&group=academy&key={report_world['kazan']}"
    )
    assert kazan.status_code == 404
    book = load_workbook(
        io.BytesIO(client.get("/reports/export.xlsx?period=calendar&year=2025").data)
    )
    total = book[book.sheetnames[1]]
    assert total["B3"].value == 3


def test_report_needs_a_sign_in(report_world, client):
    for url in (URL, "/reports/export.xlsx", "/reports/export.csv", "/reports/sessions"):
        assert client.get(url).status_code == 302


def test_xlsx_has_a_sheet_per_table_with_real_numbers_and_frozen_headings(
    report_world, admin_client
):
    response = admin_client.get("/reports/export.xlsx?period=calendar&year=2025")

    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "About",
        "All partners",
        "Per partner academy",
        "Per country",
        "Per kind of session",
        "Per direction",
    ]
    about = book["About"]
    assert (
        isinstance(about["B2"].value, datetime)
        and about["B2"].value.date().isoformat() == "2025-01-01"
    )
    total = book["All partners"]
    assert [c.value for c in total[2]][:5] == [
        "Total",
        "Sessions held, 2025",
        "Sessions held, 2024",
        "Academic hours, 2025",
        "Academic hours, 2024",
    ]
    assert total["B3"].value == 5 and isinstance(total["B3"].value, int)
    assert total["D3"].value == pytest.approx(9.3) and total["D3"].number_format == "0.0"
    assert total.freeze_panes == "B3"
    assert total.column_dimensions["B"].width >= len("Sessions held, 2025")
    countries = book["Per country"]
    assert {countries.cell(r, 1).value: countries.cell(r, 2).value for r in (3, 4)} == {
        "Russia": 3,
        "Kazakhstan": 3,
    }


def test_exports_speak_the_readers_language(report_world, client, login, make_user):
    login(make_user(Role.ADMIN, locale="ru"))

    book = load_workbook(
        io.BytesIO(client.get("/reports/export.xlsx?period=calendar&year=2025").data)
    )
    text = client.get("/reports/export.csv?period=calendar&year=2025").data.decode("utf-8-sig")

    assert book.sheetnames[1] == "Все партнёры"
    assert book["Все партнёры"]["B2"].value == "Проведено занятий, 2025"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["Итого", "Проведено занятий, 2025"]
    assert rows[2][1] == "5"


def test_charts_are_svg_with_a_text_alternative(report_world, admin_client):
    page = parse(admin_client.get(URL).get_data(as_text=True))

    charts = {el.attrs["id"]: el for el in page.iter() if "report-chart" in el.classes}
    assert list(charts) == ["chart-months", "chart-partners", "chart-countries"]
    for chart in charts.values():
        [svg] = [el for el in chart.iter() if el.tag == "svg"]
        assert svg.attrs["role"] == "img"
        assert [el.tag for el in svg.children if not isinstance(el, str)][:2] == ["title", "desc"]
    months = charts["chart-months"]
    rows = [el for el in months.iter() if el.tag == "tr"][1:]
    march = [c.text() for c in rows[2].children if not isinstance(c, str)]
    assert march == ["Mar", "1", "0", "0"]  # S1, a guest lecture
    bars = [el for el in months.iter() if el.tag == "rect"]
    assert len(bars) == 5  # one per month with a session: Jan, Mar, Apr, May, Dec
    countries = charts["chart-countries"]
    cells = [
        [c.text() for c in r.children if not isinstance(c, str)]
        for r in countries.iter()
        if r.tag == "tr"
    ]
    assert ["Kazakhstan", "1", "3"] in cells and ["Russia", "0", "3"] in cells


def test_print_stylesheet_is_a4_and_hides_the_controls(report_world, admin_client):
    page = admin_client.get(URL).get_data(as_text=True)
    css = admin_client.get("/static/css/report.css").get_data(as_text=True)

    assert "css/report.css" in page
    assert "size: A4" in css
    assert ".no-print" in css.split("@media print", 1)[1]
