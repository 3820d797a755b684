from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from tests.utils.audit import served_priorities
from training.audit.evaluate import EvaluationResult, evaluate_scores
from training.audit.metrics import priority_edges
from training.audit.render import summary_sentences, terminal_summary, write_evaluation_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_result(*, oracle: bool = True) -> EvaluationResult:
    rng = np.random.default_rng(0)
    n = 1500
    p_true = rng.beta(1.0, 4.0, n)
    y = (rng.random(n) < p_true).astype(int)
    s = np.clip(p_true + rng.normal(0.0, 0.05, n), 0.0, 1.0)
    source = rng.choice(["police", "school"], size=n).astype(object)
    source[:4] = "anonymous"
    return evaluate_scores(
        y,
        s,
        source=source,
        p_true=p_true if oracle else None,
        priority=served_priorities(s, priority_edges(s)),
        n_boot=20,
    )


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    return make_result()


@pytest.fixture(scope="module")
def report(result: EvaluationResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report") / "nested" / "dir"
    return write_evaluation_report(
        result, out, title="Test <evaluation>", model_name="concern-screener", model_version="7"
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_report_writes_every_file(report: dict[str, Path]) -> None:
    assert set(report) == {"json", "html", "reliability", "roc", "pr"}
    for path in report.values():
        assert path.is_file() and path.stat().st_size > 0
    for key in ("reliability", "roc", "pr"):
        assert report[key].read_bytes().startswith(PNG_MAGIC)


def test_json_holds_the_result_and_the_model(
    report: dict[str, Path], result: EvaluationResult
) -> None:
    data = json.loads(report["json"].read_text(encoding="utf-8"))
    assert data["roc_auc"] == pytest.approx(result.roc_auc)
    assert data["operating_point"]["workload"] == pytest.approx(result.operating_point.workload)
    assert data["report"] == {
        "title": "Test <evaluation>",
        "model_name": "concern-screener",
        "model_version": "7",
    }


def test_html_embeds_the_three_charts_as_png_data_uris(report: dict[str, Path]) -> None:
    page = parse(report["html"].read_text(encoding="utf-8"))
    assert len(page.images) == 3
    for img in page.images:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_MAGIC)
        assert len(img.get("alt") or "") > 40  # described, not just labelled


def test_html_is_accessible_and_escapes_the_title(report: dict[str, Path]) -> None:
    html = report["html"].read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert "Test &lt;evaluation&gt;" in html and "Test <evaluation>" not in html
    page = parse(html)
    assert page.tags.count("h1") == 1 and page.tags.count("caption") == page.tags.count("table")
    assert page.tags.count("table") == 4  # headline, confusion matrix, per source, priority


def test_html_opens_with_the_plain_language_summary(
    report: dict[str, Path], result: EvaluationResult
) -> None:
    html = report["html"].read_text(encoding="utf-8")
    op = result.operating_point
    workload = round(100 * op.workload)
    sentence = f"Of every 100 contacts, the model asks the screener to look first at {workload}"
    assert sentence in html
    assert f"{round(100 * op.recall)}% of the contacts that met the threshold" in html
    assert f"AUC is {result.roc_auc:.3f} against {result.oracle_auc:.3f}" in html
    assert html.index(sentence) < html.index("<table")


def test_html_tables_show_the_numbers(report: dict[str, Path], result: EvaluationResult) -> None:
    html = report["html"].read_text(encoding="utf-8")
    op = result.operating_point
    for count in (op.tp, op.fn, op.fp, op.tn):
        assert f"<td>{count}</td>" in html
    lo, hi = result.roc_auc_ci
    assert f"{lo:.3f} to {hi:.3f}" in html
    assert "suppressed: too few contacts" in html  # the 4 anonymous contacts


def test_summary_without_oracle_explains_auc_instead() -> None:
    sentences = summary_sentences(make_result(oracle=False))
    text = " ".join(sentences)
    assert "best possible" not in text
    assert "0.5 is guessing" in text


def test_report_overwrites_and_leaves_no_open_figures(
    result: EvaluationResult, tmp_path: Path
) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    first = write_evaluation_report(result, tmp_path, title="one")
    second = write_evaluation_report(result, tmp_path, title="two")
    assert first == second
    assert "<title>two</title>" in second["html"].read_text(encoding="utf-8")
    assert plt.get_fignums() == before


def test_report_holds_no_unexpected_text(report: dict[str, Path]) -> None:
    # Reports are built from numbers and group names only; a stray repr of an array or a
    # dataclass would show the template went wrong.
    html = report["html"].read_text(encoding="utf-8")
    assert not re.search(r"array\(|GroupMetrics\(|OperatingPoint\(|Undefined|None</td>", html)


def test_terminal_summary_states_the_headline_figures(result: EvaluationResult) -> None:
    lines = terminal_summary(result)
    lo, hi = result.roc_auc_ci
    op = result.operating_point
    assert lines[0].startswith(f"  ROC AUC {result.roc_auc:.3f} [{lo:.3f}, {hi:.3f}]   PR AUC ")
    assert f"ECE {result.ece:.4f}" in lines[1]
    assert lines[2].endswith(f"workload {op.workload:.1%}")
    assert lines[3] == (
        f"  oracle AUC {result.oracle_auc:.3f}; model/oracle {result.auc_ratio_to_oracle:.3f}"
    )
    assert len(terminal_summary(make_result(oracle=False))) == 3


def test_terminal_summary_says_when_a_figure_is_undefined(result: EvaluationResult) -> None:
    from dataclasses import replace

    nothing_prioritised = replace(
        result, operating_point=replace(result.operating_point, precision=float("nan"))
    )
    assert "precision not available" in terminal_summary(nothing_prioritised)[2]
