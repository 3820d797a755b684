"""Benchmark: the indicator matcher and the scope reader, one generated mention at a time.

Each sample is a one-line contact that the generator writes for a single planned mention
(a label, and a mode: first hand, third hand, hedged, historical or negated). For asserted
mentions (first or third hand) it prints the share whose level the matcher reaches (the
highest level among matches that are not negated, hedged or historical), and the share it
exceeds. For the other modes it prints the share read as an asserted level-3+ concern (a
false assertion) and the share with the right flag on a level-3+ match.

To keep pattern and cue work honest, ``--half dev`` uses only the even-numbered templates
and frames of the generator's lexicon and ``--half held`` only the odd-numbered ones:
develop on ``dev``, judge on ``held``. It also prints the matcher-only AUC on the two
hand-written sets (max asserted level as the score), the check that owes nothing to the
generator.

    python bench/bench_mentions.py [--half held] [--n 20] [--dump FILE.jsonl]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_FRAMES = (
    "negated_frames",
    "historical_frames",
    "hedged_frames",
    "negated_clause_frames",
    "historical_clause_frames",
    "hedged_clause_frames",
    "third_hand_frames",
)
_FLAG = {
    "negated": "negated",
    "hedged": "hedged",
    "historical": "historical",
    "third": "third_party",
}


def _asserted_level(matches: list) -> int:
    return max((m.level for m in matches if not (m.negated or m.hedged or m.historical)), default=0)


def _mentions(half: str, n: int, seed: int, modes: list[str]) -> list[dict]:
    import training.data.generate.text as gt
    from training.data.generate.generator import SOURCES, _eligible, _voices
    from training.data.generate.labels import Mention, Plan
    from training.data.generate.lexicon import load_lexicon
    from training.data.generate.people import make_family
    from training.text import analyse_many

    k = {"dev": 0, "held": 1, "all": None}[half]

    def part(seq: tuple) -> tuple:
        return seq if k is None or len(seq) < 2 else tuple(seq)[k::2]

    lexicon = load_lexicon()
    specs = {
        s.label: dataclasses.replace(s, asserted=part(s.asserted), topics=part(s.topics))
        for s in lexicon.indicators
    }
    lexicon = dataclasses.replace(
        lexicon,
        indicator_by_label=specs,
        **{name: part(getattr(lexicon, name)) for name in _FRAMES},
    )
    r = random.Random(seed)
    rows, texts = [], []
    received = date(2024, 5, 1)
    for spec in specs.values():
        for mode in modes:
            for _ in range(n):
                age, female = r.randint(0, 17), r.random() < 0.5
                while not _eligible(spec, age, female):
                    age, female = r.randint(0, 17), r.random() < 0.5
                pick_own = spec.sources and r.random() < 0.5
                source = r.choice(spec.sources) if pick_own else r.choice(SOURCES)
                voices, weights = _voices(source)
                voice = r.choices(voices, weights=weights)[0]
                if age < voice.min_age:
                    voice = voices[0]
                sex = "female" if female else "male"
                family = make_family(r, ethnicity="white", sex=sex, age=age, received=received)
                written = gt.write_contact(
                    r, Plan(source, age, [Mention(spec.label, mode)]), voice=voice,
                    family=family, sex=sex, received=received, length="line", lexicon=lexicon,
                )  # fmt: skip
                if written.plan.mentions:
                    texts.append(written.text)
                    rows.append({"label": spec.label, "level": spec.level, "mode": mode})
    for row, text, analysis in zip(rows, texts, analyse_many(texts), strict=True):
        ms = analysis.indicators
        flag = _FLAG.get(row["mode"])
        serious = [m for m in ms if m.level >= 3]
        row.update(
            text=text,
            reached=_asserted_level(ms),
            right_flag=any(getattr(m, flag) for m in serious) if flag and serious else None,
            matches=[(m.label, m.level, text[m.start : m.end]) for m in ms],
        )
    return rows


def _hand_written() -> str:
    from sklearn.metrics import roc_auc_score

    from training.text import analyse_many

    out = []
    for split in ("dev", "test"):
        path = ROOT / "tests" / "fixtures" / "external" / f"concerns_{split}.jsonl"
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        scores = []
        for an in analyse_many([r["text"] for r in rows]):
            top = _asserted_level(an.indicators)
            ties = sum(
                1 for m in an.indicators
                if m.level == top and not (m.negated or m.hedged or m.historical)
            )  # fmt: skip
            scores.append(top + 0.1 * ties)
        out.append(f"{split} {roc_auc_score([r['met'] for r in rows], scores):.4f}")
    return "hand-written sets, matcher alone: AUC met " + ", ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["dev", "held", "all"], default="held")
    parser.add_argument("--n", type=int, default=20, help="samples per label and mode")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--dump", type=Path, help="write every sample (text, matches) here")
    args = parser.parse_args()
    modes = ["first", "third", "hedged", "historical", "negated"]
    rows = _mentions(args.half, args.n, args.seed, modes)
    asserted = [r for r in rows if r["mode"] in ("first", "third")]
    print(f"bench_mentions: {args.half} half, {len(rows)} one-mention contacts")
    for level in (1, 2, 3, 4):
        part = [r for r in asserted if r["level"] == level]
        reach = sum(r["reached"] >= level for r in part) / len(part)
        exceed = sum(r["reached"] > level for r in part) / len(part)
        print(
            f"  asserted level {level}: reached {reach:.3f}, exceeded {exceed:.3f} (n={len(part)})"
        )
    for mode in ("hedged", "historical", "negated", "third"):
        part = [r for r in rows if r["mode"] == mode]
        flagged = [r["right_flag"] for r in part if r["right_flag"] is not None]
        right = sum(flagged) / len(flagged) if flagged else float("nan")
        if mode == "third":
            print(f"  third hand: flagged on level-3+ matches {right:.3f}")
        else:
            wrong = sum(r["reached"] >= 3 for r in part) / len(part)
            print(f"  {mode}: read as asserted level 3+ {wrong:.3f}; right flag {right:.3f}")
    print("  " + _hand_written())
    if args.dump:
        args.dump.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
        print(f"  wrote {args.dump}")


if __name__ == "__main__":
    main()
