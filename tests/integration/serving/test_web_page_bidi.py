"""A concern with bidirectional overrides: the page shows them as markers (never applied)
while the text scored and audited is the text as sent."""

from __future__ import annotations

from sqlalchemy import select

from serving.audit.tables import score_events
from serving.scoring import text_hmac
from tests.integration.serving.test_web_pages import sign_in
from tests.utils.serving import Service

SPOOF = "Dad hit her with a belt. The child is \u202eton\u202c safe at home."


def test_the_page_shows_overrides_as_markers_and_scores_the_text_as_sent(
    service: Service,
) -> None:
    csrf = sign_in(service)
    r = service.client.post("/score", data={"text": SPOOF, "source": "school", "csrf_token": csrf})
    assert r.status_code == 200
    html = r.text
    assert "\u202e" not in html and "\u202c" not in html
    assert '[RLO]</span>ton<span class="bidi-control"' in html
    assert "safe at home" in html
    with service.engine.connect() as conn:
        stored = conn.execute(select(score_events.c.text_hmac)).scalar_one()
    assert stored == text_hmac(SPOOF, key=service.app.state.screener.hash_key)
