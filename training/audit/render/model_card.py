"""The model card written out, in Markdown and self-contained HTML.

Computes nothing: every figure comes from a
:class:`~training.audit.model_card.ModelCardInputs`, every fixed statement from
:mod:`training.audit.model_card`. Holds no concern text.
"""

from __future__ import annotations

from typing import Any, Final

from training.audit.model_card import (
    ATRS_TIER1_FIELDS,
    ATRS_TIER2_FIELDS,
    COMPARABLE_TOOLS,
    HUMAN_OVERSIGHT,
    INTENDED_USE,
    INTENDED_USERS,
    OUT_OF_SCOPE,
    TO_BE_COMPLETED,
    ModelCardInputs,
)
from training.audit.render.formats import num, pct
from training.audit.render.templating import render

__all__ = ["render_model_card"]

MARKDOWN_TEMPLATE: Final = "model_card.md.j2"
HTML_TEMPLATE: Final = "model_card.html.j2"


def _evaluation(inputs: ModelCardInputs) -> list[str]:
    """Sentences on the test figures, the operating point, the oracle and the
    hand-written sets."""
    m = inputs.metrics
    op = inputs.operating_point
    ece_points = 100 * float(m["ece"]) if m.get("ece") is not None else None
    lines = [
        f"ROC AUC {num(m.get('roc_auc'))} (95% interval {num(m.get('roc_auc_lo'))} to "
        f"{num(m.get('roc_auc_hi'))}) on held-out test contacts.",
        f"Calibration: expected calibration error {num(m.get('ece'))} (the score is off by "
        f"{num(ece_points, 1)} percentage points on average); Brier score "
        f"{num(m.get('brier'), 4)}.",
        f"Operating point: contacts scoring {num(op.get('threshold'))} or more are "
        f"prioritised: {pct(op.get('workload'))} of contacts, catching "
        f"{pct(op.get('recall'))} of those that met the threshold"
        + (
            f", of which {pct(op.get('precision'))} met it."
            if op.get("precision") is not None
            else "."
        ),
    ]
    if m.get("oracle_auc") is not None:
        lines.append(
            f"On synthetic data the best possible AUC is {num(m.get('oracle_auc'))}; the "
            f"model reaches {pct(m.get('auc_ratio_to_oracle'), 1)} of it."
        )
    if m.get("external_test_roc_auc") is not None:
        lines.append(
            "On 200 concerns written independently of the training data and labelled by the "
            "published levels of need (not by decisions): ROC AUC "
            f"{num(m.get('external_test_roc_auc'))} for levels 3-4 against 1-2, "
            f"{num(m.get('external_test_auc_4_vs_12'))} for protection (level 4) against "
            "universal and early help; at the operating point it prioritises "
            f"{pct(m.get('external_test_recall_l4'))} of the level-4 and "
            f"{pct(m.get('external_test_recall_l3'))} of the level-3 concerns, and "
            f"{pct(m.get('external_test_flagged_l12'))} of the level 1-2 ones."
        )
    lines += _independent(m)
    return lines


def _independent(m: dict[str, Any]) -> list[str]:
    """Sentences on the hand-written sets against the plain baseline, and the behavioural
    suite (metrics named by ``training.audit.independent``)."""
    lines = []
    for name, what in (
        ("test", "the hand-written test set"),
        ("blind", "the blind set in real layouts"),
    ):
        if m.get(f"external_{name}_roc_auc") is None:
            continue
        base = m.get(f"baseline_external_{name}_roc_auc")
        lines.append(
            f"On {what}: AUC {num(m.get(f'external_{name}_roc_auc'))} "
            f"({num(m.get(f'external_{name}_roc_auc_lo'))}-{num(m.get(f'external_{name}_roc_auc_hi'))}); "
            f"early help against child in need (level 2 against 3) {num(m.get(f'external_{name}_auc_3_vs_2'))}"
            + (
                f". A plain TF-IDF and logistic regression baseline trained on the same data: "
                f"{num(base)} and {num(m.get(f'baseline_external_{name}_auc_3_vs_2'))}."
                if base is not None
                else "."
            )
        )
    for half in ("development", "reporting"):
        rate = m.get(f"behaviour_{half}_failure_rate")
        if rate is None:
            continue
        base = m.get(f"baseline_behaviour_{half}_failure_rate")
        lines.append(
            f"Behavioural suite, {half} half: fails {pct(rate)} of its cases, "
            f"{pct(m.get(f'behaviour_{half}_must_never_miss'))} of the must-never-miss ones "
            "(serious harm worded calmly, tentatively or in a child's words; a hedged injury "
            "to a baby not yet mobile)"
            + (f"; the baseline fails {pct(base)}." if base is not None else ".")
        )
    return lines


