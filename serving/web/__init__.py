"""The screener's web pages: ``session`` (signed cookie sessions and CSRF), ``presenters``
(a scored contact turned into what the page shows), ``routes`` (the pages), with the
Jinja templates in ``templates/`` and the scripts and styles in ``static/``."""

from __future__ import annotations

__all__: list[str] = []
