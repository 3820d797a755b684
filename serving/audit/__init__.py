"""The audit trail: every score served, every screener decision, every key event.

``db`` makes engines, ``tables`` declares the schema, ``store`` holds the only SQL and
``migrations`` the Alembic history (``upgrade_to_head``).
"""

from __future__ import annotations

__all__: list[str] = []
