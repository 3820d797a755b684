from __future__ import annotations

import base64
import json

from serving.web.session import SESSION_SECONDS, make_session_token, read_session_token

SECRET = b"s" * 32
KEY_ID = "0123456789ab"


def test_a_token_names_the_key_and_role_and_reads_back_until_it_expires() -> None:
    token = make_session_token(SECRET, key_id=KEY_ID, role="screener", now=1_000.0)
    claims = read_session_token(SECRET, token, now=1_000.0 + SESSION_SECONDS)
    assert claims is not None
    assert (claims["k"], claims["r"]) == (KEY_ID, "screener") and len(claims["n"]) == 32
    assert read_session_token(SECRET, token, now=1_001.0 + SESSION_SECONDS) is None


def test_two_tokens_for_one_key_differ() -> None:
    first = make_session_token(SECRET, key_id=KEY_ID, role="screener", now=0.0)
    assert first != make_session_token(SECRET, key_id=KEY_ID, role="screener", now=0.0)


def test_a_forged_or_malformed_token_is_refused() -> None:
    token = make_session_token(SECRET, key_id=KEY_ID, role="screener", now=0.0)
    payload, _, signature = token.partition(".")
    assert read_session_token(b"x" * 32, token, now=0.0) is None  # another secret
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["r"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert read_session_token(SECRET, f"{forged}.{signature}", now=0.0) is None
    for bad in ("", ".", payload, f"{payload}.", f".{signature}", "a.b.c"):
        assert read_session_token(SECRET, bad, now=0.0) is None


def test_a_token_of_non_ascii_text_is_refused_not_an_error() -> None:
    token = make_session_token(SECRET, key_id=KEY_ID, role="screener", now=0.0)
    payload, _, signature = token.partition(".")
    for bad in (f"{payload}.{signature[:-1]}é", f"é{payload}.{signature}", "é.é"):
        assert read_session_token(SECRET, bad, now=0.0) is None


def test_every_key_of_the_ring_verifies_and_none_other() -> None:
    older, newer = b"o" * 32, b"n" * 32
    token = make_session_token(older, key_id=KEY_ID, role="screener", now=0.0)
    assert read_session_token((newer, older), token, now=0.0) is not None
    assert read_session_token((newer,), token, now=0.0) is None
