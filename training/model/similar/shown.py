"""How a past contact is named and shown beside a score: its ``past-`` id, its quarter,
its text with listed names hidden, and the deployment's switch and removal list."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["date_band", "past_contacts_shown", "past_id", "read_removals", "shown_text"]


def past_contacts_shown() -> bool:
    """False where the deployment hides past contacts at run time
    (``SCREENER_SIMILAR_PAST_CONTACTS=off``), whatever the version indexed."""
    value = os.environ.get("SCREENER_SIMILAR_PAST_CONTACTS", "on").strip().lower()
    return value not in ("off", "0", "false")


def past_id(redacted_text: str) -> str:
    """The id a past contact is shown and audited by: ``past-`` and 12 hex digits of the
    SHA-256 of its redacted text (the export's contact id is never shown)."""
    return "past-" + hashlib.sha256(redacted_text.encode("utf-8")).hexdigest()[:12]


def date_band(when: Any) -> str:
    """The quarter a contact was received in, as "2024 Q3"."""
    ts = pd.Timestamp(when)
    return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"


def read_removals(path: str | Path) -> frozenset[str]:
    """The ids flagged for removal in ``path``: one a line, blank lines and ``#`` comments
    ignored ("" reads none). A missing file is an error: a removal list that cannot be
    read must stop the build, not let the flagged rows in."""
    if not str(path):
        return frozenset()
    ids = set()
    for line in Path(path).read_text("utf-8").splitlines():
        value = line.split("#", 1)[0].strip()
        if value:
            ids.add(value)
    return frozenset(ids)


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def shown_text(redacted: str) -> str:
    """A redacted text as a past contact is shown: every word that the redactor's name
    lists hold (capitalised, not a capitalised ordinary word such as "Police"; or in lower
    case, a listed name that is no ordinary word) is replaced by ``[name]`` as well. The
    redactor leaves a name that is also a word ("Grace", "Destiny") where context does not
    make it one; on a screen beside a score, hiding a few ordinary words is the lesser
    harm (2,000 generated contacts: no recorded name, address or number left, 63 words
    hidden besides)."""
    from training.text.redact.lexicon import get_lexicon

    lexicon = get_lexicon()
    listed = lexicon.first_names | lexicon.surnames | lexicon.ambiguous
    lower = lexicon.lower_any - lexicon.name_words - lexicon.known_stems

    def hidden(word: str) -> bool:
        if word.isupper() and len(word) <= 3:  # "SEN", "GP", "DV": acronyms
            return False
        if word[:1].isupper():
            return word.lower() in listed and word not in lexicon.never
        return word in lower

    return _WORD.sub(lambda m: "[name]" if hidden(m.group(0)) else m.group(0), redacted)
