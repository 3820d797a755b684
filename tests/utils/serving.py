"""Helpers for the serving API tests: the service under test and its keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from serving.settings import ServiceSettings

ROLES = ("screener", "auditor", "admin", "referrer")
TEXT = "Child arrived at school with a bruise on her arm and said dad hit her at home."


@dataclass
class Service:
    app: FastAPI
    client: TestClient
    engine: Engine
    keys: dict[str, str]
    key_ids: dict[str, str]
    settings: ServiceSettings

    def h(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}


MakeService = Callable[..., Service]

#: A draft for the referrer self-check that says what was seen and nothing else the MASH
#: will ask, and the questions the packaged checklist finds it leaves open.
DRAFT = (
    "I am worried about Sam in my class. He has had bruises on his arms twice this month "
    "and seems tired."
)
DRAFT_MISSING = ["age", "household", "child_words", "tried", "parents_aware", "immediate_safety"]
