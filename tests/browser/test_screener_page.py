from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from serving.schemas import SIMILAR_HEADING
from serving.testing import FAKE_PAST_ID, FLOOR_SAYS
from tests.utils.browser import LiveServer, full_page_screenshot

pytestmark = pytest.mark.browser

TEXT = (
    "Teacher reports the child came to school with a bruise on her arm and said dad hit her "
    "at home. She seemed happy in class. No injury was seen on her face."
)


def sign_in(page: Any, server: LiveServer, role: str = "screener") -> None:
    page.goto(server.url + "/")
    page.get_by_label("API key").fill(server.keys[role])
    page.get_by_role("button", name="Sign in").click()


def score(page: Any, *, text: str, source: str = "school", contact_id: str = "") -> None:
    if contact_id:
        page.get_by_label("Contact id (optional)").fill(contact_id)
    page.get_by_label("Source of the contact").select_option(source)
    page.get_by_label("The concern, as written or recorded").fill(text)
    page.get_by_role("button", name="Score contact").click()


def test_page_loads_with_sign_in_form_and_security_headers(
    page: Any, live_server: LiveServer
) -> None:
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert "Advisory" in page.locator(".advisory").inner_text()


def test_contact_is_scored_with_highlights_indicators_and_screenshot(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    assert live_server.keys["screener"] not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "cs_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert live_server.keys["screener"] not in cookie["value"]

    score(page, text=TEXT, source="school", contact_id="CT-1001")

    assert page.get_by_role("heading", name="Advisory score").is_visible()
    assert re.fullmatch(
        r"\d{1,2}%|less than 1%|more than 99%", page.locator("#score-percent").inner_text()
    )
    assert re.fullmatch(r"\d+ of 10", page.locator("#score-priority").inner_text())
    assert page.locator("#score-band").inner_text().strip() in {
        "▲ High",
        "■ Medium",
        "▼ Low",
        "High",
        "Medium",
        "Low",
    }
    assert "version 1" in page.locator("#model-version").inner_text()
    assert "never replaces" in page.locator(".advisory").inner_text()

    raised = page.locator("#contact-text mark.raise")
    lowered = page.locator("#contact-text mark.lower")
    assert raised.count() == 2  # bruise, hit
    assert lowered.count() == 2  # school, happy
    assert raised.first.get_attribute("title").startswith("raised the score: bruise")
    assert "(raised the score)" in raised.first.text_content()
    # the whole text is on the page, exactly as typed
    assert (
        page.locator("#contact-text")
        .text_content()
        .replace(" (raised the score)", "")
        .replace(" (lowered the score)", "")
        == TEXT
    )
    assert page.locator("#raised-list li").count() == 2
    assert page.locator("#lowered-list li").count() == 2

    indicators = page.locator("#indicator-list li")
    labels = indicators.all_inner_texts()
    assert any("Physical bruise (level 2)" in t and "negated" not in t for t in labels)
    negated = page.locator("#indicator-list li.negated")
    assert negated.count() == 1
    assert "Physical injury" in negated.inner_text()
    assert "negated" in negated.inner_text()

    full_page_screenshot(page, "scored.png")


def test_guidance_level_differ_note_and_floor_show_beside_the_score_with_screenshot(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    baby = (
        "Health visitor saw a small bruise on the baby's ear at the 8 week check; mum says "
        "he is happy and fine."
    )
    score(page, text=baby, source="health", contact_id="CT-4004")

    guidance = page.locator("#guidance")
    assert guidance.is_visible()
    assert guidance.locator("dt").inner_text().startswith("Guidance level")
    assert re.fullmatch(
        r"4, protection \(probability \d{1,2}%\)", page.locator("#guidance-level").inner_text()
    )
    chances = page.locator("#guidance-chances").inner_text()
    assert "1 universal" in chances and "4 protection" in chances

    differ = page.locator("#practice-guidance-differ")
    assert differ.is_visible()
    assert "Practice and guidance differ." in differ.inner_text()

    floor = page.locator("#score-floor")
    assert floor.is_visible()
    assert f"Floor: {FLOOR_SAYS} — shown in the high band whatever the score" in floor.inner_text()
    # The floor raised the band, not the score: the band says High in words, the score is low.
    assert "High" in page.locator("#score-band").inner_text()
    assert int(page.locator("#score-percent").inner_text().rstrip("%")) < 30
    # Each note is told by its words, not its colour or glyph: the labels are text in the
    # document (text_content leaves out CSS-generated content), which a screen reader reads.
    assert floor.locator("strong").text_content() == "Floor:"
    assert differ.locator("strong").text_content() == "Practice and guidance differ."

    full_page_screenshot(page, "guidance_and_floor.png")

    page.goto(live_server.url + "/queue")
    row = page.locator("table.queue tbody tr", has_text="CT-4004")
    assert f"Floor: {FLOOR_SAYS}" in row.inner_text()
    assert "bruise" not in page.content()
    full_page_screenshot(page, "queue_floor.png")


def test_similar_examples_show_beside_the_score_as_context_with_screenshot(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    score(page, text=TEXT, source="school", contact_id="CT-5005")

    section = page.get_by_role("region", name=SIMILAR_HEADING)
    assert section.is_visible()
    heading = page.get_by_role("heading", name="Similar examples (context, not a decision)")
    assert heading.is_visible()
    assert "do not change the score" in page.locator("#similar-hint").inner_text()
    examples = page.get_by_role("list", name=re.compile("^Guidance examples")).get_by_role(
        "listitem"
    )
    assert examples.count() == 3
    # Nearest first: the fake's level 1 example shares "school" and "happy" with the text.
    first, second = examples.nth(0), examples.nth(1)
    assert first.get_attribute("aria-label") == "Guidance example fake-g1, level 1"
    assert first.locator(".similar-level").inner_text() == "1, universal"
    assert first.locator(".similar-reason").inner_text() == 'Shared words "happy", "school"'
    terms = second.locator("dt").all_inner_texts()
    assert terms == ["Level", "Indicators", "Why similar", "Why this level", "Similarity"]
    assert second.locator(".similar-level").inner_text() == "3, child in need"
    assert second.locator(".similar-indicators").inner_text() == "physical abuse"
    assert second.locator(".similar-reason").inner_text() == 'Shared words "bruise", "hit"'
    # Beside the score: the section comes before the contact text.
    assert page.locator("#similar ~ #contact-text").count() == 1
    # With SIMILAR_PAST_CONTACTS off (the default) no past contact is shown.
    assert page.locator("#similar-past").count() == 0

    auditor = {"X-API-Key": live_server.keys["auditor"]}
    [event] = httpx.get(
        live_server.url + "/v1/audit/events",
        params={"type": "score", "contact_id": "CT-5005"},
        headers=auditor,
    ).json()["events"]
    assert event["similar"] == ["fake-g1", "fake-g3", "fake-g2"]

    full_page_screenshot(page, "similar_examples.png")


def test_past_contacts_show_redacted_with_outcome_and_date_when_the_service_shows_them(
    page: Any, live_server_with_past_contacts: LiveServer
) -> None:
    server = live_server_with_past_contacts
    sign_in(page, server)
    score(page, text=TEXT, source="school", contact_id="CT-6006")

    past = page.get_by_role("list", name="Past contacts (redacted)").get_by_role("listitem")
    assert past.count() == 1
    label = past.first.get_attribute("aria-label")
    assert label == f"Past contact {FAKE_PAST_ID}, received 2025 Q2"
    assert "[name]" in past.first.locator(".similar-text").inner_text()
    assert past.first.locator(".similar-outcome").inner_text() == (
        "Referral to children's social care"
    )
    assert past.first.locator(".similar-date").inner_text() == "2025 Q2"
    [event] = httpx.get(
        server.url + "/v1/audit/events",
        params={"type": "score", "contact_id": "CT-6006"},
        headers={"X-API-Key": server.keys["auditor"]},
    ).json()["events"]
    assert event["similar"][-1] == FAKE_PAST_ID

    full_page_screenshot(page, "similar_past_contacts.png")


def test_decision_is_recorded_and_shows_in_queue_and_audit_trail(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    score(page, text=TEXT, source="police", contact_id="CT-2002")
    assert page.get_by_label("Contact id", exact=True).input_value() == "CT-2002"
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Note (optional)").fill("Discussed with the team manager.")
    page.get_by_role("button", name="Record decision").click()

    page.wait_for_url(re.compile(r"/queue\?recorded=\d+$"))
    assert "Decision recorded" in page.locator("#recorded").inner_text()
    row = page.locator("table.queue tbody tr", has_text="CT-2002")
    assert row.count() == 1
    cells = row.first.locator("td").all_inner_texts()
    assert cells[-1] == "Yes"
    assert cells[4] == "Police"
    # concern text is never on the queue
    assert "bruise" not in page.content()

    # highest priority first
    priorities = [
        int(t) for t in page.locator("table.queue tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert priorities == sorted(priorities, reverse=True)

    auditor = {"X-API-Key": live_server.keys["auditor"]}
    decisions = httpx.get(
        live_server.url + "/v1/audit/events",
        params={"type": "decision", "contact_id": "CT-2002"},
        headers=auditor,
    ).json()["events"]
    assert [d["decision"] for d in decisions] == ["referral"]
    assert decisions[0]["score_event_id"] is not None
    assert decisions[0]["key_id"] == live_server.key_ids["screener"]
    scores = httpx.get(
        live_server.url + "/v1/audit/events",
        params={"type": "score", "contact_id": "CT-2002"},
        headers=auditor,
    ).json()["events"]
    assert [s["id"] for s in scores] == [decisions[0]["score_event_id"]]
    assert scores[0]["source"] == "police"


def test_bad_input_shows_a_clear_message_without_echoing_the_text(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    score(page, text="   \n  ")
    alert = page.get_by_role("alert")
    assert "empty" in alert.inner_text()

    # Past the browser's own limits (a pasted or scripted body): the server still says why.
    page.locator("#text").evaluate("el => el.removeAttribute('maxlength')")
    long_text = "secretword " * 2_000
    score(page, text=long_text)
    assert "limit is 20,000" in page.get_by_role("alert").inner_text()
    assert "secretword" not in page.content()

    page.locator("#source").evaluate(
        "el => { const o = document.createElement('option'); o.value = 'martian'; "
        "o.text = 'Martian'; el.appendChild(o); }"
    )
    score(page, text="A neighbour heard shouting.", source="martian")
    assert "source" in page.get_by_role("alert").inner_text()
    assert "neighbour heard" not in page.content()


def test_keyboard_only_sign_in_and_scoring(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "api_key"
    page.keyboard.type(live_server.keys["screener"])
    page.keyboard.press("Enter")
    page.wait_for_selector("#score-form")
    page.locator("#contact_id").focus()
    page.keyboard.type("CT-3003")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "source"
    page.keyboard.press("ArrowDown")  # the first source
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "text"
    page.keyboard.type("Child says she is fine and happy.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#result-heading")
    # focus lands on the result so a screen reader reads it next
    assert page.evaluate("document.activeElement.id") == "result-heading"


def test_auditor_key_gets_a_clear_403_and_bad_key_a_message(
    page: Any, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("API key").fill(live_server.keys["auditor"])
    with page.expect_response(lambda r: r.url.endswith("/signin")) as info:
        page.get_by_role("button", name="Sign in").click()
    assert info.value.status == 403
    assert page.get_by_role("heading", name="This page is for screeners").is_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "cs_session"]

    page.goto(live_server.url + "/")
    page.get_by_label("API key").fill("cs_000000000000_not-a-real-key-at-all-000")
    page.get_by_role("button", name="Sign in").click()
    assert "not valid" in page.get_by_role("alert").inner_text()
