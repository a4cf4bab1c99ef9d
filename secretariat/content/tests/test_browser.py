"""The knowledge pillar in a real browser: upload, check out and in, search in Arabic and Chinese,
release an official document in six languages."""

import re

import pytest
from playwright.sync_api import expect

from secretariat.content import services
from secretariat.content.tests.test_official_documents import TITLES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_then_check_out_and_check_in(page, log_in, office, tmp_path):
    first, second = tmp_path / "plan.txt", tmp_path / "plan-v2.txt"
    first.write_text("Work plan for the Fifth Committee")
    second.write_text("Work plan for the Fifth Committee, with targets")
    log_in("amina.author")
    # when: upload
    page.goto("/content/documents/")
    page.get_by_label("Library").select_option(label="DGACM library")
    page.get_by_label("File", exact=True).set_input_files(str(first))
    page.get_by_label("Title").fill("Work plan")
    page.get_by_label("Language").last.select_option("en")
    page.get_by_label("Document type").select_option(label="Memorandum")
    page.get_by_role("button", name="Upload").click()
    # then
    expect(page.get_by_role("heading", name="Work plan")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Document uploaded.")).to_be_visible()
    # when: check out, then check in a new version
    page.get_by_role("button", name="Check out").click()
    expect(page.get_by_text("Checked out by amina.author")).to_be_visible()
    page.get_by_label("New version").set_input_files(str(second))
    page.get_by_label("Comment").fill("Added targets")
    page.get_by_role("button", name="Check in").click()
    # then
    expect(page.get_by_role("status").filter(has_text="Version 2 checked in.")).to_be_visible()
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("row")).to_have_count(3)
    expect(versions.get_by_role("row").nth(2)).to_contain_text("Added targets")
    expect(page.get_by_role("button", name="Check out")).to_be_visible()


def test_choosing_a_document_type_shows_its_custom_fields(page, log_in, office, tmp_path):
    from secretariat.content.models import DocumentType

    DocumentType.objects.create(code="contract", name="Contract", field_rules=[
        {"name": "contract_number", "label": "Contract number", "type": "text", "required": True}])
    lease = tmp_path / "lease.txt"
    lease.write_text("Lease of office space")
    log_in("amina.author")
    page.goto("/content/documents/")
    expect(page.get_by_label("Contract number")).to_have_count(0)
    # when
    page.get_by_label("Library").select_option(label="DGACM library")
    page.get_by_label("File", exact=True).set_input_files(str(lease))
    page.get_by_label("Title").fill("Lease")
    page.get_by_label("Document type").select_option(label="Contract")
    page.get_by_label("Contract number").fill("PDS/2024/17")
    page.get_by_role("button", name="Upload").click()
    # then
    expect(page.get_by_role("status").filter(has_text="Document uploaded.")).to_be_visible()
    expect(page.get_by_text("PDS/2024/17")).to_be_visible()


@pytest.mark.parametrize(("language", "title", "text", "query"), [
    ("ar", "تقرير الميزانية", "تقرير عن الميزانية البرنامجية لفترة السنتين", "البرنامجية"),
    ("zh-hans", "预算报告", "关于两年期方案预算的报告", "方案预算"),
], ids=["arabic", "chinese"])
def test_search_in_arabic_and_chinese(page, log_in, office, language, title, text, query):
    services.upload_document(actor=office.author, library=office.library, file_name="r.txt", data=text.encode(),
                             title=title, language=language, document_type=office.memo)
    services.upload_document(actor=office.author, library=office.library, file_name="o.txt",
                             data="Unrelated".encode(), title="Other", language="en", document_type=office.memo)
    log_in("boris.colleague")
    # when
    page.goto("/content/search/")
    page.get_by_label("Search for").fill(query)
    page.get_by_role("button", name="Search", exact=True).click()
    # then
    expect(page.get_by_text("1 result", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    expect(page.get_by_role("link", name="Other")).to_have_count(0)


def test_release_an_official_document_in_six_languages(page, log_in, office):
    from secretariat.content.tests.conftest import staff_user

    officer = staff_user("olga.documents", office.unit, "documents_officer")
    official = services.register_official_document(actor=officer, symbol="A/C.5/63/24", title=TITLES["en"],
                                                    org_unit=office.unit)
    for language, title in TITLES.items():
        services.add_language_version(actor=officer, official_id=official.pk, language=language, title=title,
                                      file_name=f"{language}.txt", data=title.encode(), document_type=office.memo)
    log_in("olga.documents")
    page.goto(f"/content/official/{official.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Send for translation").click()
    # when: five languages final, issuance is refused
    for name in ["Arabic", "Chinese", "English", "French", "Russian"]:
        page.get_by_role("button", name=f"Mark {name} final").click()
    page.get_by_role("button", name="Issue in all languages").click()
    expect(page.get_by_role("status").filter(
        has_text="A/C.5/63/24 cannot be issued: the es version(s) are not final.")).to_be_visible()
    page.get_by_role("button", name="Mark Spanish final").click()
    page.get_by_role("button", name="Issue in all languages").click()
    # then
    expect(page.get_by_role("status").filter(has_text="A/C.5/63/24 issued in all its languages at once.")).to_be_visible()
    assert page.questions_asked[-1] == "Issue this document in all languages now? Issued documents are public."
    expect(page.get_by_text(re.compile("Status: Issued"))).to_be_visible()
    page.goto("/content/public/?symbol=A/C.5/63/24")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(7)
    expect(table.get_by_role("cell", name=TITLES["zh-hans"])).to_be_visible()
    expect(table.get_by_role("cell", name=TITLES["ar"])).to_be_visible()
