"""A fast matcher for spaCy Matcher token patterns (the subset the pattern files use).

spaCy's Matcher evaluates ``IN`` sets, ``REGEX`` and ``{0,8}`` wildcards through Python
predicates on every token and state, which costs milliseconds per contact with a few
hundred patterns. The pattern files only need: token specs on ``NORM``, ``LOWER`` or
``TEXT`` (a value, ``{"IN": [...]}``, or for TEXT ``{"REGEX": ...}``), ``{"LIKE_NUM": true}``,
the empty spec ``{}`` as a wildcard, and the operators ``?``, ``*``, ``+`` and ``{n,m}``.
:class:`TokenRules` compiles those into hash sets, indexes patterns by their first token,
and for each start position finds the shortest match, so a contact costs microseconds.
Unsupported keys raise ``ValueError`` at load, never a silent mismatch.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LIKE_NUM, LOWER, NORM, ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = [
    "ARRAYS_KEY",
    "TEXT_KEY",
    "DocArrays",
    "TokenRules",
    "cached_arrays",
    "doc_arrays",
    "get_ext",
    "set_ext",
]

#: ``doc.user_data`` key of the text the Doc was made from (saves rebuilding ``doc.text``)
TEXT_KEY = "cs_text"

#: ``doc.user_data`` key under which the redactor leaves the DocArrays for later components
ARRAYS_KEY = "cs_arrays"

_ATTR_IDS = {"NORM": 0, "LOWER": 1, "TEXT": 2, "ORTH": 2}


def get_ext(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` for a registered ``cs_`` Doc extension (default None).

    The same storage spaCy's ``doc._`` uses (``doc.user_data``), read directly: every
    ``doc._`` access builds an ``Underscore`` object, which cost about 30 microseconds, and
    the pipeline made ten of them per contact.
    """
    data: dict[Any, Any] = doc.user_data
    return data.get(("._.", name, None, None))


