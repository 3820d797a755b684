"""Text-pipeline benchmark: throughput of ``analyse_many`` and single-contact latency.

    python bench/bench_text.py [--rows 10000] [--seed 11] [--batch-size 256]

Targets (issue 3): analyse_many >= ~3,000 contacts/s on one core; one ``analyse`` well
under 2 ms. Uses generated contacts (training.data.generate) when available, else a fixed
synthetic set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from training.text import analyse, analyse_many, get_nlp

__all__ = ["main"]


def _texts(rows: int, seed: int) -> list[str]:
    from training.data.generate import generate_frame

    return [str(t) for t in generate_frame(rows, seed=seed)["text"]]


# Sanity check only: which of our labels express each generator indicator. Our patterns are
# written from the threshold guidance, not from the generator's templates.
GENERATOR_TO_OURS: dict[str, tuple[str, ...]] = {
    "disclosure_physical_abuse": ("disclosure_by_child", "physical_abuse"),
    "non_accidental_injury": ("non_accidental_injury", "physical_abuse", "observed_injury"),
    "bruising_non_mobile_baby": ("bruising_non_mobile_baby",),
    "disclosure_sexual_abuse": ("disclosure_by_child", "sexual_abuse"),
    "child_sexual_exploitation": ("child_sexual_exploitation",),
    "child_criminal_exploitation": ("child_criminal_exploitation",),
    "under_13_pregnant": ("under_13_pregnant_or_sexually_active",),
    "fgm_risk": ("fgm_risk",),
    "trafficking_modern_slavery": ("trafficking",),
    "failure_to_thrive": ("failure_to_thrive",),
    "severe_neglect": ("severe_neglect", "neglect_basic_care"),
    "pregnant_domestic_abuse_victim": ("domestic_abuse_pregnant_victim",),
    "risk_person_in_household": ("person_posing_risk_in_household",),
    "domestic_abuse_child_injured": (
        "physical_abuse",
        "observed_injury",
        "domestic_abuse_child_present",
    ),
    "domestic_abuse_child_present": ("domestic_abuse_child_present",),
    "repeat_domestic_incidents": ("domestic_abuse",),
    "parental_substance_misuse": ("parental_drug_misuse",),
    "parental_alcohol_misuse": ("parental_alcohol_misuse",),
    "parental_mental_health": ("parental_mental_illness",),
    "persistent_neglect": ("neglect_basic_care", "severe_neglect"),
    "early_help_failed": ("early_help_tried_and_failed",),
    "chronic_non_attendance": ("chronic_non_attendance",),
    "child_mental_health_crisis": ("child_mental_health_crisis",),
    "self_harm": ("self_harm",),
    "repeated_missing_episodes": ("repeated_missing_episodes", "missing_episode"),
    "emotional_abuse": ("emotional_abuse",),
    "child_left_alone": ("chaotic_home_or_left_alone",),
    "young_person_substance_misuse": ("child_substance_use",),
    "gang_association": ("gang_association", "child_criminal_exploitation"),
    "homelessness": ("poor_housing", "private_fostering_or_no_carer"),
    "harmful_sexual_behaviour": ("sexual_abuse",),
    "school_absence": ("school_absence", "chronic_non_attendance"),
    "missed_health_appointments": ("missed_health_appointments",),
    "early_substance_use": ("child_substance_use",),
    "early_offending": ("early_offending_or_antisocial_behaviour",),
    "poor_parent_child_relationship": ("poor_parent_child_relationship",),
    "young_carer": ("young_carer",),
    "poor_housing": ("poor_housing",),
    "low_income": ("low_income",),
    "possible_domestic_abuse": ("possible_domestic_abuse", "domestic_abuse"),
    "domestic_incident_child_not_present": ("domestic_abuse", "possible_domestic_abuse"),
    "poor_supervision": ("poor_supervision_or_inconsistent_care", "chaotic_home_or_left_alone"),
    "parental_separation_conflict": ("parental_separation_conflict",),
    "behaviour_concerns": (
        "early_offending_or_antisocial_behaviour",
        "poor_parent_child_relationship",
    ),
    "child_low_mood": ("child_emotional_wellbeing",),
    "notification_no_concern": ("notification_no_concern",),
    "minor_accidental_injury": ("notification_no_concern",),
    "parenting_advice_request": ("poor_parent_child_relationship", "engaging_with_services"),
    "minor_worry_resolved": ("notification_no_concern", "supportive_family"),
}


def indicator_recall(
    labels_true: list[list[str]], found: list[set[str]]
) -> dict[str, tuple[int, int]]:
    """Per generator label: (contacts where one of our corresponding labels matched, contacts)."""
    out: dict[str, tuple[int, int]] = {}
    for truth, ours in zip(labels_true, found, strict=True):
        for label in truth:
            hit, n = out.get(label, (0, 0))
            out[label] = (hit + bool(ours & set(GENERATOR_TO_OURS.get(label, ()))), n + 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    texts = _texts(args.rows, args.seed)
    chars = statistics.median(len(t) for t in texts)
    t0 = time.perf_counter()
    get_nlp()
    analyse("warm up the pipeline and its caches.")
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    results = analyse_many(texts, batch_size=args.batch_size)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyse_many(texts, batch_size=args.batch_size)
    second = time.perf_counter() - t0

    latencies = []
    for text in texts[:1000]:
        t1 = time.perf_counter()
        analyse(text)
        latencies.append(time.perf_counter() - t1)
    latencies.sort()
    n_tokens = sum(len(a.tokens) for a in results)
    n_ind = sum(len(a.indicators) for a in results)
    print(
        f"{len(texts):,} contacts, median {chars:.0f} chars, {n_tokens / len(texts):.0f} tokens and {n_ind / len(texts):.1f} indicator matches per contact"
    )
    print(f"pipeline build: {build * 1000:.0f} ms")
    print(f"analyse_many, first pass (cold vocab): {len(texts) / first:,.0f} contacts/s")
    print(f"analyse_many, second pass (warm vocab): {len(texts) / second:,.0f} contacts/s")
    print(
        f"analyse single contact: median {statistics.median(latencies) * 1000:.2f} ms, p95 {latencies[int(0.95 * len(latencies))] * 1000:.2f} ms"
    )
    print("targets: >= 3,000 contacts/s; single contact well under 2 ms")

    from training.data.generate import generate_frame

    frame = generate_frame(min(args.rows, 5000), seed=args.seed)
    truth = [json.loads(v) if isinstance(v, str) else list(v) for v in frame["indicators_true"]]
    found = [{m.label for m in a.indicators} for a in analyse_many([str(t) for t in frame["text"]])]
    recall = indicator_recall(truth, found)
    hits = sum(h for h, _ in recall.values())
    total = sum(n for _, n in recall.values())
    print(
        f"indicator sanity check vs the generator's true indicators: recall {hits / max(1, total):.3f} over {total} mentions"
    )
    worst = sorted(recall.items(), key=lambda kv: kv[1][0] / kv[1][1])[:8]
    print("  lowest: " + ", ".join(f"{k} {h / n:.2f}" for k, (h, n) in worst))


if __name__ == "__main__":
    main()
