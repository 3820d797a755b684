"""Bidirectional overrides in a concern cannot reorder it on the page: the override is
shown as a marker and the words keep the order they were written in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_screener_page import score, sign_in
from tests.utils.browser import LiveServer

pytestmark = pytest.mark.browser

#: Written "the child is <RLO>ton<PDF> safe at home": with the override applied, a reader
#: sees "the child is not safe at home".
SPOOF = "Dad hit her. The child is \u202eton\u202c safe at home with \u2067him\u2069 now."

#: The left edges of the first and last letters of the first text run holding ``word``.
_EDGES = """(word) => {
  const root = document.querySelector('#contact-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const left = (i) => { const r = document.createRange(); r.setStart(node, i);
      r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
    return [left(at), left(at + word.length - 1)];
  }
  return null;
}"""


def test_an_override_in_the_text_is_shown_and_does_not_reverse_the_words(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server)
    score(page, text=SPOOF, source="school")
    text = page.locator("#contact-text")
    assert "\u202e" not in text.inner_html() and "\u2067" not in text.inner_html()
    markers = page.locator("#contact-text .bidi-control")
    assert markers.all_inner_texts() == ["[RLO]", "[PDF]", "[RLI]", "[PDI]"]
    assert markers.first.is_visible()
    assert "right-to-left override" in markers.first.get_attribute("title")
    first, last = page.evaluate(_EDGES, "ton")
    assert first < last  # "t" is drawn left of "n": the word reads "ton", as written
    first, last = page.evaluate(_EDGES, "him")
    assert first < last
    assert "[RLO]ton[PDF]" in text.inner_text()
