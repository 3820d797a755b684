"""The referrer page in real Chromium: a referrer signs in, pastes a draft and checks it
with the keyboard alone, and sees the questions the MASH will ask and the safety line
(before and after checking), under the pages' CSP with no script error; axe-core finds no
serious or critical violation on the sign-in form, the empty form, a result and an error.

axe-core is vendored (tests/browser/vendor/axe-core, its README records version and
digests) and injected by the test with ``add_script_tag`` in a context that bypasses the
page's CSP (only the test's own script needs it); the keyboard test runs under the CSP.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.utils.browser import LiveServer, full_page_screenshot
from training.text.checklist import SAFETY_LINE

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

DRAFT = (
    "I am worried about Sam in my class. He has had bruises on his arms twice this month "
    "and seems tired.\nHe said he does not want to go home."
)
#: What the page says for a draft that leaves these questions open (the fake model has no
#: similar-cases index, so no examples).
OPEN = ["age", "household", "tried", "parents_aware"]


def _sign_in_with_keyboard(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/check")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_label("API key").focus()
    page.keyboard.insert_text(server.keys["referrer"])
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form posts; its answer redirects to /check
    page.locator("#check-form").wait_for()


def _focused(page: Any) -> dict[str, str]:
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
            const e = document.activeElement;
            const label = e.labels && e.labels.length ? e.labels[0].textContent.trim() : "";
            return {tag: e.tagName.toLowerCase(), id: e.id || "", text: (label || e.textContent || "").trim()};
        }"""
    )


def test_a_referrer_checks_a_draft_with_the_keyboard_only_and_sees_questions_and_safety_line(
    page: Any, live_server: LiveServer
) -> None:
    _sign_in_with_keyboard(page, live_server)
    assert live_server.keys["referrer"] not in page.url
    safety = page.locator("#safety-line")
    assert safety.is_visible() and safety.inner_text() == SAFETY_LINE  # before checking
    assert page.locator("#result").count() == 0

    # Tab from the top of the page: skip link, the menu, sign out, the draft, the button.
    page.locator("body").focus()
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        now = _focused(page)
        order.append(now)
        if now["id"] == "text":
            break
    assert [f["text"] for f in order] == [
        "Skip to main content",
        "Check a draft",
        "Sign out",
        "Your draft concern",
    ], order
    page.keyboard.insert_text(DRAFT)  # as a paste would put it
    page.keyboard.press("Tab")
    assert _focused(page) == {"tag": "button", "id": "", "text": "Check my draft"}
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", name="What the MASH will ask")
    heading.wait_for()
    # Focus lands on the result (screener.js, once the document is parsed).
    page.wait_for_function("() => document.activeElement.id === 'result-heading'")
    items = page.locator("#missing-list li")
    assert [i.get_attribute("id") for i in items.all()] == [f"missing-{q}" for q in OPEN]
    assert "How old is the child?" in items.first.inner_text()
    assert page.locator("#safety-line").inner_text() == SAFETY_LINE  # after checking
    assert SAFETY_LINE in page.locator("#safety-line-after").inner_text()
    assert page.locator("#resembling-none").is_visible()
    assert page.get_by_label("Your draft concern").input_value() == DRAFT  # to edit and recheck
    assert page.get_by_role("button", name="Check again").is_visible()
    body = page.locator("main").inner_text().lower()
    assert "score" not in body.replace("gives no score", "")

    full_page_screenshot(page, "referrer_check.png")

    # One audit event, of counts and question ids, without the draft.
    events = httpx.get(
        live_server.url + "/v1/audit/events",
        params={"type": "check"},
        headers={"X-API-Key": live_server.keys["auditor"]},
    ).json()["events"]
    mine = [e for e in events if e["key_id"] == live_server.key_ids["referrer"]]
    assert mine and mine[-1]["channel"] == "page" and mine[-1]["missing_questions"] == OPEN
    assert "bruises" not in str(events)


# -- accessibility: axe-core ------------------------------------------------------------


def test_the_vendored_axe_core_is_the_recorded_file() -> None:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256
    assert data.startswith(f"/*! axe v{AXE_VERSION}".encode())


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    assert result["testEngine"]["version"] == AXE_VERSION
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def _serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_or_critical_violation_on_the_referrer_pages(
    axe_page: Any, live_server: LiveServer
) -> None:
    page = axe_page
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(live_server.url + "/check")
    found["sign-in"] = _axe(page)
    _sign_in_with_keyboard(page, live_server)
    found["empty form"] = _axe(page)
    page.get_by_label("Your draft concern").fill(DRAFT)
    page.get_by_role("button", name="Check my draft").click()
    page.get_by_role("heading", name="What the MASH will ask").wait_for()
    found["result"] = _axe(page)
    page.get_by_label("Your draft concern").fill("   ")
    # An error: submitted past the browser's own check of a blank required field.
    page.evaluate("() => document.getElementById('text').removeAttribute('required')")
    page.get_by_role("button", name="Check again").click()
    page.locator("#error-summary").wait_for()
    found["error"] = _axe(page)
    print({k: [(v["id"], v["impact"]) for v in vs] for k, vs in found.items()})  # all, for -s
    assert {k: _serious(v) for k, v in found.items()} == {k: [] for k in found}, found


def test_the_axe_harness_does_report_an_unlabelled_control(axe_page: Any) -> None:
    axe_page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><main><textarea id="text"></textarea></main></body></html>'
    )
    assert "label" in {v["id"] for v in _serious(_axe(axe_page))}
