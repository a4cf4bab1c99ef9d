"""The web shell in a real browser: log in, switch to Arabic and Chinese, walk the org tree."""

import pytest

from secretariat.core.tests.factories import EntityFactory, OrgUnitFactory, UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organisation(db):
    user = UserFactory(username="amina")
    grant(user, "auditor")  # reads every module, so the menu lists the budget's pages
    entity = EntityFactory(code="UNOG", name="United Nations Office at Geneva",
                           name_translations={"ar": "مكتب الأمم المتحدة في جنيف", "zh-hans": "联合国日内瓦办事处"})
    division = OrgUnitFactory(entity=entity, code="UNOG-ADM", name="Division of Administration", level="division")
    service = OrgUnitFactory(entity=entity, code="UNOG-ADM-ICT", name="ICT Service", level="service",
                             parent=division)
    OrgUnitFactory(entity=entity, code="UNOG-ADM-ICT-DESK", name="Service Desk Section", level="section",
                   parent=service)
    return user


def test_log_in_and_see_the_pillars(page, log_in, organisation):
    log_in("amina")
    for pillar in ["Resources", "Services", "Knowledge", "Governance", "Continuity"]:
        assert page.get_by_role("heading", name=pillar).is_visible()


def test_the_main_menu_works_from_the_keyboard(page, log_in, organisation):
    log_in("amina")
    resources = page.locator(".main-menu summary", has_text="Resources")
    budget_link = page.locator(".main-menu").get_by_role("link", name="Budgetary control")
    assert not budget_link.is_visible()
    # when: the user tabs to the group and opens it with Enter
    resources.focus()
    page.keyboard.press("Enter")
    # then
    assert budget_link.is_visible()
    page.screenshot(path="test-artifacts/main-menu-open.png")
    page.keyboard.press("Escape")
    assert not budget_link.is_visible()
    assert page.evaluate("document.activeElement.textContent").strip().startswith("Resources")
    # and the home page lists the same pages under each pillar
    assert page.locator("#pillar-resources").get_by_role("link", name="Budgetary control").is_visible()


def test_switch_to_arabic_mirrors_the_layout(page, log_in, organisation):
    log_in("amina")
    brand_left_in_english = page.locator(".navbar-brand").bounding_box()["x"]
    # when
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    # then
    page.wait_for_selector("html[dir='rtl']")
    assert page.locator("html").get_attribute("lang") == "ar"
    brand_left_in_arabic = page.locator(".navbar-brand").bounding_box()["x"]
    viewport_width = page.viewport_size["width"]
    assert brand_left_in_english < viewport_width / 2 < brand_left_in_arabic
    assert page.get_by_role("heading", name="الموارد").is_visible()  # "Resources"


def test_switch_to_chinese_and_walk_the_org_tree(page, log_in, go_to, organisation):
    log_in("amina")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang='zh-hans']")
    # when
    go_to("行政", "组织")  # "Administration", "Organisation"
    page.get_by_role("link", name="联合国日内瓦办事处").click()
    desk = page.get_by_text("Service Desk Section")
    assert page.get_by_text("ICT Service").is_visible() and not desk.is_visible()  # top level open
    page.get_by_text("ICT Service").click()  # opens the branch
    # then
    assert desk.is_visible()
