"""The label process: from what a contact says to what a front door decided.

A contact's *plan* lists the indicators it mentions and how (asserted first hand, reported
third hand, hedged, historical, negated) and how often (once, unstated, repeated), its
protective factors, its early help history and its source. The latent *severity* follows
the published levels of need: a level-4 indicator asserted alone
makes a referral very likely, level 3 likely, level 2 usually early help or advice, level 1
no further action. Combinations raise it (domestic abuse with a baby; two or three of the
"toxic trio"; early help tried and failed alongside another need); negated mentions count
for nothing, historical and hedged ones for little, third-hand reports for less.

How the guidance moves a need, and so the severity (each step is a term of
:func:`severity`):

* **How often.** A concern that can recur (``IndicatorSpec.frequency``) and is written as a
  one-off weighs ``FREQUENCY_WEIGHT["once"]`` of its weight, one written as happening again
  and again ``FREQUENCY_WEIGHT["repeated"]``: persistent and repeated needs sit a level above
  the same need once (inconsistent care is level 2, persistent neglect level 3). Harm at
  level 4 is significant harm the first time: a one-off keeps its full weight there and
  repetition adds less (``FREQUENCY_WEIGHT_LEVEL4``).
* **Protective factors** lower the severity by ``PROTECTIVE_WEIGHT`` each, but only by
  ``PROTECTIVE_WEIGHT_LEVEL4`` beside an asserted level-4 concern: a supportive family lowers
  a child's need, it does not make reasonable cause to suspect significant harm go away.
* **Early help history** (``Plan.early_help``). *Engaged*: the family have consented to
  early help and are working with it, which is how the guidance meets a level-2 need and
  steps a level-3 one down (``EARLY_HELP_ENGAGED``, again much less beside a level-4
  concern). *Declined*: support was offered for a need of level 2 or more and refused, so
  the need is unmet and may step up (``EARLY_HELP_DECLINED``). *Failed*: early help tried
  and failed is a level-3 indicator of its own (``early_help_failed`` in the catalogue,
  asserted in the plan), with ``EARLY_HELP_BONUS`` more beside another need of level 2 or
  more. None of them moves a contact with no need of level 2 or more, except engaged,
  which can only lower it.

How a concern is worded (the register: professional, lay, the child's own words,
euphemism), the tone it is written in, the layout, boilerplate and length of the contact
and the referrer's voice never enter the severity: they are drawn independently of it.

The decision logit is ``INTERCEPT + SLOPE * severity + SOURCE_SHIFT[source] + drift(t) +
bias``; ``p_true`` is its sigmoid and ``met`` a Bernoulli draw from it, so the oracle AUC
(p_true against met) reflects the noise of real decisions. Audit-only attributes enter
only through an explicitly injected :class:`BiasSpec`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np

from training.data.contract import (
    AUDIT_ONLY_COLUMNS,
    COLUMN_BY_NAME,
    OUTCOMES,
)
from training.data.generate.lexicon import load_lexicon

__all__ = [
    "CP_CENTRE",
    "EARLY_HELP",
    "DRIFT_END",
    "DRIFT_START",
    "EarlyHelp",
    "FREQUENCY_WEIGHT",
    "Frequency",
    "INTERCEPT",
    "MODE_WEIGHT",
    "SLOPE",
    "SOURCE_SHIFT",
    "BiasSpec",
    "Mention",
    "Mode",
    "Plan",
    "bias_shift",
    "decide",
    "decision_logit",
    "parse_bias",
    "severity",
]

Mode = Literal["first", "third", "hedged", "historical", "negated"]
Frequency = Literal["once", "unstated", "repeated"]
EarlyHelp = Literal["none", "engaged", "declined", "failed"]

#: The early help histories a plan can carry.
EARLY_HELP: Final[tuple[EarlyHelp, ...]] = ("none", "engaged", "declined", "failed")

#: How much of an indicator's weight each kind of mention carries.
MODE_WEIGHT: Final[dict[str, float]] = {
    "first": 1.0,
    "third": 0.6,
    "hedged": 0.2,
    "historical": 0.12,
    "negated": 0.0,
}
#: Modes that make an indicator "asserted" (listed in ``indicators_true``).
ASSERTED_MODES: Final = frozenset({"first", "third"})
#: Source reliability: contributions from these sources are discounted.
SOURCE_RELIABILITY: Final[dict[str, float]] = {"anonymous": 0.75, "individual": 0.9}
#: Modest shifts of the decision logit by source (a screener's trust in the referrer).
SOURCE_SHIFT: Final[dict[str, float]] = {
    "police": -0.1,
    "school": 0.1,
    "health": 0.15,
    "la_services": 0.2,
    "individual": -0.15,
    "anonymous": -0.4,
    "other": 0.0,
}
INTERCEPT: Final = -3.1
SLOPE: Final = 1.15
#: Drift of the intercept over the span of received_at: practice tightens by 0.4 logit.
DRIFT_START: Final = 0.2
DRIFT_END: Final = -0.2
#: Severity at which half of the met contacts go to child protection (s47) enquiries.
CP_CENTRE: Final = 4.5
PROTECTIVE_WEIGHT: Final = 0.55
PROTECTIVE_WEIGHT_LEVEL4: Final = 0.2
DA_BABY_BONUS: Final = 1.0
TRIO_BONUS: Final = {2: 0.9, 3: 1.5}
EARLY_HELP_BONUS: Final = 0.8
#: Early help engaged with and consented to: below level 4, and beside a level-4 concern.
EARLY_HELP_ENGAGED: Final = -0.7
EARLY_HELP_ENGAGED_LEVEL4: Final = -0.2
#: Early help offered and declined, beside a need of level 2 or more.
EARLY_HELP_DECLINED: Final = 0.6
#: Share of an indicator's weight by how often it is written to happen (frequency = true).
FREQUENCY_WEIGHT: Final[dict[str, float]] = {"once": 0.75, "unstated": 1.0, "repeated": 1.3}
FREQUENCY_WEIGHT_LEVEL4: Final[dict[str, float]] = {"once": 1.0, "unstated": 1.0, "repeated": 1.15}


@dataclass(frozen=True, slots=True)
class Mention:
    """One indicator mentioned in a contact, how, and how often it is said to happen
    ("unstated" unless the text says once or repeated)."""

    label: str
    mode: Mode
    frequency: Frequency = "unstated"


@dataclass(slots=True)
class Plan:
    """What one contact will say: the input of both the text and the label process."""

    source: str
    age: int
    mentions: list[Mention] = field(default_factory=list)
    protective: int = 0
    early_help: EarlyHelp = "none"

    @property
    def asserted(self) -> list[str]:
        """Labels asserted (first or third hand), in order, without duplicates."""
        seen: dict[str, None] = {}
        for m in self.mentions:
            if m.mode in ASSERTED_MODES:
                seen.setdefault(m.label, None)
        return list(seen)


def severity(plan: Plan) -> float:
    """The latent severity of a contact (unitless, about -2 to 9; 0 = nothing of concern).

    Each mention weighs its indicator's weight times its mode's and, for a concern that can
    recur, its frequency's share. The strongest concern counts fully, the next at 45% and
    the rest at 25% each; level-1 indicators subtract; combinations add the bonuses above;
    protective factors and early help history move it as the module docstring says.
    """
    reliability = SOURCE_RELIABILITY.get(plan.source, 1.0)
    positive: list[float] = []
    negative = 0.0
    groups: set[str] = set()
    asserted_level2_plus = 0
    top_level = 0
    by_label = load_lexicon().indicator_by_label
    for m in plan.mentions:
        spec = by_label[m.label]
        value = spec.weight * MODE_WEIGHT[m.mode] * reliability
        if spec.frequency:
            shares = FREQUENCY_WEIGHT_LEVEL4 if spec.level == 4 else FREQUENCY_WEIGHT
            value *= shares[m.frequency]
        if value >= 0:
            positive.append(value)
        else:
            negative += value
        if m.mode in ASSERTED_MODES:
            top_level = max(top_level, spec.level)
            if spec.group:
                groups.add(spec.group)
            if spec.level >= 2 and spec.group != "early_help":
                asserted_level2_plus += 1
    positive.sort(reverse=True)
    total = negative
    if positive:
        total += positive[0]
        if len(positive) > 1:
            total += 0.45 * positive[1] + 0.25 * sum(positive[2:])
    if "da" in groups and (plan.age == 0 or "baby" in groups):
        total += DA_BABY_BONUS
    trio = len(groups & {"da", "substance", "parent_mh"})
    total += TRIO_BONUS.get(trio, 0.0)
    if "early_help" in groups and asserted_level2_plus:
        total += EARLY_HELP_BONUS
    level4 = top_level == 4
    if plan.early_help == "engaged":
        total += EARLY_HELP_ENGAGED_LEVEL4 if level4 else EARLY_HELP_ENGAGED
    elif plan.early_help == "declined" and asserted_level2_plus:
        total += EARLY_HELP_DECLINED
    total -= (PROTECTIVE_WEIGHT_LEVEL4 if level4 else PROTECTIVE_WEIGHT) * plan.protective
    return round(total, 4)


@dataclass(frozen=True, slots=True)
class BiasSpec:
    """An injected historical bias: ``logit`` is added to the decision logit of every
    contact whose audit attribute ``attribute`` equals ``value``, at equal severity."""

    attribute: str
    value: str | int | bool
    logit: float


def parse_bias(spec: str) -> BiasSpec:
    """Parse ``ATTRIBUTE=VALUE:LOGIT`` (e.g. ``child_ethnicity=black:1.0``).

    The attribute must be an audit-only column and the value one of its values (a number
    for integer columns, true/false for ``needs_interpreter``). Raises ValueError saying
    what is wrong.
    """
    attribute, sep, rest = spec.partition("=")
    attribute = attribute.strip()
    if not sep or ":" not in rest:
        raise ValueError(f"expected ATTRIBUTE=VALUE:LOGIT, got {spec!r}")
    raw_value, _, raw_logit = rest.rpartition(":")
    raw_value = raw_value.strip()
    if attribute not in AUDIT_ONLY_COLUMNS:
        raise ValueError(
            f"unknown attribute {attribute!r}; choose one of {', '.join(AUDIT_ONLY_COLUMNS)}"
        )
    try:
        logit = float(raw_logit)
    except ValueError:
        raise ValueError(f"the logit must be a number, got {raw_logit.strip()!r}") from None
    if not math.isfinite(logit):
        raise ValueError(f"the logit must be finite, got {raw_logit.strip()!r}")
    column = COLUMN_BY_NAME[attribute]
    value: str | int | bool
    if column.kind == "int":
        try:
            value = int(raw_value)
        except ValueError:
            raise ValueError(f"{attribute} takes an integer, got {raw_value!r}") from None
        lo, hi = column.minimum, column.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValueError(f"{attribute} must be between {lo} and {hi}, got {value}")
    elif column.kind == "bool":
        lowered = raw_value.lower()
        if lowered not in {"true", "false"}:
            raise ValueError(f"{attribute} takes true or false, got {raw_value!r}")
        value = lowered == "true"
    else:
        if raw_value not in column.values:
            raise ValueError(
                f"{attribute} has no value {raw_value!r}; choose one of {', '.join(column.values)}"
            )
        value = raw_value
    return BiasSpec(attribute=attribute, value=value, logit=logit)


def bias_shift(attributes: dict[str, np.ndarray], bias: Sequence[BiasSpec], n: int) -> np.ndarray:
    """The summed logit shift of each row from the injected biases (zeros without bias)."""
    shift = np.zeros(n)
    for spec in bias:
        shift += np.where(attributes[spec.attribute] == spec.value, spec.logit, 0.0)
    return shift


def decision_logit(
    severity_: np.ndarray,
    *,
    sources: np.ndarray,
    time_fraction: np.ndarray,
    shift: np.ndarray,
) -> np.ndarray:
    """The decision logit: severity, source trust, drift over time (``time_fraction`` is 0
    at the start of the span and 1 at its end) and any injected bias."""
    source_shift = np.vectorize(SOURCE_SHIFT.__getitem__, otypes=[float])(sources)
    drift = DRIFT_START + (DRIFT_END - DRIFT_START) * time_fraction
    return INTERCEPT + SLOPE * severity_ + source_shift + drift + shift


def decide(rng: np.random.Generator, p_true: np.ndarray, severity_: np.ndarray) -> np.ndarray:
    """Draw the outcome: met with probability ``p_true``; a met contact goes to child
    protection more often the higher its severity; the others split into early help,
    advice and no further action by severity plus noise."""
    n = len(p_true)
    met = rng.random(n) < p_true
    cp = rng.random(n) < 1.0 / (1.0 + np.exp(-1.6 * (severity_ - CP_CENTRE)))
    z = severity_ + rng.logistic(0.0, 0.6, n)
    outcome = np.where(z >= 1.7, "early_help", np.where(z >= 0.5, "advice", "nfa"))
    outcome = np.where(met, np.where(cp, "child_protection", "referral"), outcome)
    assert set(np.unique(outcome)) <= set(OUTCOMES)
    return outcome.astype(object)
