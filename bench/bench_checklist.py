"""Referrer self-check benchmark: recall and precision of each *missing* question on the
hand-marked drafts of ``data/drafts/`` (``dev``, which may be read case by case, and
``test``, reported only), and the milliseconds the self-check takes per draft.

A question is missing from a draft when the draft does not answer it. Recall: of the
drafts a person marked as not answering a question, the share the self-check calls missing
(what it must not fail to ask). Precision: of the drafts it calls missing, the share the
person marked so (what it asks needlessly lowers it). Times are wall-clock, one draft at a
time through the whole text pipeline and the checklist, after one warm-up draft; the
fastest of ``--repeat`` runs is shown, as wall-clock and as this process's CPU time.

    python bench/bench_checklist.py [--show-misses N] [--repeat 3]
    python bench/bench_checklist.py --split-from /work/staging/drafts/d.jsonl

``--show-misses`` prints up to N disagreements on the dev set as ids only (draft id,
question, missed or needless); the test set's are never printed. ``--split-from`` writes
``data/drafts/dev.jsonl`` and ``test.jsonl`` from the authors' single file (deterministic:
``training.text.checklist.measure.split_drafts``) and exits.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.text.checklist import check_draft, default_checklist
from training.text.checklist.measure import MissingScore, read_drafts, score_missing, split_drafts

__all__ = ["main"]

DRAFTS_DIR = Path(__file__).resolve().parents[1] / "data" / "drafts"


def _answered(text: str) -> frozenset[str]:
    return check_draft(text).answered


def _table(score: MissingScore) -> list[str]:
    """One row per question; ``base`` is the precision of calling the question missing in
    every draft (the share of drafts marked missing), what the self-check must beat."""
    head = f"{'question':<18}{'marked missing':>15}{'called missing':>15}"
    lines = [head + f"{'recall':>8}{'precision':>10}{'base':>6}"]
    for q in score.questions:
        lines.append(
            f"{q:<18}{score.marked[q]:>15}{score.called[q]:>15}"
            f"{score.recall(q):>8.2f}{score.precision(q):>10.2f}{score.marked[q] / score.rows:>6.2f}"
        )
    return lines


def _split(source: Path) -> None:
    lines = [line for line in source.read_text("utf-8").splitlines() if line.strip()]
    rows = [json.loads(line) for line in lines]
    by_id = {str(r["id"]): line for r, line in zip(rows, lines, strict=True)}
    DRAFTS_DIR.mkdir(parents=True, exist_ok=True)
    for name, part in zip(("dev", "test"), split_drafts(rows), strict=True):
        ids = sorted(str(r["id"]) for r in part)
        (DRAFTS_DIR / f"{name}.jsonl").write_text("".join(by_id[i] + "\n" for i in ids), "utf-8")
        print(f"data/drafts/{name}.jsonl: {len(ids)} drafts")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--show-misses", type=int, default=0, help="dev disagreements, ids only")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (the fastest is shown)")
    parser.add_argument("--split-from", type=Path, help="write the dev and test halves and exit")
    args = parser.parse_args()
    if args.split_from is not None:
        _split(args.split_from)
        return

    checklist = default_checklist()
    questions = checklist.ids()
    check_draft("Warm-up: Sam, aged 7, lives with mum; she said 'hello'.")
    print(f"checklist version {checklist.version}")
    for name in ("dev", "test"):
        path = DRAFTS_DIR / f"{name}.jsonl"
        if not path.exists():
            print(f"\n{path} not found")
            continue
        drafts = read_drafts(path)
        misses: list[tuple[str, str, str]] = []
        keep = misses if (name == "dev" and args.show_misses) else None
        score = score_missing(drafts, _answered, questions=questions, misses=keep)
        runs = [score] + [
            score_missing(drafts, _answered, questions=questions)
            for _ in range(max(0, args.repeat - 1))
        ]
        wall = min(r.ms_per_draft for r in runs)
        cpu = min(r.cpu_ms_per_draft for r in runs)
        print(f"\n{name} set ({score.rows} drafts, data/drafts/{name}.jsonl)")
        print("\n".join(_table(score)))
        print(f"{wall:.2f} ms per draft wall-clock, {cpu:.2f} ms CPU (fastest of {len(runs)} runs)")
        for draft_id, question, kind in misses[: args.show_misses]:
            print(f"  {draft_id} {question}: {kind}")


if __name__ == "__main__":
    main()
