"""An owners' vote in a real browser: the committee member announces and opens it, alice votes on her
phone, the committee member closes and publishes it, and alice reads the result with its arithmetic.
Set GUANJIA_SCREENSHOTS=<dir> to keep phone-width screenshots of the vote and result pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from guanjia.decisions.models import Ballot, OwnersVote
from tests.browser.test_appeals_flow import click, log_in, log_out, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shot(browser, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("GUANJIA_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(420, max(900, min(height + 140, 5000)))
    browser.save_screenshot(str(Path(folder) / f"{name}.png"))
    browser.set_window_size(420, 900)


def test_committee_runs_a_vote_alice_votes_on_her_phone_and_reads_the_result(
    browser, live_server, live_world
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.set_window_size(420, 900)
    # The committee member announces a vote opening now, with the reason for the short notice on record.
    log_in(browser, live_server, "committee")
    browser.get(f"{live_server.url}/votes/new/")
    browser.find_element(By.NAME, "title").send_keys("续聘物业服务企业")
    Select(browser.find_element(By.NAME, "matter")).select_by_value("hire_property_company")
    opens = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
    closes = f"{timezone.localtime() + timezone.timedelta(days=7):%Y-%m-%dT%H:%M}"
    browser.execute_script(
        "document.querySelector('[name=opens_at]').value = arguments[0];"
        "document.querySelector('[name=closes_at]').value = arguments[1];",
        opens,
        closes,
    )
    browser.find_element(By.NAME, "notice_override_reason").send_keys("合同到期在即，业主大会决定缩短公告期")
    click(browser, "form.dec-form button.primary")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#organise button[value=open]"))
    click(browser, "#organise button[value=open]")
    wait_for(browser, lambda b: "表决中" in b.find_element(By.CSS_SELECTOR, ".vstatus").text)
    vote = OwnersVote.objects.get()
    assert vote.status == "open" and vote.voters.count() == 2
    log_out(browser)

    # alice, on her phone: the vote waits for her; she agrees.
    log_in(browser, live_server, "alice")
    browser.find_element(By.LINK_TEXT, "业主表决").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".todo"))
    browser.find_element(By.LINK_TEXT, "续聘物业服务企业").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".ballot-form"))
    assert "三分之二以上" in browser.page_source
    shot(browser, "vote-before")
    click(browser, ".choices3 .c-agree")
    click(browser, ".ballot-form button.primary")
    wait_for(browser, lambda b: "投票成功" in b.page_source)
    shot(browser, "vote-after")
    assert list(Ballot.objects.values_list("choice", "origin")) == [("agree", "online")]
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 420, "the vote page must not scroll sideways on a phone"
    log_out(browser)

    # The committee member closes early (with a reason) and publishes the count.
    log_in(browser, live_server, "committee")
    browser.get(f"{live_server.url}/votes/{vote.pk}/")
    browser.find_element(By.CSS_SELECTOR, "#organise textarea[name=reason]").send_keys("全体业主已表决完毕")
    click(browser, "#organise button[value=close]")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#arithmetic"))
    click(browser, "button[value=publish]")
    wait_for(browser, lambda b: "结果已向全体业主公布" in b.page_source)
    log_out(browser)

    # alice reads the result and its arithmetic.
    log_in(browser, live_server, "alice")
    browser.get(f"{live_server.url}/votes/{vote.pk}/")
    browser.find_element(By.LINK_TEXT, "查看计票结果").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#arithmetic"))
    arithmetic = browser.find_element(By.CSS_SELECTOR, "#arithmetic").text
    assert "≥ 2/3 × 2 = 4/3" in arithmetic and "未达到" in arithmetic
    assert "表决未通过" in browser.find_element(By.CSS_SELECTOR, "#verdict").text
    shot(browser, "result")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 420
