"""The closed loop in a real browser: alice files from her phone, grid1 accepts and resolves it at the
workbench, alice rates it 满意 and the appeal is closed."""

from __future__ import annotations

import pytest

from guanjia.appeals.models import Appeal, Status
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def categories(live_world):  # type: ignore[no-untyped-def]
    """The default categories come from a data migration; an earlier transactional test's flush removes
    them, so put them back (get_or_create: a no-op when they are there)."""
    from importlib import import_module

    from django.apps import apps

    import_module("guanjia.appeals.migrations.0002_default_categories").add_defaults(apps, None)


def wait_for(browser, condition, timeout: float = 10):  # type: ignore[no-untyped-def]
    """Wait across page loads: an element read while the next page replaces it is simply read again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    waiting = WebDriverWait(
        browser, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    )
    return waiting.until(condition)


def log_in(browser, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "header .who-name"))


def log_out(browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.find_element(By.XPATH, "//header//form[contains(@action, 'logout')]//button").click()
    wait_for(browser, lambda b: b.find_elements(By.NAME, "username"))


def click(browser, css: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    element = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def test_resident_files_staff_resolves_resident_rates(browser, live_server, live_world, categories):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.set_window_size(420, 900)
    # alice, on her phone: 我要反映
    log_in(browser, live_server, "alice")
    browser.find_element(By.LINK_TEXT, "我要反映").click()
    wait_for(browser, lambda b: b.find_elements(By.NAME, "category"))
    assert "101" in browser.find_element(By.CSS_SELECTOR, ".place .address").text
    Select(browser.find_element(By.NAME, "category")).select_by_visible_text("噪音扰民")
    browser.find_element(By.NAME, "title").send_keys("楼上夜间装修噪音")
    browser.find_element(By.NAME, "description").send_keys("每晚十点后还在电钻，影响休息")
    browser.find_element(By.NAME, "location").send_keys("1号楼2层")
    click(browser, "form.appeal-form button.primary")
    wait_for(
        browser, lambda b: "/appeals/" in b.current_url and b.find_elements(By.CSS_SELECTOR, ".timeline")
    )
    appeal = Appeal.objects.get()
    assert appeal.title == "楼上夜间装修噪音" and appeal.assignee == live_world.people["grid1"]
    log_out(browser)

    # grid1 finds it in the queue, accepts and resolves it with a note
    log_in(browser, live_server, "grid1")
    browser.get(f"{live_server.url}/workbench/")
    browser.find_element(By.LINK_TEXT, "楼上夜间装修噪音").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#act-accept button"))
    click(browser, "#act-accept button")
    wait_for(browser, lambda b: "已受理" in b.find_element(By.CSS_SELECTOR, ".head-tags").text)
    browser.find_element(By.CSS_SELECTOR, "#act-resolve textarea").send_keys(
        "已上门协调，业主承诺晚八点后停工"
    )
    click(browser, "#act-resolve button")
    wait_for(browser, lambda b: "已办结待评价" in b.find_element(By.CSS_SELECTOR, ".head-tags").text)
    log_out(browser)

    # alice sees it resolved and rates it 满意
    log_in(browser, live_server, "alice")
    browser.find_element(By.LINK_TEXT, "我的诉求").click()
    wait_for(browser, lambda b: "已办结待评价" in b.page_source)
    browser.find_element(By.LINK_TEXT, "楼上夜间装修噪音").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#act-confirm"))
    assert "已上门协调" in browser.page_source
    click(browser, "#act-confirm label.rating-satisfied")
    click(browser, "#act-confirm button")
    wait_for(browser, lambda b: "已关闭" in b.find_element(By.CSS_SELECTOR, ".head-tags").text)

    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == "satisfied"
