"""Shared checks of the text-pipeline tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from training.text import analyse

Check = Callable[[str, str], bool]


@pytest.fixture
def asserted() -> Check:
    """``asserted(text, label)``: the indicator is found, neither negated, hedged nor
    historical."""

    def check(text: str, label: str) -> bool:
        return any(
            m.label == label and not (m.negated or m.hedged or m.historical)
            for m in analyse(text).indicators
        )

    return check


@pytest.fixture
def found() -> Check:
    """``found(text, label)``: the indicator is found, whatever its flags."""

    def check(text: str, label: str) -> bool:
        return any(m.label == label for m in analyse(text).indicators)

    return check