def set_ext(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value`` for a registered ``cs_`` Doc extension (see :func:`get_ext`)."""
    data: dict[Any, Any] = doc.user_data
    data[("._.", name, None, None)] = value


_OP = re.compile(r"^\{(\d*),(\d*)\}$|^\{(\d+)\}$")


@dataclass(frozen=True, slots=True)
class DocArrays:
    """Per-token columns of one Doc, extracted once and shared by the components.

    ``cols[0]`` NORM, ``cols[1]`` LOWER, ``cols[2]`` ORTH hashes; flags and char offsets.
    Token norms can change after extraction (the redactor sets placeholders): call
    :func:`doc_arrays` again after it.
    """

    cols: tuple[list[int], list[int], list[int]]
    like_num: list[int]
    is_punct: list[int]
    is_space: list[int]
    idx: list[int]
    length: list[int]
    doc: Doc


_COLUMNS = [NORM, LOWER, ORTH, LIKE_NUM, IS_PUNCT, IS_SPACE, IDX, LENGTH]


def doc_arrays(doc: Doc) -> DocArrays:
    """Extract the arrays the rules need from ``doc`` (one C call)."""
    if len(doc) == 0:
        return DocArrays(([], [], []), [], [], [], [], [], doc)
    r = doc.to_array(_COLUMNS).T.tolist()
    return DocArrays((r[0], r[1], r[2]), r[3], r[4], r[5], r[6], r[7], doc)


def cached_arrays(doc: Doc) -> DocArrays:
    """The DocArrays the redactor stored on ``doc``, or fresh ones."""
    arrays = doc.user_data.get(ARRAYS_KEY)
    return arrays if isinstance(arrays, DocArrays) else doc_arrays(doc)


@dataclass(slots=True)
class _Slot:
    attr: int = -1  # index into DocArrays.cols; -1: no value test
    values: frozenset[int] = frozenset()
    regex: re.Pattern[str] | None = None
    like_num: bool | None = None
    lo: int = 1
    hi: int = 1
    wildcard: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _parse_op(op: str | None) -> tuple[int, int]:
    if op is None or op == "!":
        if op == "!":
            raise ValueError("operator '!' is not supported")
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, 10_000
    if op == "+":
        return 1, 10_000
    m = _OP.match(op)
    if m is None:
        raise ValueError(f"unsupported operator {op!r}")
    if m.group(3) is not None:
        n = int(m.group(3))
        return n, n
    return int(m.group(1) or 0), int(m.group(2)) if m.group(2) else 10_000


class TokenRules:
    """Compiled token patterns by key; call with :class:`DocArrays` for ``(key, start, end)``.

    ``norm`` normalises NORM values in patterns (so patterns are written in plain words).
    For each key and start token the shortest match is returned.

    Speed: every distinct value set of an exact token spec gets an id; one pass over the
    doc's hashes lists the positions of each id; a pattern is tried only if all its exact
    specs occur, only at positions of its first one, and only where the others occur within
    reach (bisect), before the exact backtracking check.
    """

    def __init__(
        self,
        vocab: Vocab,
        patterns: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]],
        *,
        norm: Callable[[str], str],
        lower_as_norm: bool = False,
    ) -> None:
        self.lower_as_norm = lower_as_norm
        self.keys: list[str] = []
        self._patterns: list[tuple[int, list[_Slot]]] = []
        # Exact set specs: (attr, values) -> set id; per attr, hash -> set ids containing it.
        self._set_ids: dict[tuple[int, frozenset[int]], int] = {}
        self._sids_of: tuple[dict[int, list[int]], dict[int, list[int]], dict[int, list[int]]] = (
            {},
            {},
            {},
        )
        # Per pattern: its required set ids, and (set id, min offset, max offset) of each
        # exact set spec relative to the start; first_sid is -1 when the first spec is not one.
        self._required: list[frozenset[int]] = []
        self._chains: list[list[tuple[int, int, int]]] = []
        self._first: list[int] = []
        self._by_first: dict[int, list[int]] = {}
        self._no_first: list[int] = []
        self._set_attr: list[int] = []
        self._set_values: list[frozenset[int]] = []
        strings = vocab.strings
        for key, pats in patterns.items():
            kid = len(self.keys)
            self.keys.append(key)
            for pat in pats:
                if lower_as_norm:
                    # NORM is a function of LOWER: one pass over one column serves both.
                    pat = [
                        {("NORM" if k == "LOWER" else k): v for k, v in spec.items()}
                        for spec in pat
                    ]
                slots = [self._compile(spec, strings, norm) for spec in pat]
                if slots:
                    self._add(kid, slots)

    def _sid(self, slot: _Slot) -> int:
        ident = (slot.attr, slot.values)
        sid = self._set_ids.get(ident)
        if sid is None:
            sid = self._set_ids[ident] = len(self._set_ids)
            self._set_attr.append(slot.attr)
            self._set_values.append(slot.values)
            for h in slot.values:
                self._sids_of[slot.attr].setdefault(h, []).append(sid)
        return sid

    def _add(self, kid: int, slots: list[_Slot]) -> None:
        pid = len(self._patterns)
        self._patterns.append((kid, slots))
        chain: list[tuple[int, int, int]] = []
        required: set[int] = set()
        lo_off = hi_off = 0
        first = -1
        for k, sl in enumerate(slots):
            exact = (
                sl.lo == sl.hi == 1 and sl.attr >= 0 and sl.regex is None and sl.like_num is None
            )
            if sl.lo >= 1 and sl.attr >= 0:
                required.add(self._sid(sl))
            if exact:
                sid = self._sid(sl)
                if k == 0:
                    first = sid
                else:
                    chain.append((sid, lo_off, hi_off))
            lo_off += sl.lo
            hi_off += sl.hi
        self._required.append(frozenset(required))
        self._chains.append(chain)
        self._first.append(first)
        if first >= 0:
            self._by_first.setdefault(first, []).append(pid)
        else:
            self._no_first.append(pid)

    @staticmethod
    def _compile(spec: Mapping[str, Any], strings: Any, norm: Callable[[str], str]) -> _Slot:
        lo, hi = _parse_op(spec.get("OP"))
        slot = _Slot(lo=lo, hi=hi)
        keys = set(spec) - {"OP"}
        if not keys:
            slot.wildcard = True
            return slot
        for name in keys:
            value = spec[name]
            if name == "LIKE_NUM":
                slot.like_num = bool(value)
                continue
            if name not in _ATTR_IDS:
                raise ValueError(f"unsupported token attribute {name!r}")
            if isinstance(value, dict) and "REGEX" in value:
                if name not in ("TEXT", "ORTH"):
                    raise ValueError("REGEX is supported on TEXT only")
                slot.regex = re.compile(value["REGEX"])
                continue
            if isinstance(value, dict):
                if set(value) != {"IN"}:
                    raise ValueError(f"unsupported predicate {sorted(value)}")
                words = list(value["IN"])
            else:
                words = [value]
            if name == "NORM":
                words = [norm(w) for w in words]
            elif name == "LOWER":
                words = [w.lower() for w in words]
            slot.attr = _ATTR_IDS[name]
            slot.values = frozenset(strings.add(w) for w in words)
        return slot

    def __call__(self, arrays: DocArrays) -> list[tuple[str, int, int]]:
        """All ``(key, start, end)`` matches: per key and start, the shortest."""
        cols = arrays.cols
        n = len(cols[0])
        # Occurrences of every pattern word in the doc, per attribute: hash -> positions.
        occ: tuple[dict[int, list[int]], ...] = ({}, {}, {})
        present: set[int] = set()
        for attr in (0, 1, 2):
            sids_of = self._sids_of[attr]
            if not sids_of:
                continue
            seen = occ[attr]
            col = cols[attr]
            # Filter in one comprehension first: most tokens are in no pattern.
            for i in [i for i, h in enumerate(col) if h in sids_of]:
                h = col[i]
                p = seen.get(h)
                if p is None:
                    seen[h] = [i]
                    present.update(sids_of[h])
                else:
                    p.append(i)
        cache: dict[int, list[int]] = {}
        set_attr = self._set_attr
        set_values = self._set_values

        def positions(sid: int) -> list[int]:
            p = cache.get(sid)
            if p is None:
                seen = occ[set_attr[sid]]
                hits = [seen[h] for h in set_values[sid] & seen.keys()]
                p = cache[sid] = hits[0] if len(hits) == 1 else sorted(j for ps in hits for j in ps)
            return p

        out: set[tuple[int, int, int]] = set()
        patterns = self._patterns
        required = self._required
        by_first = self._by_first
        todo = list(self._no_first)
        for sid in present:
            todo.extend(by_first.get(sid, ()))
        for pid in todo:
            if not required[pid] <= present:
                continue
            kid, slots = patterns[pid]
            first = self._first[pid]
            chain = self._chains[pid]
            starts: Sequence[int] = positions(first) if first >= 0 else range(n)
            if first >= 0 and len(slots) == 1:
                out.update((kid, i, i + 1) for i in starts)
                continue
            # The positions of the chain's words, looked up once per pattern.
            links = [(positions(sid), lo_off, hi_off) for sid, lo_off, hi_off in chain]
            if links:
                # Start only near occurrences of the rarest later token of the pattern (the
                # first of the rarest).
                rare, lo_off, hi_off = min(links, key=lambda link: len(link[0]))
                if len(rare) < len(starts):
                    near: set[int] = set()
                    for q in rare:
                        a = bisect_left(starts, q - hi_off)
                        b = bisect_left(starts, q - lo_off + 1)
                        near.update(starts[a:b])
                    starts = sorted(near)
            for i in starts:
                ok = True
                for p, lo_off, hi_off in links:
                    j = bisect_left(p, i + lo_off)
                    if j == len(p) or p[j] > i + hi_off:
                        ok = False
                        break
                if ok:
                    end = self._match(slots, 0, i, arrays, n)
                    if end is not None and end > i:
                        out.add((kid, i, end))
        keys = self.keys
        return [(keys[k], s, e) for k, s, e in sorted(out)]

    def _ok(self, slot: _Slot, i: int, arrays: DocArrays) -> bool:
        if slot.attr >= 0 and arrays.cols[slot.attr][i] not in slot.values:
            return False
        if slot.like_num is not None and bool(arrays.like_num[i]) != slot.like_num:
            return False
        return slot.regex is None or slot.regex.search(arrays.doc[i].text) is not None

    def _match(self, slots: list[_Slot], k: int, i: int, arrays: DocArrays, n: int) -> int | None:
        if k == len(slots):
            return i
        slot = slots[k]
        # Consume the minimum, then try to finish with as few extra tokens as possible.
        j = i
        for _ in range(slot.lo):
            if j >= n or not (slot.wildcard or self._ok(slot, j, arrays)):
                return None
            j += 1
        count = slot.lo
        while True:
            end = self._match(slots, k + 1, j, arrays, n)
            if end is not None:
                return end
            if count >= slot.hi or j >= n or not (slot.wildcard or self._ok(slot, j, arrays)):
                return None
            j += 1
            count += 1
