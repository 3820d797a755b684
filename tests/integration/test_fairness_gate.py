"""End to end: an injected historical bias is caught by the fairness report and the gate.

Two models are trained on the same contacts, one with labels biased against black
children and text cues correlated with the group (`--bias ... --bias-text-cues`), one
without. Both are audited on evaluation data that carries the cues but no label bias, so
a model that learned the cues scores those children higher for the same concerns.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import run_screener

pytestmark = pytest.mark.slow

# Enough contacts, and a strong enough bias, for a model of the generator's long and varied
# contacts to learn the cues well enough to move its operating point for the group: at
# 4,000 contacts and +3.5 logits it flagged about 70% of every group and no ratio could leave
# the fair range.
ROWS = "8000"


@pytest.fixture(scope="module")
def audited(
    tmp_path_factory: pytest.TempPathFactory, mlflow_env: dict[str, str]
) -> dict[str, object]:
    root = tmp_path_factory.mktemp("fair")
    env = dict(
        mlflow_env,
        MLFLOW_TRACKING_URI=f"sqlite:///{root}/mlflow.db",
        MLFLOW_ARTIFACT_ROOT=str(root / "mlruns"),
        DATABASE_URL=f"sqlite:///{root}/audit.db",
    )
    files = {
        "unbiased": ["--seed", "1"],
        "biased": ["--seed", "1", "--bias", "child_ethnicity=black:6", "--bias-text-cues"],
        "eval": ["--seed", "3", "--bias", "child_ethnicity=black:0", "--bias-text-cues"],
    }
    paths = {}
    for name, flags in files.items():
        paths[name] = root / f"{name}.parquet"
        rows = "5000" if name == "eval" else ROWS
        out = run_screener(
            "data", "generate", "--rows", rows, "--out", str(paths[name]), *flags, env=env
        )
        assert out.returncode == 0, out.stderr
    # The bias lives in these exports' own labels: the guidance corpus, which carries none,
    # would dilute what the biased model learns from them, so it is left out here.
    config = root / "no-corpus.toml"
    config.write_text("[guidance]\nshare = 0.0\n")
    versions = {}
    for name in ("unbiased", "biased"):
        out = run_screener(
            "train",
            "--data",
            str(paths[name]),
            "--config",
            str(config),
            "--candidates",
            "logreg_words_chars",
            env=env,
            cwd=root,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        registered = [line for line in out.stdout.splitlines() if line.startswith("registered ")]
        versions[name] = registered[-1].split("version ")[1].split()[0]
    reports = {}
    for name, version in versions.items():
        out = run_screener(
            "evaluate", "--model", version, "--data", str(paths["eval"]), env=env, cwd=root
        )
        assert out.returncode == 0, out.stderr[-3000:]
        out = run_screener(
            "fairness",
            "--model",
            version,
            "--data",
            str(paths["eval"]),
            "--out",
            str(root / f"fair-{name}"),
            "--n-boot",
            "100",
            # The injected bias shows as a disparity; the counterfactual tests run, on
            # fewer contacts than the default 300 (each is scored under 27 variants).
            "--counterfactual-n",
            "100",
            env=env,
            cwd=root,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        reports[name] = json.loads((root / f"fair-{name}" / "fairness.json").read_text())
    return {"env": env, "root": root, "versions": versions, "reports": reports}


def disparity_flags(report: dict) -> list[dict]:
    return [f for f in report["flags"] if f["kind"] == "disparity"]


def test_flags_name_attribute_group_metric_and_value(audited):
    for report in audited["reports"].values():
        assert isinstance(report["flags"], list)
        for flag in report["flags"]:
            assert {"attribute", "group", "metric", "value"} <= set(flag)


def test_the_counterfactual_tests_vary_the_contacts_asked_for(audited):
    for report in audited["reports"].values():
        tested = report["counterfactual"]["attributes"]
        assert {a["attribute"] for a in tested} >= {"ethnicity_names", "sex", "religion"}
        assert {a["n"] for a in tested} == {100}


def test_the_biased_model_is_flagged_for_the_injected_group(audited):
    flags = audited["reports"]["biased"]["flags"]
    black = [
        f
        for f in flags
        if f["kind"] in ("disparity", "counterfactual") and "black" in str(f["group"])
    ]
    cues = [f for f in flags if f["kind"] == "counterfactual"]
    assert black or cues, json.dumps(flags, indent=1)[:3000]


def test_the_unbiased_model_raises_no_disparity_flag(audited):
    assert disparity_flags(audited["reports"]["unbiased"]) == []


def test_the_gate_promotes_the_unbiased_model_and_blocks_the_biased_one(audited):
    env, root, versions = audited["env"], audited["root"], audited["versions"]
    ok = run_screener("promote", "--version", versions["unbiased"], env=env, cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = run_screener("promote", "--version", versions["biased"], env=env, cwd=root)
    assert refused.returncode == 1, refused.stdout
    assert "fairness" in refused.stdout and "refused" in refused.stdout
    forced = run_screener(
        "promote",
        "--version",
        versions["biased"],
        "--force",
        "--reason",
        "audit demo",
        env=env,
        cwd=root,
    )
    assert forced.returncode == 0 and "FORCED" in forced.stdout

    from serving.audit.db import make_engine
    from serving.audit.store import list_events

    events = list_events(engine=make_engine(env["DATABASE_URL"]), event_type="model")
    assert [e["event"] for e in events] == ["promoted", "refused", "forced"]
    forced_event = events[-1]
    assert forced_event["reason"] == "audit demo" and "fairness" in forced_event["failed_checks"]
    assert forced_event["previous_version"] == versions["unbiased"]
