"""Key rings from the deployment: environment first, then an owner-only secrets file; weak
keys and readable files refused; the first key signs, all verify; keys never printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from training.secrets import SecretsError, key_ring, write_secrets_file

STRONG = "k" * 40
OLDER = "o" * 40


def test_no_ring_is_none() -> None:
    assert key_ring("session", {}) is None


def test_the_environment_gives_a_ring_whose_first_key_signs() -> None:
    ring = key_ring("session", {"SCREENER_SESSION_KEYS": f"{STRONG}, {OLDER}"})
    assert ring is not None and ring.current == STRONG.encode() and len(ring.keys) == 2
    assert STRONG not in repr(ring) and "env:SCREENER_SESSION_KEYS" in repr(ring)


def test_a_short_key_is_refused_saying_where() -> None:
    with pytest.raises(SecretsError, match="SCREENER_AUDIT_HASH_KEYS.*at least 32"):
        key_ring("audit_hash", {"SCREENER_AUDIT_HASH_KEYS": "short"})


def test_the_file_gives_every_ring_and_the_environment_wins(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    assert write_secrets_file(path) and not write_secrets_file(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    env = {"SCREENER_SECRETS_FILE": str(path)}
    rings = {r: key_ring(r, env) for r in ("session", "audit_hash", "model_signing")}
    assert all(r is not None for r in rings.values())
    assert len({r.current for r in rings.values() if r}) == 3
    over = key_ring("model_signing", {**env, "SCREENER_MODEL_SIGNING_KEYS": STRONG})
    assert over is not None and over.current == STRONG.encode()


def test_a_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    write_secrets_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(SecretsError, match="read by others"):
        key_ring("session", {"SCREENER_SECRETS_FILE": str(path)})


@pytest.mark.parametrize(
    ("body", "match"),
    [("session_keys = 'x'", "list of strings"), ("session_keys = [", "not a readable TOML")],
)
def test_a_malformed_file_is_refused(tmp_path: Path, body: str, match: str) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(body)
    os.chmod(path, 0o600)
    with pytest.raises(SecretsError, match=match):
        key_ring("session", {"SCREENER_SECRETS_FILE": str(path)})
