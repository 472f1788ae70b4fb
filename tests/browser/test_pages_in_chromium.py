"""What a person sees in a browser: login, the resident's phone reveal over htmx, the official's chart."""

from __future__ import annotations

import pytest

from guanjia.core.models import PiiAccessLog
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def log_in(browser, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button").click()


def wait_for(browser, condition, timeout: float = 10):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def test_resident_logs_in_and_reveals_their_own_phone(browser, live_server, live_world):
    from selenium.webdriver.common.by import By

    log_in(browser, live_server, "alice")
    wait_for(browser, lambda b: "138****5678" in b.page_source)
    assert "13812345678" not in browser.page_source
    browser.find_element(By.CSS_SELECTOR, ".pii button").click()
    wait_for(browser, lambda b: "13812345678" in b.page_source)
    assert PiiAccessLog.objects.filter(person=live_world.people["alice"], field="phone").count() == 1


def test_official_sees_the_coverage_chart_drawn(browser, live_server, live_world):
    from selenium.webdriver.common.by import By

    log_in(browser, live_server, "official")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".chart canvas, .chart svg"))
    assert "阳光小区" in browser.page_source


def test_switching_to_english(browser, live_server, live_world):
    from selenium.webdriver.common.by import By

    log_in(browser, live_server, "alice")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "button[name=language]"))
    assert browser.execute_script("return document.documentElement.lang") == "zh-hans"
    browser.find_element(By.CSS_SELECTOR, "button[name=language]").click()
    wait_for(browser, lambda b: b.execute_script("return document.documentElement.lang") == "en")
    assert "中文" in browser.find_element(By.CSS_SELECTOR, "button[name=language]").text