def _fairness(fairness: dict[str, Any] | None) -> tuple[list[str], list[dict[str, str]]]:
    """The audit's summary sentences and its flags as table rows."""
    if fairness is None:
        return ["No fairness audit is attached to this version yet."], []
    lines = [str(s) for s in fairness.get("summary", [])]
    flags = [
        {
            "kind": str(f.get("kind", "")),
            "attribute": str(f.get("attribute", "")),
            "group": str(f.get("group", "")),
            "metric": str(f.get("metric", "")),
            "value": num(f.get("value")),
        }
        for f in fairness.get("flags", [])
    ]
    return lines, flags


def _redaction_cost(cost: dict[str, Any] | None) -> str | None:
    """The sentence on what keeping only redacted text costs, from the measured figures
    (``training.audit.model_card.redaction_cost``); None when not measured."""
    if cost is None:
        return None
    raw, red = cost.get("raw", {}), cost.get("redacted", {})
    return (
        "Where the deployment keeps only the redacted text of the contacts it scores "
        "(AUDIT_STORE_REDACTED_TEXT), a model retrained on its recorded decisions learns "
        "from redacted text. Measured on "
        f"{int(cost.get('rows', 0)):,} generated contacts, training on their redacted "
        "rather than their raw text gave an AUC on the hand-written development set of "
        f"{num(red.get('dev_auc'))} against {num(raw.get('dev_auc'))}, a failure rate on "
        f"the behavioural suite's development half of {pct(red.get('behaviour_dev_failure_rate'))} "
        f"against {pct(raw.get('behaviour_dev_failure_rate'))} (must-never-miss cases "
        f"{pct(red.get('behaviour_dev_must_never_miss'))} against "
        f"{pct(raw.get('behaviour_dev_must_never_miss'))}), and an AUC on "
        f"{int(cost.get('holdout_rows', 0)):,} new generated contacts of "
        f"{num(red.get('holdout_auc'))} against {num(raw.get('holdout_auc'))} "
        f"(`{cost.get('command', 'python bench/bench_redaction_cost.py')}`)."
    )


def _limits(inputs: ModelCardInputs, *, synthetic: bool) -> list[str]:
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
    cost = _redaction_cost(inputs.redaction_cost)
    if cost is not None:
        limits.append(cost)
    if synthetic:
        limits.insert(
            0,
            "The training data is synthetic: generated contacts calibrated to published "
            "figures, not real records. Performance on a council's real contacts is unknown "
            "until evaluated on them.",
        )
    return limits


def _atrs_tier1(inputs: ModelCardInputs) -> dict[str, str]:
    texts = (
        f"{inputs.name} (version {inputs.version})",
        INTENDED_USE,
        f"{inputs.website or TO_BE_COMPLETED} Contact: {inputs.contact or TO_BE_COMPLETED}",
        "Each new contact is scored as it arrives. The screener sees the score, a 1-10 "
        "priority and the phrases behind it, reads the contact, and decides.",
        "MASH teams receive thousands of contacts a month, of which about one in five "
        "meets the threshold; serious contacts wait behind the rest. The score helps "
        "screeners find them sooner.",
    )
    return dict(zip(ATRS_TIER1_FIELDS, texts, strict=True))


