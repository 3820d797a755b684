"""Benchmark: the complexity budget. What each part of the text pipeline and the model buys
on text the generator did not write, and what it costs.

Generates contacts, reads them through the text pipeline once, then trains the product's
model (the ordinal logistic regression, with the guidance corpus, the embeddings and every
block) and the same model without one part at a time, and prints for each: the AUC on the
hand-written development sets (free text, and real layouts) and on their level 3 against
level 2 contacts, the behavioural suite's development-half failure rate (all cases and
must-never-miss), the generated test split's AUC as a share of the oracle's (a
regression guard), the CPU seconds of the fit (features, candidate, calibration, level
estimate, the plain baseline and the evaluation of about 2,700 texts written by other
hands, the same work for every variant) and the CPU milliseconds per contact of scoring 2,000 contacts with explanations
(text pipeline included). Must-never-miss floors are off while it measures, so that the
rates are the score's own. The reporting half and the blind set are not printed: choices are
made on the development material only.

    python bench/bench_ablation.py                      # 100,000 contacts, every variant
    python bench/bench_ablation.py --rows 20000 --only full,no-embeddings
    python bench/bench_ablation.py --set features.use_chars=false --only full,no-indicators

Parts of the text pipeline itself (the scope reader, the indicator matcher) also cost
analysis time: the second table gives the text pipeline's CPU per contact with each of them
switched off.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _format import fmt  # noqa: E402  (bench/ is the script's folder)

os.environ["SCREENER_FLOORS"] = "off"
os.environ.setdefault("SCREENER_SCORING_PROCESSES", "1")  # CPU of this process only

#: The scope reader's marks, by cue family (``training.text.mark``).
FAMILIES = {"neg": "negated", "past": "historical", "hedge": "hedged", "third": "third_party"}
FLAG_INDEX = {"negated": 2, "hedged": 3, "historical": 4, "third_party": 5}

#: name -> (configuration overrides, scope-reader cue families removed, what it takes away)
VARIANTS: dict[str, tuple[dict[str, Any], tuple[str, ...], str]] = {
    "full": ({}, (), "the product's model"),
    "no-scope-reader": ({}, tuple(FAMILIES), "every scope mark and indicator flag"),
    "no-negation": ({}, ("neg",), "the negation family's marks and flags"),
    "no-historical": ({}, ("past",), "the historical family's"),
    "no-hedging": ({}, ("hedge",), "the hedging family's"),
    "no-third-hand": ({}, ("third",), "the third-hand family's"),
    "no-indicators": ({"features.use_indicators": False}, (), "the indicator block"),
    "no-char-ngrams": ({"features.use_chars": False}, (), "the character n-grams"),
    "l2-not-sqrt": ({"features.text_norm": "l2"}, (), "the square-root norm (L2 instead)"),
    "binary-target": (
        {"candidates.names": ["logreg_words_chars"]},
        (),
        "the ordinal target (met / not met instead)",
    ),
    "no-embeddings": ({"features.embedding_dir": ""}, (), "the sentence embeddings"),
    "no-guidance-corpus": ({"guidance.share": 0.0}, (), "the guidance corpus"),
    "no-plain-words": ({"plain_words.weight": 0.0}, (), "the plain-words member's blend"),
}


def _strip(doc: str, prefixes: tuple[str, ...]) -> str:
    out = []
    for tok in doc.split():
        head, sep, rest = tok.partition("_")
        out.append(rest if sep and head in prefixes else tok)
    return " ".join(out)


def _row(row: tuple[Any, ...], flags: tuple[int, ...]) -> tuple[Any, ...]:
    return tuple(False if i in flags else v for i, v in enumerate(row))


def unmarked(analysed: Any, families: tuple[str, ...]) -> Any:
    """``analysed`` as if the scope reader had no cue of ``families``: their word marks
    removed and their indicator flags cleared."""
    from training.model.analyser import AnalysedContacts

    if not families:
        return analysed
    flags = tuple(FLAG_INDEX[FAMILIES[f]] for f in families)
    full = analysed.analyses
    if full is not None:
        full = tuple(
            a._replace(
                marked=_strip(a.marked, families),
                rows=tuple(_row(r, flags) for r in a.rows),
                words=tuple((_strip(w[0], families), *w[1:]) for w in a.words),
            )
            for a in full
        )
    return AnalysedContacts(
        tuple(_strip(d, families) for d in analysed.word_docs),
        tuple(tuple(_row(r, flags) for r in rows) for rows in analysed.indicator_rows),
        analysed.sources,
        full,
        analysed.plains,
    )


class UnmarkingAnalyser:
    """The model's analyser with some cue families' marks removed from what it returns."""

    def __init__(self, inner: Any, families: tuple[str, ...]) -> None:
        self.inner, self.families = inner, families

    def transform_texts(
        self, texts: Sequence[str], sources: Sequence[str | None], **kw: Any
    ) -> Any:
        return unmarked(self.inner.transform_texts(texts, sources, **kw), self.families)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def cpu_ms_per_contact(work: Callable[[], Any], n: int) -> float:
    t0 = time.process_time()
    work()
    return (time.process_time() - t0) * 1000 / n


def run_variant(name: str, base: Any, prepared: Any, score_texts: list[str]) -> dict[str, Any]:
    from dataclasses import replace

    from training.lifecycle.train import train_on

    overrides, families, _ = VARIANTS[name]
    names = overrides.get("candidates.names", ["logreg_ordinal"])
    cfg = base.with_overrides({**overrides, "candidates.names": names})
    if families:
        prepared = replace(
            prepared,
            analysed={k: unmarked(v, families) for k, v in prepared.analysed.items()},
            analyser=UnmarkingAnalyser(prepared.analyser, families),
        )
    t0 = time.process_time()
    result = train_on(prepared, cfg)
    train_cpu = time.process_time() - t0
    model = result.model
    score_ms = cpu_ms_per_contact(
        lambda: [
            model.score_records(score_texts[i : i + 100]) for i in range(0, len(score_texts), 100)
        ],
        len(score_texts),
    )
    m = result.independent.flat_metrics() if result.independent else {}
    return {
        "variant": name,
        "dev_auc": m.get("external_dev_roc_auc"),
        "dev_auc_lo": m.get("external_dev_roc_auc_lo"),
        "dev_auc_hi": m.get("external_dev_roc_auc_hi"),
        "behaviour_dev": m.get("behaviour_development_failure_rate"),
        "must_never_miss_dev": m.get("behaviour_development_must_never_miss"),
        "gen_auc_share": result.test.auc_ratio_to_oracle,
        "train_cpu_s": train_cpu,
        "score_cpu_ms": score_ms,
        "layouts_auc": m.get("external_dev_layouts_roc_auc"),
        "dev_auc_3_vs_2": m.get("external_dev_auc_3_vs_2"),
        "layouts_auc_3_vs_2": m.get("external_dev_layouts_auc_3_vs_2"),
        "baseline_dev_auc": m.get("baseline_external_dev_roc_auc"),
        "baseline_layouts_auc": m.get("baseline_external_dev_layouts_roc_auc"),
        "baseline_behaviour_dev": m.get("baseline_behaviour_development_failure_rate"),
    }


def pipeline_costs(texts: list[str]) -> dict[str, float]:
    """The text pipeline's CPU ms per contact (its spaCy components), whole and without
    each optional component."""
    from training.text.nlp import build_nlp

    out = {}
    for label, off in (
        ("whole", ()),
        ("no scope reader", ("cs_scope",)),
        ("no indicator matcher", ("cs_indicators",)),
    ):
        nlp = build_nlp()
        list(nlp.pipe(texts[:200]))  # warm caches
        with nlp.select_pipes(disable=list(off)):
            t0 = time.process_time()
            list(nlp.pipe(texts, batch_size=256))
            out[label] = (time.process_time() - t0) * 1000 / len(texts)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", default="", help="comma-separated variants (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change the configuration every variant starts from (a TOML value, e.g. "
        "features.use_chars=false); repeatable",
    )
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")

    import pandas as pd

    from training.config import load_config
    from training.data.generate import generate_frame
    from training.lifecycle.train import analyse_splits

    frame = generate_frame(args.rows, seed=args.seed)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    base = load_config()  # read once: every variant starts from the same configuration
    if args.set:
        import tomllib

        overrides = {}
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                parser.error(f"--set {item!r}: expected KEY=VALUE")
            overrides[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        base = base.with_overrides(overrides)
        print("base configuration changed: " + ", ".join(args.set), flush=True)
    t0 = time.process_time()
    prepared = analyse_splits(frame, base)
    workers = " (and about as much in its worker)" if prepared.jobs > 1 else ""
    print(
        f"bench_ablation: {args.rows:,} contacts (seed {args.seed}); analysis "
        f"{prepared.analyse_seconds:.0f} s wall, {time.process_time() - t0:.0f} s CPU in "
        f"this process{workers}",
        flush=True,
    )
    score_texts = prepared.splits["test"]["text"].astype(str).tolist()[:2000]
    rows = []
    header = (
        f"{'variant':<20} {'dev AUC [95% CI]':<22} {'layouts':>7} {'behav dev':>9} {'mnm dev':>8} "
        f"{'gen/oracle':>10} {'fit CPU s':>9} {'score ms':>8} {'3 vs 2 dev/layouts':>18}"
    )
    print(header)
    for name in names:
        r = run_variant(name, base, prepared, score_texts)
        rows.append(r)
        ci = f"{fmt(r['dev_auc'], '.3f')} [{fmt(r['dev_auc_lo'], '.3f')}, {fmt(r['dev_auc_hi'], '.3f')}]"
        print(
            f"{name:<20} {ci:<22} {fmt(r['layouts_auc'], '.3f'):>7} {fmt(r['behaviour_dev'], '.1%'):>9} "
            f"{fmt(r['must_never_miss_dev'], '.1%'):>8} {fmt(r['gen_auc_share'], '.4f'):>10} "
            f"{r['train_cpu_s']:>9.0f} {r['score_cpu_ms']:>8.2f} "
            f"{fmt(r['dev_auc_3_vs_2'], '.3f'):>8} / {fmt(r['layouts_auc_3_vs_2'], '.3f')}",
            flush=True,
        )
    full = next((r for r in rows if r["variant"] == "full"), None)
    if full is not None:
        print(
            f"{'plain TF-IDF baseline':<20} {fmt(full['baseline_dev_auc'], '.3f'):<22} "
            f"{fmt(full['baseline_layouts_auc'], '.3f'):>7} "
            f"{fmt(full['baseline_behaviour_dev'], '.1%'):>9}"
        )
    costs = pipeline_costs(score_texts)
    print("\ntext pipeline, CPU ms per contact (2,000 contacts):")
    for label, ms in costs.items():
        print(f"  {label:<22} {ms:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"variants": rows, "pipeline": costs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
