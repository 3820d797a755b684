"""What addresses abroad add to an address: a street whose type follows its name (the
Baltic states' "Taikos pr. 54-7"), a flat or floor after the street ("m. 15", "2º Esq."),
and past the town a second town or region, an Irish county, a state code, an Eircode or a
postcode of digits, never the country named after it ("12 rue des Lilas, Lyon, France").
"""

from __future__ import annotations

import re
from functools import cache

from training.text.redact.lexicon import get_lexicon

__all__ = ["CAP", "FLAT_ABROAD", "TYPE_ABBREVIATION", "TYPE_AFTER_NAME", "UPPER", "far_tail"]

#: capitals (with the Latin Extended-A block, lower case included), and a capitalised word
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
CAP = rf"[{UPPER}][\w'’-]*"

#: a street whose type comes after its name, abbreviated, as in the Baltic states
#: ("Žalgirio g. 88-14", "Taikos pr. 54-7", "Laisvės al. 60-12")
TYPE_AFTER_NAME = re.compile(
    rf"\b{CAP}(?:\s+{CAP})?\s+(?:g|pr|al|pl|skg|kel)\.\s*\d{{1,4}}(?:[-/]\d{{1,4}})?[A-Za-z]?(?![\w/])"
)
TYPE_ABBREVIATION = re.compile(r" (?:g|pr|al|pl|skg|kel)\. ?\d")
#: a flat or floor written after the street abroad ("120 m. 15", "45, 2º Esq.", "Apt 3B")
FLAT_ABROAD = re.compile(
    r",?\s+(?:(?:m\.|lok\.|(?i:apt)\.?|app\.|ap\.)\s*\d{1,4}[A-Za-z]?"
    r"|\d{1,2}\s?[º°ª]\s*(?:Esq|Dto|Dt|Esquerdo|Direito|Frente|andar|piso)?\.?)(?![\w/])"
)
#: what may follow an address's town abroad, each at most once, in this order: an Irish
#: county ("Co. Sligo"), a region or state code ("OH"), an Eircode ("F56 X2K8"), a postcode
#: of digits ("80-827", "1100-048", "LT-09300", "(69003)", "43214") or a district number
#: ("Kingston 19")
_FAR_TAIL = (
    re.compile(r",?\s+Co\.?\s+[A-Z][a-z]+"),
    re.compile(r",\s+[A-Z]{2}(?=[\s,.;)]|$)"),
    re.compile(r",?\s+[AC-FHKNPRTV-Y]\d[\dW]\s?[AC-FHKNPRTV-Y\d]{4}(?![\w/])"),
    re.compile(
        r",?\s+\(?(?:[A-Z]{1,2}-)?(?:\d{2}-\d{3}|\d{4}-\d{3}|\d{5}(?:-\d{4})?)\)?(?![\w/]|[.:]\d)"
    ),
    re.compile(r"\s+\d{1,2}(?=[,.;)]|\s*$)"),
)
#: a further town or region after the first, when it closes the address ("Victoria
#: Island, Lagos)", "Ballymote, Co. Sligo")
_SECOND_TOWN = re.compile(rf",\s+({CAP})(?:\s+{CAP})?(?=\s*(?:[,.;:)\n]|$))")


def far_tail(text: str, end: int) -> int:
    """Past the town of an address abroad: a second town or region and the pieces of
    :data:`_FAR_TAIL`."""
    if text.endswith(", Co", 0, end):
        end -= 4  # "Ballymote, Co. Sligo": the county is read below
    flat = FLAT_ABROAD.match(text, end)
    if flat is not None:
        end = flat.end()
    second = _SECOND_TOWN.match(text, end)
    lex = get_lexicon()
    if (
        _FAR_TAIL[0].match(text, end) is None
        and second is not None
        and second.group().lstrip(", \t") not in _countries()
        and (
            second.group(1) in lex.places
            or second.group(1).lower() not in _tail_stop_words()
            and second.group(1) not in lex.never
        )
    ):
        end = second.end()  # a town, never the country after it ("Lyon, France")
    for pattern in _FAR_TAIL:
        m = pattern.match(text, end)
        if m is not None and not _years(m.group()):
            end = m.end()
    return end


@cache
def _countries() -> frozenset[str]:
    return frozenset(get_lexicon().raw["countries"])


@cache
def _tail_stop_words() -> frozenset[str]:
    """Words that end an address (``address_tail_stop``; first names may be towns here)."""
    return frozenset(get_lexicon().raw["address_tail_stop"])


def _years(piece: str) -> bool:
    """A bare year ("2019"): no postcode."""
    digits = re.sub(r"\D", "", piece)
    return len(digits) == 4 and digits[:2] in ("19", "20")
