"""The request rules that OpenAPI states are the rules the validators apply: a string is
accepted exactly when the documented pattern and lengths (and Unicode) accept it."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from serving.schemas import ID_PATTERN, TEXT_PATTERN, DecisionRequest, ScoreRequest

#: Characters around every rule's edges: whitespace of each kind, NUL and other controls,
#: bidi controls, lone surrogates, letters.
EDGES = "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
ALPHABET = st.sampled_from(
    list(EDGES + "\x00\x07\x7f\x9f\u061c\u200e\u202a\u202e\u2066\u2069\ud800\udfff")
    + ["a", "Z", "é"]
)


def _accepts(model: type, **fields: object) -> bool:
    try:
        model.model_validate(fields)
    except ValidationError:
        return False
    return True


def _is_unicode(s: str) -> bool:
    return re.search("[\ud800-\udfff]", s) is None


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, min_size=0, max_size=8))
def test_text_is_accepted_exactly_when_the_documented_schema_accepts_it(text: str) -> None:
    documented = 1 <= len(text) <= 20_000 and re.fullmatch(TEXT_PATTERN, text) is not None
    assert _accepts(ScoreRequest, text=text) == (documented and _is_unicode(text))


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, min_size=0, max_size=6))
def test_contact_ids_are_accepted_exactly_when_the_documented_schema_accepts_them(
    contact_id: str,
) -> None:
    documented = 1 <= len(contact_id) <= 200 and re.fullmatch(ID_PATTERN, contact_id) is not None
    assert _accepts(ScoreRequest, text="x", contact_id=contact_id) == (
        documented and _is_unicode(contact_id)
    )


@settings(max_examples=200, deadline=None)
@given(st.text(ALPHABET, max_size=6))
def test_notes_refuse_nul_and_lone_surrogates_only(note: str) -> None:
    ok = "\x00" not in note and _is_unicode(note)
    assert _accepts(DecisionRequest, decision="nfa", note=note) == ok


def test_whitespace_is_what_str_strip_removes_in_every_plane() -> None:
    blank = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(re.fullmatch(TEXT_PATTERN, c) is None for c in blank)
    for c in ("\ufeff", "\u200b", "\x00a"[1:], "\u180e"):
        assert re.fullmatch(TEXT_PATTERN, c) is not None, repr(c)  # not whitespace to Python


@pytest.mark.parametrize("pattern", [TEXT_PATTERN, ID_PATTERN])
def test_patterns_spell_characters_only_as_u_escapes(pattern: str) -> None:
    # so that Python's re, ECMA-262 and Rust's regex read the same set
    assert pattern.isascii()
    assert re.sub(r"\\u[0-9a-f]{4}", "", pattern).count("\\") == 0


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET.filter(lambda c: _is_unicode(c)), max_size=6))
def test_rusts_regex_reads_the_patterns_as_python_does(s: str) -> None:
    # jsonschema_rs is what schemathesis (and many clients) validate with
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    for pattern in (TEXT_PATTERN, ID_PATTERN):
        rust = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
        assert rust.is_valid(s) == (re.fullmatch(pattern, s) is not None), (pattern, s)
