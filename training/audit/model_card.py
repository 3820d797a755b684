"""The model card: one per registered version, in Markdown and HTML.

Written for screeners' managers, auditors and the public. It follows the UK Algorithmic
Transparency Recording Standard (ATRS): tier 1 in plain language, tier 2 in detail. Fields
the project cannot know (owner, DPIA, EIA, appeals route) say "to be completed by the
deploying council". Computes nothing: every figure comes from :class:`ModelCardInputs`.
Holds no concern text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = [
    "ATRS_TIER1_FIELDS",
    "ATRS_TIER2_FIELDS",
    "INTENDED_USE",
    "INTENDED_USERS",
    "OUT_OF_SCOPE",
    "TO_BE_COMPLETED",
    "ModelCardInputs",
    "render_model_card",
]

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"
MARKDOWN_TEMPLATE: Final = "model_card.md.j2"
HTML_TEMPLATE: Final = "model_card.html.j2"
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
        "Word and phrase counts (TF-IDF) of the redacted concern text, negation-aware "
        "risk-indicator matches, and the referral source. Audit-only attributes of the "
        "child (age, sex, ethnicity, disability, deprivation, interpreter need) are never "
        "features."
    )
    owner: str | None = None
    contact: str | None = None
    website: str | None = None
    retraining: str = (
        "Retrained on recorded screener decisions when performance or calibration drifts, "
        "and at least yearly; every version is evaluated, fairness-audited and gated "
        "before it may serve."
    )
    extra: dict[str, Any] = field(default_factory=dict)


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "not available"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return "not available"
    return f"{f:.{digits}f}" if math.isfinite(f) else "not available"


def _pct(value: Any, digits: int = 0) -> str:
    text = _num(value, 6)
    return text if text == "not available" else f"{100 * float(value):.{digits}f}%"


def _context(inputs: ModelCardInputs) -> dict[str, Any]:
    data = inputs.training_data
    m = inputs.metrics
    op = inputs.operating_point
    synthetic = bool(data.get("synthetic", True))
    shares = data.get("source_shares") or {}
    evaluation = [
        f"ROC AUC {_num(m.get('roc_auc'))} (95% interval {_num(m.get('roc_auc_lo'))} to "
        f"{_num(m.get('roc_auc_hi'))}) on held-out test contacts.",
        f"Calibration: expected calibration error {_num(m.get('ece'))} (the score is off by "
        f"{_num(100 * float(m['ece']) if m.get('ece') is not None else None, 1)} "
        "percentage points on average); Brier score "
        f"{_num(m.get('brier'), 4)}.",
        f"Operating point: contacts scoring {_num(op.get('threshold'))} or more are "
        f"prioritised: {_pct(op.get('workload'))} of contacts, catching "
        f"{_pct(op.get('recall'))} of those that met the threshold"
        + (
            f", of which {_pct(op.get('precision'))} met it."
            if op.get("precision") is not None
            else "."
        ),
    ]
    if m.get("oracle_auc") is not None:
        evaluation.append(
            f"On synthetic data the best possible AUC is {_num(m.get('oracle_auc'))}; the "
            f"model reaches {_pct(m.get('auc_ratio_to_oracle'), 1)} of it."
        )
    if m.get("external_test_roc_auc") is not None:
        evaluation.append(
            "On 200 concerns written independently of the training data and labelled by the "
            "published levels of need (not by decisions): ROC AUC "
            f"{_num(m.get('external_test_roc_auc'))} for levels 3-4 against 1-2, "
            f"{_num(m.get('external_test_auc_4_vs_12'))} for protection (level 4) against "
            "universal and early help; at the operating point it prioritises "
            f"{_pct(m.get('external_test_recall_l4'))} of the level-4 and "
            f"{_pct(m.get('external_test_recall_l3'))} of the level-3 concerns, and "
            f"{_pct(m.get('external_test_flagged_l12'))} of the level 1-2 ones."
        )
    fairness = inputs.fairness
    if fairness is None:
        fairness_lines = ["No fairness audit is attached to this version yet."]
        flags: list[dict[str, Any]] = []
    else:
        fairness_lines = [str(s) for s in fairness.get("summary", [])]
        flags = [
            {
                "kind": str(f.get("kind", "")),
                "attribute": str(f.get("attribute", "")),
                "group": str(f.get("group", "")),
                "metric": str(f.get("metric", "")),
                "value": _num(f.get("value")),
            }
            for f in fairness.get("flags", [])
        ]
    limits = [
        "The label is the past decision (referral or child-protection enquiry), not the "
        "child's true need: it carries the noise of screeners who disagree about a third "
        "of the time, and any bias in past decisions.",
        "Text written by different referrers (police, schools, health) differs in style; "
        "a referrer's way of writing can move the score.",
    ]
    if inputs.candidate == "logreg_ordinal":
        limits.append(
            "This model also learned from the outcomes below the threshold (no further "
            "action, advice, early help, in that order), so it inherits how consistently "
            "those were recorded too."
        )
    if synthetic:
        limits.insert(
            0,
            "The training data is synthetic: generated contacts calibrated to published "
            "figures, not real records. Performance on a council's real contacts is unknown "
            "until evaluated on them.",
        )
    atrs1 = {
        "Name": f"{inputs.name} (version {inputs.version})",
        "Description": INTENDED_USE,
        "Website and contact": (
            f"{inputs.website or TO_BE_COMPLETED} Contact: {inputs.contact or TO_BE_COMPLETED}"
        ),
        "How it is used": (
            "Each new contact is scored as it arrives. The screener sees the score, a 1-10 "
            "priority and the phrases behind it, reads the contact, and decides."
        ),
        "Why it is used": (
            "MASH teams receive thousands of contacts a month, of which about one in five "
            "meets the threshold; serious contacts wait behind the rest. The score helps "
            "screeners find them sooner."
        ),
    }
    atrs2 = {
        "Owner and responsibility": inputs.owner or TO_BE_COMPLETED,
        "Vendor and external support": (
            "Open-source software (concern-screener); no vendor. Any external support: "
            + TO_BE_COMPLETED
        ),
        "Scope": (
            "Contacts received by the MASH of the deploying council; contact-level, "
            "advisory. Out of scope: " + " ".join(OUT_OF_SCOPE)
        ),
        "Benefits": (
            "Serious contacts reach a screener sooner; screeners see why a contact scored "
            "high; the service can monitor its own decisions by group."
        ),
        "Decision-making process and human oversight": " ".join(HUMAN_OVERSIGHT),
        "Appeals and review": (
            "The score is not a decision, so there is nothing to appeal against the tool "
            "itself; families challenge decisions through the council's complaints "
            "procedure. " + TO_BE_COMPLETED
        ),
        "Data: sources": (
            "Historical contacts (free text, referral source, outcome) of the deploying "
            "council; audit-only attributes of the child for fairness audits."
            + (" This version was trained on synthetic contacts." if synthetic else "")
        ),
        "Data: collection": (
            "Contacts are recorded by the MASH as they arrive; outcomes are the screeners' "
            "decisions. Personal data in the text is redacted before features are built."
        ),
        "Data: sharing": (
            "Scores and decisions stay within the council's systems; no data leaves them. "
            + TO_BE_COMPLETED
        ),
        "Impact assessments": (
            "Data protection impact assessment (DPIA): " + TO_BE_COMPLETED + " Equality "
            "impact assessment (EIA): " + TO_BE_COMPLETED + " The fairness report of each "
            "version informs both."
        ),
        "Risks and mitigations": (
            "Automation bias (screeners deferring to the score): advisory wording, "
            "disagreement monitoring. Historical bias in labels: fairness audit with "
            "counterfactual and proxy checks, promotion gate. Drift: calibration monitoring "
            "and retraining. Personal data: redaction, no text in logs or reports."
        ),
        "Technical specification: model type": inputs.model_type,
        "Technical specification: features": inputs.features,
        "Technical specification: performance": " ".join(evaluation),
        "Technical specification: maintenance and retraining": inputs.retraining,
    }
    date_range = f"{data.get('date_from', 'unknown')} to {data.get('date_to', 'unknown')}"
    return {
        "c": inputs,
        "intended_use": INTENDED_USE,
        "intended_users": INTENDED_USERS,
        "out_of_scope": OUT_OF_SCOPE,
        "data_rows": f"{int(data.get('rows', 0)):,}",
        "date_range": date_range,
        "met_rate": _pct(data.get("met_rate"), 1),
        "synthetic": synthetic,
        "data_description": str(data.get("description", "")),
        "source_shares": [(str(k), _pct(v)) for k, v in shares.items()],
        "limits": limits,
        "evaluation": evaluation,
        "fairness_lines": fairness_lines,
        "flags": flags,
        "caveats": COMPARABLE_TOOLS,
        "oversight": HUMAN_OVERSIGHT,
        "atrs1": atrs1,
        "atrs2": atrs2,
        "run_id": inputs.run_id or "not recorded",
    }


def render_model_card(inputs: ModelCardInputs) -> tuple[str, str]:
    """The card as ``(markdown, html)``: intended use and users, out of scope, training
    data and its limits, evaluation, fairness results, caveats, human oversight, and the
    ATRS tier 1 and tier 2 fields (:data:`ATRS_TIER1_FIELDS`, :data:`ATRS_TIER2_FIELDS`).
    The HTML is self-contained and autoescaped."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    context = _context(inputs)
    md_env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,  # Markdown output; the HTML environment below escapes.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    html_env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    markdown = md_env.get_template(MARKDOWN_TEMPLATE).render(**context)
    html = html_env.get_template(HTML_TEMPLATE).render(**context)
    return markdown, html
