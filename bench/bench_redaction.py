"""Redaction benchmark: predicted PII spans against recorded spans, per kind.

Two yardsticks: the generator's recorded spans (``--rows`` contacts, seed ``--seed``) and
the hand-written PII sets in ``data/pii/`` (``dev``, ``dev2`` and ``dev3``, which may be read
case by case, and ``test`` and ``test2``, each by another author, reported only). A recorded span is *recalled* when predicted
spans cover at least 90% of its characters; a predicted span is *precise* when at least 50%
of its characters fall inside recorded spans (``training.text.redact.measure``). For the
hand-written sets the tables also give character recall and the spans left untouched (no
character covered). Targets: generator recall >= 0.95 and precision >= 0.90; hand-written
test set recall >= 0.98 on names, addresses and identifiers, precision >= 0.90.

    python bench/bench_redaction.py [--rows 2000] [--seed 7] [--show-misses 0]

``--show-misses`` prints up to N misses of the generator's contacts and of the dev sets;
the test sets' are never printed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from training.text.redact import find_pii
from training.text.redact.measure import (
    RedactedWords,
    SpanScore,
    read_pii_set,
    redacted_words,
    score_spans,
)

__all__ = ["main"]

PII_DIR = Path(__file__).resolve().parents[1] / "data" / "pii"
CONTACTS_DIR = Path(__file__).resolve().parents[1] / "data" / "handwritten"
#: the hand-written PII sets: development sets (misses may be printed), then reporting sets
PII_SETS = ("dev", "dev2", "dev3", "test", "test2")


def _table(score: SpanScore, *, hand_written: bool) -> list[str]:
    head = f"{'kind':<12}{'recorded':>9}{'recall':>8}"
    head += f"{'chars':>7}{'untouched':>10}" if hand_written else ""
    lines = [head + f"{'predicted':>10}{'precision':>10}"]
    for kind in [*score.kinds, None]:
        row = f"{kind or 'ALL':<12}{_n(score.recorded, kind):>9}{score.recall(kind):>8.3f}"
        if hand_written:
            row += f"{score.char_recall(kind):>7.3f}{_n(score.untouched, kind):>10}"
        lines.append(row + f"{_n(score.predicted, kind):>10}{score.precision(kind):>10.3f}")
    return lines


def _speed(name: str, texts: list[str]) -> str:
    """CPU time of redaction per contact and per 1,000 characters: the best of three
    passes (CPU, not wall time, so that other work on a shared machine counts less)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for text in texts:
            find_pii(text)
        best = min(best, time.process_time() - t0)
    rows, chars = len(texts), sum(len(t) for t in texts)
    return (
        f"{name:<34}{rows:>6} contacts, {chars / rows:>6,.0f} chars: "
        f"{1000 * best / rows:.3f} ms per contact, {1e6 * best / chars:.3f} ms per 1,000 chars"
    )


def _words(name: str, hw: RedactedWords) -> str:
    kinds = ", ".join(f"{k} {hw.share(k):.2%}" for k, _ in hw.redacted.most_common())
    return f"{name:<34}{hw.words:>7} words, {hw.share():.2%} redacted ({kinds})"


def _n(counts: dict[str, int], kind: str | None) -> int:
    return sum(counts.values()) if kind is None else counts.get(kind, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--show-misses", type=int, default=0, help="print up to N misses (generator and dev sets)"
    )
    parser.add_argument(
        "--show-redacted",
        type=int,
        default=0,
        help="print up to N redacted pieces, not names, of the hand-written dev contacts",
    )
    args = parser.parse_args()

    from training.data.generate import generate_frame

    find_pii("warm-up: Mum Sarah, 07700 900123")  # lexicons load once, outside the timing
    frame = generate_frame(args.rows, seed=args.seed)
    texts = [str(t) for t in frame["text"]]
    gold = [
        [(int(s), int(e), str(k)) for s, e, k in (json.loads(x) if isinstance(x, str) else x)]
        for x in frame["pii_spans"]
    ]
    misses: list[str] = []
    score = score_spans(texts, gold, find_pii, misses=misses if args.show_misses else None)
    print(f"redaction on {score.rows} generated contacts (seed {args.seed})")
    print("\n".join(_table(score, hand_written=False)))
    print(
        f"targets: recall >= 0.95, precision >= 0.90; {score.rows / score.seconds:,.0f} contacts/s"
    )
    speeds = [_speed("generated contacts", texts)]
    for name in PII_SETS:
        path = PII_DIR / f"{name}.jsonl"
        if not path.exists():
            continue
        hw_texts, hw_gold = read_pii_set(path)
        hw_misses = misses if (name.startswith("dev") and args.show_misses) else None
        hw = score_spans(hw_texts, hw_gold, find_pii, misses=hw_misses)
        print(f"\nhand-written {name} set ({hw.rows} texts, data/pii/{name}.jsonl)")
        print("\n".join(_table(hw, hand_written=True)))
        print(f"over-redaction: {hw.over_redaction():.2%} of {hw.plain_words} words outside PII")
    print("\nwords redacted in the model's hand-written contacts (data/handwritten, no PII labels)")
    shown: list[str] = []
    for name in ("dev", "test", "blind"):
        path = CONTACTS_DIR / f"{name}.jsonl"
        if not path.exists():
            continue
        contacts = [
            str(json.loads(line)["text"]) for line in path.open(encoding="utf-8") if line.strip()
        ]
        hw_words = redacted_words(contacts, find_pii)
        print(_words(f"{name} ({hw_words.rows} contacts)", hw_words))
        speeds.append(_speed(f"hand-written {name} contacts", contacts))
        if name == "dev" and args.show_redacted:
            for text in contacts:
                shown.extend(
                    f"{sp.kind}: {text[sp.start : sp.end]!r}"
                    for sp in find_pii(text)
                    if sp.kind != "name"
                )
    print("\nspeed (CPU, best of three passes, lexicons loaded before)")
    print("\n".join(speeds))
    for line in misses[: args.show_misses]:
        print(line)
    for line in shown[: args.show_redacted]:
        print(line)


if __name__ == "__main__":
    main()
