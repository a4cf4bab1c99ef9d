"""The standard tables of section 29C as a reader sees them: the page, the XLSX and the PDF.

Counts of posts show as whole numbers (94 / 89 / 183, 250) and amounts in thousands with one
decimal, negatives in parentheses and a dash for zero; the workbook keeps numbers in its cells
and carries those conventions as number formats.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from lxml import html
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

GRADE_TABLE = "Posts by category and grade (Regular budget)"
COMPONENT_POSTS = "Posts by component, subprogramme and funding source"
COMPONENT_MONEY = "Financial resources by component, subprogramme and funding source"
OBJECT_MONEY = "Financial resources by object of expenditure (Regular budget)"


@pytest.fixture
def reader(demo_section):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def tables_on_page(page: str) -> dict:
    """{caption: {row label: {column label: cell text}}} of the page's budget tables."""
    tables = {}
    for table in html.fromstring(page).xpath('//table[contains(@class, "budget-table")]'):
        caption = table.xpath("caption")[0].text.strip()
        headers = [th.text_content().strip() for th in table.xpath("thead//th")][1:]
        rows = {}
        for tr in table.xpath("tbody/tr"):
            label = tr.xpath("th")[0].text_content().strip()
            rows[label] = dict(zip(headers, (td.text_content().strip() for td in tr.xpath("td")), strict=True))
        tables[caption] = rows
    return tables


def test_the_page_shows_counts_whole_and_amounts_in_thousands(reader, demo_section):
    page = reader.get(f"/budget/sections/{demo_section.pk}/tables/").content.decode()
    tables = tables_on_page(page)
    grades = tables[GRADE_TABLE]
    assert [grades[label]["2021 proposed"] for label in (
        "Subtotal, Professional and higher", "Subtotal, General Service and related", "Total")] == ["94", "89", "183"]
    assert tables[COMPONENT_POSTS]["Total"]["Total: 2020"] == "251"
    assert tables[COMPONENT_POSTS]["Total"]["Total: 2021"] == "250"
    assert page.count("every total foots") == 4
    supplies = tables[OBJECT_MONEY]["Supplies and materials"]
    assert supplies["Other"] == "(9.7)"
    assert supplies["Technical adjustments"] == "—"
    total = tables[COMPONENT_MONEY]["Total"]
    assert [total["Total, all sources: 2019 expenditure"], total["Total, all sources: 2020 estimate"],
            total["Total, all sources: 2021 estimate"]] == ["145,033.8", "176,942.6", "180,706.5"]


def test_the_workbook_keeps_numbers_with_the_fascicle_formats(reader, demo_section):
    workbook = load_workbook(io.BytesIO(reader.get(f"/budget/sections/{demo_section.pk}/tables.xlsx").content))

    def rows(sheet_name):
        sheet = workbook[sheet_name]
        header = [cell.value for cell in sheet[4]]
        return {row[0].value.strip(): {header[i]: cell for i, cell in enumerate(row) if i}
                for row in sheet.iter_rows(min_row=5)}

    grades = rows("posts_by_grade")
    assert [grades[label]["2021 proposed"].value for label in (
        "Subtotal, Professional and higher", "Subtotal, General Service and related", "Total")] == [94, 89, 183]
    assert grades["Total"]["2021 proposed"].number_format == '#,##0;(#,##0);"—"'
    assert rows("posts_by_component")["Total"]["Total: 2021"].value == 250
    supplies = rows("resources_by_object")["Supplies and materials"]
    assert supplies["Other"].value == -9.7
    assert supplies["Other"].number_format == '#,##0.0;(#,##0.0);"—"'
    assert supplies["Technical adjustments"].value == 0  # a number, shown as a dash by its format
    total = rows("resources_by_component")["Total"]
    assert [total[f"Total, all sources: {label}"].value for label in (
        "2019 expenditure", "2020 estimate", "2021 estimate")] == [145033.8, 176942.6, 180706.5]


def test_the_pdf_prints_the_counts_whole(reader, demo_section):
    response = reader.get(f"/budget/sections/{demo_section.pk}/tables.pdf")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # labels wrap in cells
    assert "Subtotal, Professional and higher 94 — — — — 94" in text
    assert "Subtotal, General Service and related 89 — — — — 89" in text
    assert "Total 183 — — — — 183" in text
    assert "Total 183 183 56 55 12 12 251 250" in text
    assert "145,033.8 176,942.6 180,706.5" in text
