"""The promotion gate: may this registered version become ``@champion``?

Computation only. The checks read what training, ``screener evaluate`` and
``screener fairness`` recorded on each version (MLflow version tags):

- ``eval/<digest>/roc_auc`` and ``eval/<digest>/ece``: figures on an evaluation data set
  identified by its digest (training records its own test split the same way);
- ``fairness/<digest>/flags``: the JSON list of fairness and counterfactual flag keys;
- ``behaviour/<digest>/reporting/must_never_miss`` and ``handwritten/<set>/<digest>/roc_auc``
  (with ``_lo``, ``_hi``): the figures on text written by other hands
  (``training.audit.independent``).

A candidate passes when it was evaluated on the same data as the current champion, is not
worse on AUC beyond a tolerance, is calibrated within a bound, raises no fairness flag the
champion did not already have, fails no more of the behavioural suite's must-never-miss
cases (serious harm worded calmly, tentatively or in a child's words; a hedged injury to a
baby not yet mobile) in its reporting half than the champion, and ranks the hand-written
test and blind sets no worse than the low end of the champion's interval. The first version
(no champion) is judged on its own calibration and fairness.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GateCheck", "GateDecision", "GatePolicy", "promotion_gate"]


@dataclass(frozen=True)
class GatePolicy:
    """Tolerances of the gate."""

    auc_tolerance: float = 0.01
    max_ece: float = 0.05
    require_fairness: bool = True


@dataclass(frozen=True)
class GateCheck:
    name: str
    passed: bool
    detail: str


@dataclass
class GateDecision:
    """The outcome of a promotion request; ``render`` is what the CLI prints."""

    version: str
    champion_version: str | None
    checks: list[GateCheck]
    promoted: bool
    forced: bool = False
    reason: str | None = None
    evaluation_digest: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[GateCheck]:
        return [c for c in self.checks if not c.passed]

    def render(self) -> str:
        lines = [
            f"promotion of version {self.version} (current champion: {self.champion_version or 'none'})"
        ]
        for check in self.checks:
            lines.append(f"  [{'pass' if check.passed else 'FAIL'}] {check.name}: {check.detail}")
        if self.promoted and self.forced:
            lines.append(
                f"FORCED: version {self.version} is now @champion despite failed checks; reason recorded: {self.reason}"
            )
        elif self.promoted:
            lines.append(f"version {self.version} is now @champion")
        else:
            lines.append(
                f"refused: version {self.version} was not promoted ({len(self.failures)} check(s) failed)"
            )
        return "\n".join(lines)


def _evaluations(tags: dict[str, str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for key, value in tags.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "eval":
            try:
                out.setdefault(parts[1], {})[parts[2]] = float(value)
            except ValueError:
                continue
    return out


def _fairness_flags(tags: dict[str, str], digest: str) -> list[str] | None:
    raw = tags.get(f"fairness/{digest}/flags")
    if raw is None:
        return None
    try:
        flags = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return [str(f) for f in flags]


def _first_version_checks(
    cand_evals: dict[str, dict[str, float]], cand_tags: dict[str, str]
) -> tuple[list[GateCheck], str | None]:
    """With no champion: was the candidate evaluated at all, and on which data (preferring
    evaluation data that also has a fairness report)?"""
    if not cand_evals:
        return [GateCheck("evaluated", False, "the version has no recorded evaluation")], None
    audited = [d for d in sorted(cand_evals) if _fairness_flags(cand_tags, d) is not None]
    digest = (audited or sorted(cand_evals))[0]
    return [GateCheck("evaluated", True, f"evaluated on data {digest}")], digest


def _champion_checks(
    cand_evals: dict[str, dict[str, float]],
    cand_tags: dict[str, str],
    champion: dict[str, Any],
    policy: GatePolicy,
) -> tuple[list[GateCheck], str | None]:
    """Against a champion: evaluated on the same data (preferring data with a fairness
    report), and no worse on AUC there beyond the tolerance."""
    champ_evals = _evaluations(champion.get("tags", {}))
    common = sorted(set(cand_evals) & set(champ_evals))
    if not common:
        detail = (
            f"no evaluation data in common with champion version {champion['version']}: run "
            f"`screener evaluate --model <N> --data <PATH>` for both on the same file"
        )
        return [GateCheck("same evaluation data", False, detail)], None
    audited = [d for d in common if _fairness_flags(cand_tags, d) is not None]
    digest = (audited or common)[-1]
    checks = [GateCheck("same evaluation data", True, f"both evaluated on data {digest}")]
    cand_auc = cand_evals[digest].get("roc_auc")
    champ_auc = champ_evals[digest].get("roc_auc")
    if cand_auc is None or champ_auc is None:
        checks.append(GateCheck("AUC", False, "AUC missing from an evaluation"))
    else:
        checks.append(
            GateCheck(
                "AUC not worse",
                cand_auc >= champ_auc - policy.auc_tolerance,
                f"{cand_auc:.4f} against champion {champ_auc:.4f} (tolerance {policy.auc_tolerance})",
            )
        )
    return checks, digest


def _calibration_check(ece: float | None, policy: GatePolicy) -> GateCheck:
    if ece is None:
        return GateCheck("calibration", False, "ECE missing from the evaluation")
    return GateCheck(
        "calibration", ece <= policy.max_ece, f"ECE {ece:.4f} (bound {policy.max_ece})"
    )


def _fairness_check(
    cand_tags: dict[str, str],
    champion: dict[str, Any] | None,
    digest: str,
    policy: GatePolicy,
) -> GateCheck | None:
    """No fairness flag the champion did not already have on the same data; ``None`` when
    the candidate has no fairness report and the policy does not require one."""
    cand_flags = _fairness_flags(cand_tags, digest)
    if cand_flags is None:
        if not policy.require_fairness:
            return None
        return GateCheck(
            "fairness",
            False,
            f"no fairness report on data {digest}: run `screener fairness --model <N> --data <PATH> --out DIR`",
        )
    champ_flags: list[str] = []
    if champion is not None:
        champ_flags = _fairness_flags(champion.get("tags", {}), digest) or []
    new = sorted(set(cand_flags) - set(champ_flags))
    return GateCheck(
        "no new fairness flags",
        not new,
        "none" if not new else f"{len(new)} new: " + ", ".join(new[:10]),
    )


#: The hand-written sets the gate compares (the dev set is the tuning set).
GATED_SETS = ("test", "blind")


def _tagged(tags: dict[str, str], prefix: str) -> dict[str, dict[str, float]]:
    """``<prefix>/<digest>/<rest>`` tags as digest -> {rest: value}."""
    out: dict[str, dict[str, float]] = {}
    for key, value in tags.items():
        if key.startswith(prefix + "/"):
            digest, _, rest = key[len(prefix) + 1 :].partition("/")
            try:
                out.setdefault(digest, {})[rest] = float(value)
            except ValueError:
                continue
    return out


def _must_never_miss_check(cand_tags: dict[str, str], champ_tags: dict[str, str]) -> GateCheck:
    """The reporting half's must-never-miss failure rate, on the same suite, no worse."""
    key = "reporting/must_never_miss"
    cand = {d: v[key] for d, v in _tagged(cand_tags, "behaviour").items() if key in v}
    champ = {d: v[key] for d, v in _tagged(champ_tags, "behaviour").items() if key in v}
    if not cand:
        if champ:
            return GateCheck(
                "must-never-miss", False, "the version has no behavioural figures; the champion has"
            )
        return GateCheck("must-never-miss", True, "neither version has behavioural figures")
    common = sorted(set(cand) & set(champ))
    if not common:
        return GateCheck(
            "must-never-miss",
            True,
            f"{cand[max(cand)]:.1%} failed; the champion has no figures on this suite",
        )
    d = common[-1]
    return GateCheck(
        "must-never-miss not worse",
        cand[d] <= champ[d],
        f"{cand[d]:.1%} of the reporting half's must-never-miss cases failed, champion {champ[d]:.1%}",
    )


