"""Benchmark: what training on redacted text costs, against training on the text as written.

A deployment that keeps only the redacted text of what it scored (``AUDIT_STORE_REDACTED_TEXT``)
retrains on recorded decisions (``screener data export-decisions``) from that text alone.
This generates contacts, trains the product's model (default configuration) once on their
text as written and once on the same contacts with their text redacted by the audit trail's
redactor (``training.text.redact``), and scores both models on what a deployment scores, text
as written: the hand-written development set (AUC with its interval), the behavioural suite's
development half (failure rate, all cases and must-never-miss) and a generated holdout drawn
with another seed (AUC with its interval, ECE, share of the oracle's AUC). Must-never-miss
floors are off while it measures, so that the rates are the score's own. The reporting half
and the test and blind sets are not printed: they are for reporting, not for choosing.

    python bench/bench_redaction_cost.py                  # 20,000 contacts, 5,000 holdout
    python bench/bench_redaction_cost.py --write          # also the model card's figures

``--write`` stores the figures in ``training/audit/redaction_cost.json``, which every model
card reads to say what keeping only redacted text costs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _format import fmt  # noqa: E402  (bench/ is the script's folder)

os.environ["SCREENER_FLOORS"] = "off"
os.environ.setdefault("SCREENER_SCORING_PROCESSES", "1")

#: Where ``--write`` puts the figures (packaged with ``training.audit``).
CARD_FIGURES = Path(__file__).resolve().parents[1] / "training" / "audit" / "redaction_cost.json"


def measure(name: str, frame: Any, holdout: Any, config: Any) -> dict[str, Any]:
    """Train on ``frame`` and score the hand-written dev set, the behavioural development
    half and ``holdout`` (text as written)."""
    from training.audit.evaluate import evaluate_scores
    from training.lifecycle.train import label_of, train_model

    t0 = time.perf_counter()
    result = train_model(frame, config)
    seconds = time.perf_counter() - t0
    model = result.model
    analysed, X = model.featurize(
        holdout["text"].astype(str).tolist(), holdout["source"].astype(str).tolist()
    )
    scores = model.score_matrix(X, analysed)
    held = evaluate_scores(
        label_of(holdout),
        scores,
        p_true=holdout["p_true"].to_numpy(),
        threshold=model.threshold,
        n_boot=config.evaluation.n_boot,
        seed=config.evaluation.seed,
    )
    m = result.independent.flat_metrics() if result.independent else {}
    return {
        "trained_on": name,
        "candidate": model.candidate,
        "train_seconds": round(seconds, 1),
        "dev_auc": m.get("external_dev_roc_auc"),
        "dev_auc_lo": m.get("external_dev_roc_auc_lo"),
        "dev_auc_hi": m.get("external_dev_roc_auc_hi"),
        "behaviour_dev_failure_rate": m.get("behaviour_development_failure_rate"),
        "behaviour_dev_must_never_miss": m.get("behaviour_development_must_never_miss"),
        "holdout_auc": held.roc_auc,
        "holdout_auc_lo": held.roc_auc_ci[0],
        "holdout_auc_hi": held.roc_auc_ci[1],
        "holdout_ece": held.ece,
        "holdout_auc_share_of_oracle": held.auc_ratio_to_oracle,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--holdout-rows", type=int, default=5_000)
    parser.add_argument("--holdout-seed", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"store the figures in {CARD_FIGURES.name} for the model card",
    )
    args = parser.parse_args()

    import pandas as pd

    from training.config import load_config
    from training.data.generate import generate_frame
    from training.text import redact

    frame = generate_frame(args.rows, seed=args.seed)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    holdout = generate_frame(args.holdout_rows, seed=args.holdout_seed)
    t0 = time.perf_counter()
    redacted = frame.assign(text=[redact(t)[0] for t in frame["text"].astype(str)])
    redact_seconds = time.perf_counter() - t0
    changed = float((redacted["text"] != frame["text"]).mean())
    print(
        f"bench_redaction_cost: {args.rows:,} contacts (seed {args.seed}); redacted in "
        f"{redact_seconds:.1f} s, {changed:.1%} of texts changed; holdout {args.holdout_rows:,} "
        f"(seed {args.holdout_seed}), scored as written; floors off",
        flush=True,
    )
    config = load_config()
    rows = [measure("raw", frame, holdout, config), measure("redacted", redacted, holdout, config)]
    print(
        f"{'trained on':<10} {'dev AUC [95% CI]':<22} {'behav dev':>9} {'mnm dev':>8} "
        f"{'holdout AUC [95% CI]':<22} {'ECE':>6} {'/oracle':>7} {'train s':>7}"
    )
    for r in rows:
        dev = f"{fmt(r['dev_auc'], '.3f')} [{fmt(r['dev_auc_lo'], '.3f')}, {fmt(r['dev_auc_hi'], '.3f')}]"
        held = f"{r['holdout_auc']:.3f} [{r['holdout_auc_lo']:.3f}, {r['holdout_auc_hi']:.3f}]"
        print(
            f"{r['trained_on']:<10} {dev:<22} {fmt(r['behaviour_dev_failure_rate'], '.1%'):>9} "
            f"{fmt(r['behaviour_dev_must_never_miss'], '.1%'):>8} {held:<22} "
            f"{r['holdout_ece']:>6.4f} {fmt(r['holdout_auc_share_of_oracle'], '.4f'):>7} "
            f"{r['train_seconds']:>7.0f}",
            flush=True,
        )
    raw, red = rows
    print(
        "redacted minus raw: dev AUC "
        f"{fmt(None if raw['dev_auc'] is None or red['dev_auc'] is None else red['dev_auc'] - raw['dev_auc'], '+.3f')}, "
        "behavioural dev failures "
        f"{fmt(None if raw['behaviour_dev_failure_rate'] is None or red['behaviour_dev_failure_rate'] is None else 100 * (red['behaviour_dev_failure_rate'] - raw['behaviour_dev_failure_rate']), '+.1f')} points, "
        f"holdout AUC {red['holdout_auc'] - raw['holdout_auc']:+.3f}"
    )
    figures = {
        "rows": args.rows,
        "seed": args.seed,
        "holdout_rows": args.holdout_rows,
        "holdout_seed": args.holdout_seed,
        "texts_changed_by_redaction": round(changed, 4),
        "floors": "off",
        "command": " ".join(["python bench/bench_redaction_cost.py", *sys.argv[1:]]),
        "raw": raw,
        "redacted": red,
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if args.write:
        CARD_FIGURES.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote the model card's figures to {CARD_FIGURES}")


if __name__ == "__main__":
    main()
