from __future__ import annotations

import time
from pathlib import Path

import pytest

from serving.audit.db import make_engine
from serving.audit.migrations import current_revision, head_revision, upgrade_to_head
from serving.keys import create_key, list_keys, revoke_key
from serving.security import KeyVerifier, hash_key, new_key, parse_key_id


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    e = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade_to_head(e)
    yield e
    e.dispose()


def test_keys_have_a_public_id_and_high_entropy_secret() -> None:
    key_id, key = new_key()
    assert key.startswith(f"cs_{key_id}_") and len(key) > 50
    assert parse_key_id(key) == key_id
    assert parse_key_id("cs_nothex_abc") is None
    assert new_key()[1] != key


def test_only_the_hash_is_stored(engine) -> None:  # type: ignore[no-untyped-def]
    key_id, key = create_key("auditor", engine=engine, label="Ann")
    [row] = list_keys(engine=engine)
    assert row.key_id == key_id and row.role == "auditor" and row.label == "Ann"
    assert row.key_hash == hash_key(key) and key not in row.key_hash


def test_unknown_role_is_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        create_key("root", engine=engine)


def test_verifier_accepts_valid_keys_and_refuses_forged_ones(engine) -> None:  # type: ignore[no-untyped-def]
    key_id, key = create_key("screener", engine=engine)
    v = KeyVerifier(engine=engine, ttl_seconds=60)
    p = v.verify(key)
    assert p is not None and (p.key_id, p.role) == (key_id, "screener")
    assert v.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert v.verify(f"cs_{key_id}_" + "x" * 43) is None
    assert v.verify("") is None


def test_revocation_takes_effect_within_the_cache_ttl(engine) -> None:  # type: ignore[no-untyped-def]
    key_id, key = create_key("screener", engine=engine)
    v = KeyVerifier(engine=engine, ttl_seconds=0.2)
    assert v.verify(key) is not None
    assert revoke_key(key_id, engine=engine)
    assert v.cached(key) is not None  # still trusted inside the TTL
    time.sleep(0.25)
    assert v.cached(key) is None
    assert v.verify(key) is None
    assert not revoke_key(key_id, engine=engine)


def test_migrations_are_idempotent(engine) -> None:  # type: ignore[no-untyped-def]
    assert current_revision(engine) == head_revision()
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
