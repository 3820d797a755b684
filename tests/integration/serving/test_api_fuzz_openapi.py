"""Schemathesis against the service's own OpenAPI document, in process, bounded.

Cases are generated from /openapi.json (valid and deliberately invalid data), sent through
the started TestClient with a key of a role the route admits, and every response is
checked: never a 5xx, and status, content type, headers and body as documented.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.utils.serving import Service

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 25
ROLE_FOR_PATH = {
    "/v1/score": "screener",
    "/v1/score/batch": "screener",
    "/v1/contacts/{contact_id}/decision": "screener",
    "/v1/model": "auditor",
    "/v1/audit/events": "auditor",
    "/v1/admin/reload": "admin",
}
#: Counted for RELIABILITY.md: cases sent per mode.
SENT: dict[str, int] = {}


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # One started service for the module (cases are many; the DB only grows).
    from fastapi.testclient import TestClient

    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.keys import create_key
    from serving.main import create_app
    from serving.settings import ServiceSettings
    from serving.testing import fake_loaded_model

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'audit.db'}"
    settings_ = ServiceSettings(
        database_url=url,
        model_uri="fake:",
        reload_poll_seconds=0,
        audit_hash_key="fuzz-hash-key",
        rate_limit_per_minute=0,
    )
    engine = make_engine(url)
    upgrade_to_head(engine)
    keys = {role: create_key(role, engine=engine)[1] for role in set(ROLE_FOR_PATH.values())}
    app = create_app(settings=settings_, model=fake_loaded_model())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Service(app, client, engine, keys, {}, settings_)
    engine.dispose()


def _operations(service: Service) -> list[Any]:
    schema = schemathesis.openapi.from_dict(service.client.get("/openapi.json").json())
    ops = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in ops} >= set(ROLE_FOR_PATH), "a route is missing from OpenAPI"
    return ops


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers_and_never_a_5xx(
    fuzz_service: Service, mode: GenerationMode
) -> None:
    checks = [not_a_server_error]
    if mode is GenerationMode.POSITIVE:
        checks += [
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ]
    sent = 0
    statuses: Counter[int] = Counter()
    for op in _operations(fuzz_service):
        role = ROLE_FOR_PATH.get(op.path)
        headers = {"X-API-Key": fuzz_service.keys[role]} if role else {}

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal sent
            kwargs = case.as_transport_kwargs(
                base_url="http://testserver",
                headers=headers,  # noqa: B023 (run() is called in this iteration)
            )
            # the TestClient takes httpx arguments: `content` for raw bytes
            if "data" in kwargs:
                kwargs["content"] = kwargs.pop("data")
            kwargs.pop("verify", None)
            response = fuzz_service.client.request(**kwargs)
            sent += 1
            statuses[response.status_code] += 1
            case.validate_response(response, checks=checks)

        try:
            run()
        except Unsatisfiable:
            # an operation without parameters or body has no invalid form to send
            assert mode is GenerationMode.NEGATIVE, op.path
        except Exception as exc:
            raise AssertionError(f"{op.method.upper()} {op.path}: {exc}") from exc
    SENT[mode.value] = sent
    print(f"schemathesis {mode.value}: {sent} requests, statuses {dict(sorted(statuses.items()))}")
    assert sent >= 8 * 5
    assert not any(code >= 500 for code in statuses)
    if mode is GenerationMode.POSITIVE:
        assert statuses[200] + statuses[201] >= sent // 2, statuses
