"""What the model card says: its inputs (:class:`ModelCardInputs`, one per registered
version) and the statements every card makes.

Written for screeners' managers, auditors and the public. It follows the UK Algorithmic
Transparency Recording Standard (ATRS): tier 1 in plain language, tier 2 in detail
(:data:`ATRS_TIER1_FIELDS`, :data:`ATRS_TIER2_FIELDS`). Fields the project cannot know
(owner, DPIA, EIA, appeals route) say "to be completed by the deploying council".
``training.audit.render.render_model_card`` writes the card in Markdown and HTML. Holds no
concern text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = [
    "ATRS_TIER1_FIELDS",
    "ATRS_TIER2_FIELDS",
    "COMPARABLE_TOOLS",
    "HUMAN_OVERSIGHT",
    "INTENDED_USE",
    "INTENDED_USERS",
    "OUT_OF_SCOPE",
    "TO_BE_COMPLETED",
    "ModelCardInputs",
    "REDACTION_COST_FILE",
    "redaction_cost",
]

TO_BE_COMPLETED: Final = "To be completed by the deploying council."

INTENDED_USE: Final = (
    "An advisory score for each contact (a concern about a child's welfare) received at a "
    "Multi-Agency Safeguarding Hub: how likely the contact is to meet the threshold for "
    "referral to children's social care, with the phrases that drove it, so that screeners "
    "can look first at the contacts most likely to need a referral. It scores contacts, "
    "not children or families, and it never decides."
)
INTENDED_USERS: Final = (
    "MASH screeners (qualified social workers and triage staff) who read every contact and "
    "decide its outcome; their managers; auditors of the service."
)
OUT_OF_SCOPE: Final[tuple[str, ...]] = (
    "Automated decisions: no contact may be referred, closed or delayed on the score alone.",
    "Screening a contact out (no further action) without a human reading it.",
    "Scoring people or families rather than contacts, or building a risk profile of a "
    "family across contacts.",
    "Use outside the population and council whose contacts it was trained on, without "
    "re-evaluation on local data.",
    "Use on kinds of text not seen in training (assessments, case notes, court reports, "
    "other languages).",
    "Any use in policing, immigration, benefits or housing decisions.",
)
COMPARABLE_TOOLS: Final[tuple[str, ...]] = (
    "The Allegheny Family Screening Tool (Pennsylvania, since 2016) scores hotline calls "
    "from administrative records (AUC about 0.73-0.77, unverified); screeners disagreed "
    "with it about a third of the time, and it was criticised for racial and disability "
    "disparities (AP 2022, ACLU 2023).",
    "What Works for Children's Social Care (2020) built models in four English councils, "
    "including case-note text, and 'did not find evidence that the models worked well'; it "
    "recommended against deployment without demonstrated performance.",
    "New Zealand's predictive risk model (AUC 0.76) was blocked before its trial in 2015; "
    "Hackney's Early Help Profiling System ended in 2019 after its supplier refused an "
    "independent audit.",
    "Front-door labels are noisy (screeners disagree about a third of the time), so an "
    "honest ceiling for this task is around AUC 0.80-0.88, not 0.99.",
)
HUMAN_OVERSIGHT: Final[tuple[str, ...]] = (
    "The screener reads every contact and decides; the score is shown as advisory.",
    "Every score served and every screener decision is recorded in the audit trail.",
    "Disagreement between scores and decisions is monitored, by group, and reviewed.",
    "The screener can always override the score; no override needs a justification to the tool.",
    "A new model version serves only after passing the promotion gate on quality and "
    "fairness, or by a recorded forced promotion with a reason.",
)
#: ATRS tier 1 (plain language) field headings, in order.
ATRS_TIER1_FIELDS: Final[tuple[str, ...]] = (
    "Name",
    "Description",
    "Website and contact",
    "How it is used",
    "Why it is used",
)
#: ATRS tier 2 (detail) field headings, in order.
ATRS_TIER2_FIELDS: Final[tuple[str, ...]] = (
    "Owner and responsibility",
    "Vendor and external support",
    "Scope",
    "Benefits",
    "Decision-making process and human oversight",
    "Appeals and review",
    "Data: sources",
    "Data: collection",
    "Data: sharing",
    "Impact assessments",
    "Risks and mitigations",
    "Technical specification: model type",
    "Technical specification: features",
    "Technical specification: performance",
    "Technical specification: maintenance and retraining",
)


#: What training on redacted rather than raw text cost, as measured by
#: ``bench/bench_redaction_cost.py --write`` (rows, seeds, and for each of ``raw`` and
#: ``redacted``: the hand-written dev AUC, the behavioural development half's failure
#: rates, the generated holdout's AUC).
REDACTION_COST_FILE: Final = Path(__file__).with_name("redaction_cost.json")


def redaction_cost(path: Path = REDACTION_COST_FILE) -> dict[str, Any] | None:
    """The measured cost of training on redacted text (``REDACTION_COST_FILE``), or None
    when it has not been measured (or the file cannot be read)."""
    try:
        figures = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(figures, dict) or not {"raw", "redacted"} <= figures.keys():
        return None
    return figures


@dataclass(frozen=True, slots=True)
class ModelCardInputs:
    """What the card says about one registered model version.

    ``training_data``: ``rows``, ``date_from``, ``date_to`` (ISO dates), ``met_rate``
    (share that met the threshold), ``source_shares`` (source -> share), ``synthetic``
    (bool), optional ``description``. ``metrics``: headline test metrics as
    :func:`training.audit.evaluate.flat_metrics` names them (``roc_auc``, ``roc_auc_lo``,
    ``roc_auc_hi``, ``ece``, ``brier``, ``pr_auc``, ``oracle_auc``,
    ``auc_ratio_to_oracle``...). ``operating_point``: ``threshold``, ``recall``,
    ``workload`` (share of contacts prioritised), optional ``precision``.
    ``fairness``: ``flags`` (list of flag dicts) and ``summary`` (sentences), or ``None``
    when no audit was run. ``model_type``, ``features``: the technical description.
    ``owner``, ``contact``, ``website``: ``None`` gives "to be completed".
    ``redaction_cost``: what training on redacted rather than raw text cost
    (:func:`redaction_cost`), or ``None`` when not measured.
    """

    name: str
    version: str
    run_id: str | None
    created_at: str
    candidate: str
    training_data: dict[str, Any]
    metrics: dict[str, float]
    operating_point: dict[str, float]
    fairness: dict[str, Any] | None = None
    model_type: str = "Calibrated linear classifier over text features"
    features: str = (
        "Word and phrase counts (TF-IDF) of the redacted concern text, read for negation, "
        "history and hedging; risk-indicator matches; a static sentence embedding; and, "
        "blended into the score, a plain word TF-IDF model of the same redacted words. "
        "Pronouns, sex words, religion and language are dropped before any feature. "
        "Audit-only attributes of the child (age, sex, ethnicity, disability, "
        "deprivation, interpreter need) are never features."
    )
    owner: str | None = None
    contact: str | None = None
    website: str | None = None
    retraining: str = (
        "Retrained on recorded screener decisions when performance or calibration drifts, "
        "and at least yearly; every version is evaluated, fairness-audited and gated "
        "before it may serve."
    )
    redaction_cost: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
