"""Statements on screen, as XLSX and as PDF; the PDF carries Arabic and Chinese text with fonts."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from secretariat.finance.models import FiscalPeriod
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import simple_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(ledger, officers):
    ledger.regular_budget.name_translations = {"ar": "الميزانية العادية", "zh-hans": "经常预算"}
    ledger.regular_budget.save()
    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                 entries=[simple_entry(ledger, "1234.50", on=datetime.date(2026, 3, 3))])
    client = Client()
    client.force_login(officers.poster)
    return client


def url(ledger, output=""):
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    query = f"?period={period.pk}&fund={ledger.regular_budget.pk}" + (f"&output={output}" if output else "")
    return f"/finance/statements/financial-position/{query}"


def test_the_statement_shows_on_screen(ledger, reader):
    response = reader.get(url(ledger))
    assert response.status_code == 200
    assert "Statement of financial position" in response.content.decode()
    assert "-1,234.50" in response.content.decode()


@pytest.mark.parametrize(("language", "expected"), [("fr", "-1\u202f234,50"), ("es", "-1.234,50"), ("ar", "-1,234.50")])
def test_the_statement_prints_amounts_the_readers_way(ledger, reader, language, expected):
    reader.cookies["django_language"] = language
    assert expected in reader.get(url(ledger)).content.decode()


def test_the_statement_downloads_as_xlsx(ledger, reader):
    response = reader.get(url(ledger, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert float(values["Cash and cash equivalents"]) == -1234.5


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "经常预算"), ("ar", "الميزانية")])
def test_the_pdf_renders_arabic_and_chinese(ledger, reader, language, expected):
    reader.cookies.load({"django_language": language})
    response = reader.get(url(ledger, "pdf"), HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    fonts = {str(font["/BaseFont"]) for page in pdf.pages for font in page["/Resources"]["/Font"].get_object().values()}
    text = pdf.pages[0].extract_text()
    if language == "zh-hans":
        assert any("WenQuanYi" in font or "Micro" in font for font in fonts), fonts
        assert expected in text
    else:
        assert any("DejaVu" in font for font in fonts), fonts
        assert any("\u0600" <= ch <= "\u06ff" or "\ufe70" <= ch <= "\ufeff" for ch in text), text
