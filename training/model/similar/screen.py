"""The screen that keeps evaluation texts, and lightly edited copies of them, out of the
index of similar cases."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

__all__ = ["TextScreen", "text_screen"]

#: A text is a near-duplicate of an excluded one when this share of the smaller one's
#: word 4-grams are in both (a lightly edited copy keeps most of them; see the tests).
_NEAR_SHARE = 0.5
_SHINGLE = 4
#: Verdicts a screen remembers (the guidance corpus's, screened build after build).
_SEEN_MAX = 5_000


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _digest(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _shingles(words: list[str]) -> set[int]:
    return {hash(tuple(words[i : i + _SHINGLE])) for i in range(len(words) - _SHINGLE + 1)}


#: The screen of the last excluded texts seen, by their digest (one training process
#: builds many models over the same evaluation sets: tests, ablations).
_SCREENS: dict[str, TextScreen] = {}


def text_screen(excluded: Sequence[str]) -> TextScreen:
    """A :class:`TextScreen` of ``excluded``, shared by the builds of one process."""
    key = hashlib.sha256("\x00".join(excluded).encode("utf-8")).hexdigest()
    screen = _SCREENS.get(key)
    if screen is None:
        _SCREENS.clear()
        screen = _SCREENS[key] = TextScreen(excluded)
    return screen


class TextScreen:
    """The texts that must never be indexed, and the test of a candidate against them: the
    same words (case, spacing and punctuation aside), or a near-duplicate, where at least
    half of the smaller text's word 4-grams occur in the other (texts of fewer than three
    4-grams are compared by their words only)."""

    def __init__(self, excluded: Sequence[str]) -> None:
        self._digests: set[str] = set()
        self._sizes: list[int] = []
        self._postings: dict[int, list[int]] = {}
        for j, text in enumerate(excluded):
            words = _words(text)
            self._digests.add(_digest(words))
            grams = _shingles(words)
            self._sizes.append(len(grams))
            for g in grams:
                self._postings.setdefault(g, []).append(j)
        #: verdicts by text, for texts screened again (the guidance corpus, build after build)
        self._seen: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self._sizes)

    def hits(self, texts: Sequence[str]) -> np.ndarray:
        """A boolean per text: True where it is an excluded text or a near-duplicate."""
        out = np.zeros(len(texts), dtype=bool)
        for i, text in enumerate(texts):
            verdict = self._seen.get(text)
            if verdict is None:
                verdict = self._hit(text)
                if len(self._seen) < _SEEN_MAX:
                    self._seen[text] = verdict
            out[i] = verdict
        return out

    def _hit(self, text: str) -> bool:
        words = _words(text)
        if _digest(words) in self._digests:
            return True
        grams = _shingles(words)
        shared: dict[int, int] = {}
        for g in grams:
            for j in self._postings.get(g, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            smaller = min(len(grams), self._sizes[j])
            if smaller >= 3 and n >= _NEAR_SHARE * smaller:
                return True
        return False