def _handwritten_checks(cand_tags: dict[str, str], champ_tags: dict[str, str]) -> list[GateCheck]:
    """Each gated hand-written set, on the same file: AUC no lower than the low end of the
    champion's bootstrap interval."""
    checks = []
    for name in GATED_SETS:
        cand = _tagged(cand_tags, f"handwritten/{name}")
        champ = _tagged(champ_tags, f"handwritten/{name}")
        common = sorted(d for d in set(cand) & set(champ) if "roc_auc_lo" in champ[d])
        if not common:
            continue
        c, lo = cand[common[-1]]["roc_auc"], champ[common[-1]]["roc_auc_lo"]
        checks.append(
            GateCheck(
                f"hand-written {name} set",
                c >= lo,
                f"AUC {c:.3f} against the low end of the champion's interval {lo:.3f}",
            )
        )
    return checks


def promotion_gate(
    candidate: dict[str, Any],
    champion: dict[str, Any] | None,
    *,
    policy: GatePolicy = GatePolicy(),
) -> GateDecision:
    """Judge ``candidate`` against ``champion`` (``registry.version_details`` dicts)."""
    cand_tags: dict[str, str] = candidate.get("tags", {})
    cand_evals = _evaluations(cand_tags)
    if champion is None:
        checks, digest = _first_version_checks(cand_evals, cand_tags)
    else:
        checks, digest = _champion_checks(cand_evals, cand_tags, champion, policy)
    if digest is not None:
        checks.append(_calibration_check(cand_evals[digest].get("ece"), policy))
        fairness = _fairness_check(cand_tags, champion, digest, policy)
        if fairness is not None:
            checks.append(fairness)
    if champion is not None:
        champ_tags = champion.get("tags", {})
        checks.append(_must_never_miss_check(cand_tags, champ_tags))
        checks += _handwritten_checks(cand_tags, champ_tags)
    return GateDecision(
        version=str(candidate["version"]),
        champion_version=None if champion is None else str(champion["version"]),
        checks=checks,
        promoted=False,
        evaluation_digest=digest,
    )
