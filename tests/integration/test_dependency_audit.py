from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.timeout(300)
def test_installed_packages_have_no_known_vulnerability() -> None:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    if not pip_audit.exists():
        pytest.skip("pip-audit is not installed (dev extra)")
    # -l: the packages installed in this environment (the project itself is skipped: it is
    # not on PyPI). PyPI's own advisory data (PyPA advisory database via the JSON API).
    cmd = [
        str(pip_audit),
        "-l",
        "--strict",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        "pypi",
        "--skip-editable",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=280)
    report = out.stdout + out.stderr
    # "not found on PyPI" for a package that is installed from PyPI means the JSON API
    # (advisory data) is not reachable from here, e.g. behind an index mirror.
    network = any(
        s in report
        for s in (
            "ConnectionError",
            "Max retries",
            "Temporary failure",
            "timed out",
            "Dependency not found on PyPI",
        )
    )
    # This workplace (and its CI) reaches only a package-index mirror, which serves no
    # advisory data: there the audit cannot run, and saying so beats a false "no
    # vulnerabilities". Where PyPI's JSON API answers, any finding fails the test.
    if out.returncode != 0 and network:
        pytest.skip(f"advisory service unreachable: {report.strip().splitlines()[-1][:200]}")
    assert out.returncode == 0, report
