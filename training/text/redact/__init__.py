"""Personal-data redaction: find names, addresses, postcodes, phone numbers, e-mail
addresses, NHS numbers, dates of birth, schools, social-media handles, IP addresses and
reference numbers, and replace each with a typed placeholder ("[NAME]").

The finder is rule-based and data-driven (``patterns/redaction.json`` and the name lists
beside it): compiled patterns for the structured kinds (``numbers``), anchors and
extensions for addresses and school names (``places``), and for names a given-name list,
a surname list and context (``names``). It works on the raw string, so :func:`redact`
needs no spaCy; the ``cs_redactor`` component (``component``) runs the same finder on a
Doc and makes each PII span one placeholder for the later components.

Invariants: spans are sorted, non-overlapping, inside the text; ``redact`` is idempotent
(placeholders are never detected as PII); no finder output or error ever quotes the text.
"""

from __future__ import annotations

from training.text.redact.component import Redactor, cs_redactor, find_pii, redact
from training.text.redact.finder import PiiFinder, apply_redaction, get_finder
from training.text.redact.numbers import nhs_number_valid

__all__ = [
    "PiiFinder",
    "Redactor",
    "apply_redaction",
    "cs_redactor",
    "find_pii",
    "get_finder",
    "nhs_number_valid",
    "redact",
]