def _atrs_tier2(
    inputs: ModelCardInputs, *, synthetic: bool, evaluation: list[str]
) -> dict[str, str]:
    texts = (
        inputs.owner or TO_BE_COMPLETED,
        "Open-source software (concern-screener); no vendor. Any external support: "
        + TO_BE_COMPLETED,
        "Contacts received by the MASH of the deploying council; contact-level, "
        "advisory. Out of scope: " + " ".join(OUT_OF_SCOPE),
        "Serious contacts reach a screener sooner; screeners see why a contact scored "
        "high; the service can monitor its own decisions by group.",
        " ".join(HUMAN_OVERSIGHT),
        "The score is not a decision, so there is nothing to appeal against the tool "
        "itself; families challenge decisions through the council's complaints "
        "procedure. " + TO_BE_COMPLETED,
        "Historical contacts (free text, referral source, outcome) of the deploying "
        "council; audit-only attributes of the child for fairness audits."
        + (" This version was trained on synthetic contacts." if synthetic else ""),
        "Contacts are recorded by the MASH as they arrive; outcomes are the screeners' "
        "decisions. Personal data in the text is redacted before features are built.",
        "Scores and decisions stay within the council's systems; no data leaves them. "
        + TO_BE_COMPLETED,
        "Data protection impact assessment (DPIA): " + TO_BE_COMPLETED + " Equality "
        "impact assessment (EIA): " + TO_BE_COMPLETED + " The fairness report of each "
        "version informs both.",
        "Automation bias (screeners deferring to the score): advisory wording, "
        "disagreement monitoring. Historical bias in labels: fairness audit with "
        "counterfactual and proxy checks, promotion gate. Drift: calibration monitoring "
        "and retraining. Personal data: redaction, no text in logs or reports.",
        inputs.model_type,
        inputs.features,
        " ".join(evaluation),
        inputs.retraining,
    )
    return dict(zip(ATRS_TIER2_FIELDS, texts, strict=True))


def _context(inputs: ModelCardInputs) -> dict[str, Any]:
    """Everything the two templates show, as text."""
    data = inputs.training_data
    synthetic = bool(data.get("synthetic", True))
    shares = data.get("source_shares") or {}
    evaluation = _evaluation(inputs)
    fairness_lines, flags = _fairness(inputs.fairness)
    return {
        "c": inputs,
        "intended_use": INTENDED_USE,
        "intended_users": INTENDED_USERS,
        "out_of_scope": OUT_OF_SCOPE,
        "data_rows": f"{int(data.get('rows', 0)):,}",
        "date_range": f"{data.get('date_from', 'unknown')} to {data.get('date_to', 'unknown')}",
        "met_rate": pct(data.get("met_rate"), 1),
        "synthetic": synthetic,
        "data_description": str(data.get("description", "")),
        "source_shares": [(str(k), pct(v)) for k, v in shares.items()],
        "limits": _limits(inputs, synthetic=synthetic),
        "evaluation": evaluation,
        "fairness_lines": fairness_lines,
        "flags": flags,
        "caveats": COMPARABLE_TOOLS,
        "oversight": HUMAN_OVERSIGHT,
        "atrs1": _atrs_tier1(inputs),
        "atrs2": _atrs_tier2(inputs, synthetic=synthetic, evaluation=evaluation),
        "run_id": inputs.run_id or "not recorded",
    }


def render_model_card(inputs: ModelCardInputs) -> tuple[str, str]:
    """The card as ``(markdown, html)``: intended use and users, out of scope, training
    data and its limits, evaluation, fairness results, caveats, human oversight, and the
    ATRS tier 1 and tier 2 fields (``ATRS_TIER1_FIELDS``, ``ATRS_TIER2_FIELDS``). The HTML
    is self-contained and autoescaped; the Markdown is not escaped."""
    context = _context(inputs)
    return render(MARKDOWN_TEMPLATE, **context), render(HTML_TEMPLATE, **context)
