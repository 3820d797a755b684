"""The one Jinja environment of the reports, over the templates beside this module.

HTML templates (``*.html.j2``) are autoescaped; the Markdown model card is not. Every
template gets the filters ``num``, ``pct`` and ``ci`` (:mod:`.formats`); a template that
shows missing numbers otherwise than "not available" sets ``missing`` at its top.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from training.audit.render.formats import DASH, NOT_AVAILABLE, interval, num, pct

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context

__all__ = ["TEMPLATE_DIR", "environment", "render"]

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"


def _missing(context: Context, default: str) -> str:
    value = context.get("missing", default)
    return str(value)


@cache
def environment() -> Environment:
    """The environment (built once per process, on first use)."""
    from jinja2 import (
        Environment,
        FileSystemLoader,
        StrictUndefined,
        pass_context,
        select_autoescape,
    )

    @pass_context
    def num_filter(context: Context, value: Any, digits: int = 3) -> str:
        return num(value, digits, missing=_missing(context, NOT_AVAILABLE))

    @pass_context
    def pct_filter(context: Context, value: Any, digits: int = 0) -> str:
        return pct(value, digits, missing=_missing(context, NOT_AVAILABLE))

    @pass_context
    def ci_filter(context: Context, ci: Any, digits: int = 3) -> str:
        return interval(ci, digits, missing=_missing(context, DASH))

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = num_filter
    env.filters["pct"] = pct_filter
    env.filters["ci"] = ci_filter
    return env


def render(template: str, **context: Any) -> str:
    """``template`` (a file name in :data:`TEMPLATE_DIR`) rendered with ``context``."""
    return environment().get_template(template).render(**context)
