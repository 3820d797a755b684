"""The package layers hold: ``lint-imports`` keeps every contract of pyproject.toml, and
fails on a copy of the tree in which a lower layer imports a higher one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent), "HOME": str(cwd)}
    return subprocess.run(
        [LINT, "--no-cache", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_tree(tmp_path: Path) -> Path:
    for name in ("training", "serving"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_layer_contract_is_kept() -> None:
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("training/data/contract.py", "import training.lifecycle.cli", "training: lifecycle"),
        ("training/text/normalise.py", "import training.model.screener", "training: lifecycle"),
        ("training/model/outputs.py", "import serving.settings", "training never imports serving"),
        ("serving/audit/tables.py", "import serving.scoring", "serving: cli"),
        ("serving/api/routes/score.py", "import serving.api.routes.admin", "serving.api.routes"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_breaks_the_check(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = _copy_tree(tmp_path)
    target = tree / module
    target.write_text(target.read_text("utf-8") + f"\n{line}  # noqa\n", "utf-8")
    out = _lint(tree)
    assert out.returncode != 0
    broken = [ln for ln in out.stdout.splitlines() if ln.endswith("BROKEN")]
    assert any(contract in ln for ln in broken), out.stdout[-3000:]
