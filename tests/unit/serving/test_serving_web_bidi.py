from __future__ import annotations

from serving.web.presenters import BIDI_CONTROLS, bidi_plain, bidi_visible


def test_every_bidi_control_becomes_a_visible_marker_and_nothing_else_changes() -> None:
    text = "<b>x</b> & " + "".join(f"{c}{i}" for i, c in enumerate(BIDI_CONTROLS))
    html = str(bidi_visible(text))
    assert not any(c in html for c in BIDI_CONTROLS)
    assert html.startswith("&lt;b&gt;x&lt;/b&gt; &amp; ")
    assert html.count('class="bidi-control"') == len(BIDI_CONTROLS) == 12
    assert '">[RLO]</span>' in html and "U+202E right-to-left override" in html
    assert str(bidi_visible("plain text, no controls")) == "plain text, no controls"


def test_the_plain_form_for_attributes_names_each_control_in_brackets() -> None:
    assert bidi_plain("is \u202eton\u202c safe") == "is [RLO]ton[PDF] safe"
    assert bidi_plain("\u2066\u2067\u2068\u2069\u200e\u200f\u061c") == (
        "[LRI][RLI][FSI][PDI][LRM][RLM][ALM]"
    )
