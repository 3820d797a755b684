"""Schemathesis against the service's own OpenAPI document, in process, as each role.

Every operation goes through schemathesis's examples, coverage and fuzzing phases, with
valid and deliberately invalid data, under a key of each role and with no key, and every
response through all of schemathesis's checks: never a 5xx; status, content type,
headers and body as documented; data the schema calls valid accepted (a 2xx for a role
the route admits, 403 for one it does not) and data it calls invalid refused; an
undocumented method answered 405 with ``Allow``; no success without a key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.utils.serving import ROLES, Service

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.core.parameters import ParameterLocation  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.python import asgi  # noqa: E402

pytestmark = pytest.mark.slow

#: Fuzzing examples per operation, role and mode (positive and negative); the coverage
#: phase adds its boundary cases (lengths at and past each limit, missing and extra
#: fields, undocumented methods).
MAX_EXAMPLES = 15
#: Which roles each keyed route admits (the OpenAPI description's table).
ADMITS = {
    "/v1/score": {"screener"},
    "/v1/score/batch": {"screener"},
    "/v1/contacts/{contact_id}/decision": {"screener"},
    "/v1/model": {"screener", "auditor", "admin"},
    "/v1/audit/events": {"auditor", "admin"},
    "/v1/admin/reload": {"admin"},
    "/v1/check": {"referrer"},
    "/metrics": {"admin"},  # or no key from this host; schemathesis's client is not on it
}
#: Counted for RELIABILITY.md: the statuses each role got.
STATUSES: dict[str, Counter[int]] = {}


def _openapi() -> dict[str, Any]:
    # The document the service serves at /openapi.json (building it reads nothing).
    from serving.main import create_app
    from serving.settings import ServiceSettings

    return create_app(
        settings=ServiceSettings(database_url="sqlite://", model_uri="fake:")
    ).openapi()


SCHEMA = schemathesis.openapi.from_dict(
    _openapi(),
    config=SchemathesisConfig.from_dict(
        {
            "seed": 18,
            "base-url": "http://testserver",
            "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
            # A role a route does not admit gets 403 for valid data; checked below.
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "403"]}},
        }
    ),
)


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    # One service for the module, started by schemathesis's in-process client on the first
    # request and stopped by shutdown_lifespans, so the checks' probes reach the same app.
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
        audit_hash_key="fuzz-hash-key-" + "x" * 32,
        rate_limit_per_minute=0,
    )
    engine = make_engine(url)
    upgrade_to_head(engine)
    keys = {role: create_key(role, engine=engine)[1] for role in ROLES}
    app = create_app(settings=settings_, model=fake_loaded_model())
    try:
        yield Service(app, None, engine, keys, {}, settings_)  # type: ignore[arg-type]
    finally:
        asgi.shutdown_lifespans()
        engine.dispose()
        for role, statuses in STATUSES.items():  # the figures for RELIABILITY.md (-s)
            print(
                f"schemathesis as {role}: {statuses.total()} requests, {dict(sorted(statuses.items()))}"
            )


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "no-key"])
@SCHEMA.parametrize()
def test_generated_requests_pass_every_check_as_each_role(
    case: Any, role: str | None, fuzz_service: Service
) -> None:
    headers = {"X-API-Key": fuzz_service.keys[role]} if role else {}
    header_part = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if header_part is not None and header_part.mode == GenerationMode.NEGATIVE:
        # The headers are what schemathesis made invalid on purpose (the key dropped or
        # mangled): sent as generated, since a key added back would make the request valid
        # and its 200 a false "schema-violating request accepted".
        headers = {}
    admits = ADMITS.get(case.operation.path)
    app = case.operation.schema.app = fuzz_service.app  # where the checks' probes go too
    if admits is not None and role is None:
        # Without a key a keyed route never answers with data (the ignored_auth check
        # needs a key to compare with, so it runs under the roles).
        response = case.call_and_validate(app=app, headers=headers, checks=[not_a_server_error])
        assert response.status_code >= 400, response.status_code
    else:
        response = case.call_and_validate(app=app, headers=headers)
        if admits is not None and role not in admits:
            assert response.status_code >= 400, response.status_code
    STATUSES.setdefault(role or "no key", Counter())[response.status_code] += 1
