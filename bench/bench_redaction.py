"""Redaction benchmark: predicted PII spans against the generator's recorded spans.

A recorded span is *recalled* when at least 90% of its characters are covered by predicted
spans; a predicted span is *precise* when at least 50% of its characters fall inside
recorded spans. Prints overall and per-kind recall and precision, and the throughput.
Targets (issue 3): recall >= 0.95, precision >= 0.90.

    python bench/bench_redaction.py [--rows 2000] [--seed 7] [--show-misses 0]

Only the synthetic contacts are ever printed (``--show-misses``), never real data.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass

from training.text.redact import redact

__all__ = ["RedactionScore", "main", "score_redaction"]


@dataclass(frozen=True, slots=True)
class RedactionScore:
    """Span-level counts: recorded spans recalled and predicted spans precise, per kind."""

    recorded: Counter[str]
    recalled: Counter[str]
    predicted: Counter[str]
    precise: Counter[str]
    seconds: float
    rows: int

    def recall(self, kind: str | None = None) -> float:
        n = sum(self.recorded.values()) if kind is None else self.recorded[kind]
        k = sum(self.recalled.values()) if kind is None else self.recalled[kind]
        return k / n if n else float("nan")

    def precision(self, kind: str | None = None) -> float:
        n = sum(self.predicted.values()) if kind is None else self.predicted[kind]
        k = sum(self.precise.values()) if kind is None else self.precise[kind]
        return k / n if n else float("nan")


def _covered(start: int, end: int, mask: bytearray) -> float:
    return sum(mask[start:end]) / max(1, end - start)


def score_redaction(
    texts: list[str],
    recorded_spans: list[list[list[int | str]]],
    *,
    misses: list[str] | None = None,
) -> RedactionScore:
    """Score :func:`training.text.redact` on texts with recorded ``[start, end, kind]`` spans."""
    recorded: Counter[str] = Counter()
    recalled: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    precise: Counter[str] = Counter()
    t0 = time.perf_counter()
    found = [redact(t)[1] for t in texts]
    seconds = time.perf_counter() - t0
    for text, gold, pred in zip(texts, recorded_spans, found, strict=True):
        gold_mask = bytearray(len(text))
        pred_mask = bytearray(len(text))
        for s, e, _ in gold:
            gold_mask[int(s) : int(e)] = b"\x01" * (int(e) - int(s))
        for p in pred:
            pred_mask[p.start : p.end] = b"\x01" * (p.end - p.start)
        for s, e, kind in gold:
            recorded[str(kind)] += 1
            if _covered(int(s), int(e), pred_mask) >= 0.9:
                recalled[str(kind)] += 1
            elif misses is not None:
                misses.append(
                    f"MISS {kind}: {text[max(0, int(s) - 30) : int(e) + 20]!r} -> {text[int(s) : int(e)]!r}"
                )
        for p in pred:
            predicted[p.kind] += 1
            if _covered(p.start, p.end, gold_mask) >= 0.5:
                precise[p.kind] += 1
            elif misses is not None:
                misses.append(
                    f"FALSE {p.kind}: {text[max(0, p.start - 30) : p.end + 20]!r} -> {text[p.start : p.end]!r}"
                )
    return RedactionScore(recorded, recalled, predicted, precise, seconds, len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--show-misses", type=int, default=0, help="print up to N misses (synthetic text)"
    )
    args = parser.parse_args()

    from training.data.generate import generate_frame

    frame = generate_frame(args.rows, seed=args.seed)
    texts = [str(t) for t in frame["text"]]
    gold = [json.loads(s) if isinstance(s, str) else list(s) for s in frame["pii_spans"]]
    misses: list[str] = []
    score = score_redaction(texts, gold, misses=misses if args.show_misses else None)
    kinds = sorted(set(score.recorded) | set(score.predicted))
    print(f"redaction on {score.rows} generated contacts (seed {args.seed})")
    print(f"{'kind':<12}{'recorded':>9}{'recall':>8}{'predicted':>10}{'precision':>10}")
    for kind in kinds:
        print(
            f"{kind:<12}{score.recorded[kind]:>9}{score.recall(kind):>8.3f}{score.predicted[kind]:>10}{score.precision(kind):>10.3f}"
        )
    print(
        f"{'ALL':<12}{sum(score.recorded.values()):>9}{score.recall():>8.3f}{sum(score.predicted.values()):>10}{score.precision():>10.3f}"
    )
    print(
        f"targets: recall >= 0.95, precision >= 0.90; {score.rows / score.seconds:,.0f} contacts/s"
    )
    for line in misses[: args.show_misses]:
        print(line)


if __name__ == "__main__":
    main()
