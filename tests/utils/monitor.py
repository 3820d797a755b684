"""Helpers for the monitor's tests: a month of generated contacts served through the real
service at the days they arrived, with decisions recorded by a simulated screener who
follows the generator's outcome."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pandas as pd
import pytest

import serving.scoring
from tests.utils.serving import Service


class _Clock(datetime):
    """``datetime`` whose ``now`` is a set instant (the day a batch of contacts arrived)."""

    instant: datetime = datetime(2000, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return cls.instant if tz is None else cls.instant.astimezone(tz)


@contextmanager
def served_on(day: date) -> Iterator[None]:
    """Score events written inside are stamped at noon (UTC) of ``day``."""
    with pytest.MonkeyPatch.context() as patch:
        _Clock.instant = datetime.combine(day, time(12), tzinfo=UTC)
        patch.setattr(serving.scoring, "datetime", _Clock)
        yield


def serve_month(service: Service, contacts: pd.DataFrame, *, batch: int = 200) -> None:
    """POST every contact to /v1/score/batch on the day it was received (its source left
    out where the generator wrote none), then record each one's decision, the generator's
    outcome, on /v1/contacts/{id}/decision."""
    received = pd.to_datetime(contacts["received_at"]).dt.date
    for day, part in contacts.groupby(received, sort=True):
        items = [
            {"text": r.text, "contact_id": r.contact_id}
            | ({"source": r.source} if isinstance(r.source, str) else {})
            for r in part.itertuples()
        ]
        with served_on(day):
            for start in range(0, len(items), batch):
                response = service.client.post(
                    "/v1/score/batch",
                    json={"items": items[start : start + batch]},
                    headers=service.h("screener"),
                )
                assert response.status_code == 200, response.text[:500]
    for r in contacts.itertuples():
        response = service.client.post(
            f"/v1/contacts/{r.contact_id}/decision",
            json={"decision": r.outcome},
            headers=service.h("screener"),
        )
        assert response.status_code == 201, response.text[:500]
