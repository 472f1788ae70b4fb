"""In a phone-sized Chromium: the 公示 page without login (no sideways scrolling), the poster's QR code,
the property staff's bill run and the resident's "I paid", confirmed by staff."""

from __future__ import annotations

import pytest

from guanjia.property.models import Bill, Payment
from tests.browser.test_pages_in_chromium import log_in, wait_for
from tests.property.helpers import make_company, sign

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_disclosure_page_fits_a_phone_without_login(browser, live_server, live_world):
    from selenium.webdriver.common.by import By

    sign(live_world, live_world.sunshine, make_company())
    browser.get(f"{live_server.url}/gongshi/{live_world.sunshine.pk}/")
    wait_for(browser, lambda b: "李经理" in b.page_source)
    assert "20.00" in browser.page_source and "楼道清扫" in browser.page_source
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")
    browser.find_element(By.LINK_TEXT, "打印公示海报").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".qr svg"))


def test_a_bill_run_then_the_resident_says_i_paid_and_staff_confirm(browser, live_server, live_world):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    contract = sign(live_world, live_world.sunshine, make_company())
    log_in(browser, live_server, "property")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".mainnav"))
    browser.get(f"{live_server.url}/property/contracts/{contract.pk}/billing/")
    Select(browser.find_element(By.NAME, "period")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, "form[action$='/billing/run/'] button").click()
    wait_for(browser, lambda b: "出账完成" in b.page_source)
    assert Bill.objects.count() == 2

    browser.delete_all_cookies()
    log_in(browser, live_server, "alice")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".mainnav"))
    browser.get(f"{live_server.url}/property/my/")
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    browser.find_element(By.NAME, "amount").send_keys("20.00")
    browser.find_element(By.NAME, "reference").send_keys("4200001111")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/my/claim/'] button").click()
    wait_for(browser, lambda b: "物业核实到账后" in b.page_source)
    claim = Payment.objects.get()
    assert claim.status == "claimed"

    browser.delete_all_cookies()
    log_in(browser, live_server, "property")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".mainnav"))
    browser.get(f"{live_server.url}/property/contracts/{contract.pk}/billing/")
    browser.find_element(By.XPATH, "//button[text()='确认到账']").click()
    wait_for(browser, lambda b: "已确认到账" in b.page_source)
    claim.refresh_from_db()
    assert claim.status == "confirmed" and claim.receipt_number
