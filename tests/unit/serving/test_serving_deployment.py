from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from serving.deployment import DeploymentError, resolve_secrets
from serving.settings import ServiceSettings
from tests.utils.deployment import HASH_KEY, OLD_HASH_KEY, OLD_SESSION_KEY, SESSION_KEY


@pytest.fixture
def no_rings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No ring in the environment, and the working directory a fresh folder (where the
    development file goes by default)."""
    for name in ("SCREENER_SESSION_KEYS", "SCREENER_AUDIT_HASH_KEYS", "SCREENER_SECRETS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rings_from_the_environment_first_key_signs_every_key_kept() -> None:
    secrets = resolve_secrets(
        ServiceSettings(
            screener_session_keys=f"{SESSION_KEY},{OLD_SESSION_KEY}",
            screener_audit_hash_keys=f"{HASH_KEY},{OLD_HASH_KEY}",
            screener_env="production",
        )
    )
    assert secrets.session.current == SESSION_KEY.encode()
    assert secrets.session.keys[1] == OLD_SESSION_KEY.encode()
    assert secrets.audit_hash.current == HASH_KEY.encode() and len(secrets.audit_hash.keys) == 2
    assert SESSION_KEY not in repr(secrets) and HASH_KEY not in repr(secrets)


@pytest.mark.parametrize("given", [{}, {"screener_session_keys": SESSION_KEY}])
def test_production_refuses_to_start_without_both_rings_in_one_line(
    no_rings: Path, given: dict[str, str]
) -> None:
    with pytest.raises(DeploymentError) as caught:
        resolve_secrets(ServiceSettings(screener_env="production", **given))
    message = str(caught.value)
    assert "SCREENER_AUDIT_HASH_KEYS" in message and "\n" not in message
    assert ("SCREENER_SESSION_KEYS" in message) == (not given)
    assert not list(no_rings.iterdir()), "production writes no secrets file"


def test_development_writes_an_owner_only_file_once_and_says_so_without_the_key(
    no_rings: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="serving"):
        first = resolve_secrets(ServiceSettings())
    path = no_rings / ".screener-secrets.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.session.origin == ".screener-secrets.toml"
    assert "wrote a local secrets file" in caplog.text and str(path) in caplog.text
    assert first.session.current.decode() not in caplog.text
    assert first.audit_hash.current.decode() not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="serving"):
        again = resolve_secrets(ServiceSettings())
    assert again == first and "wrote" not in caplog.text


def test_development_writes_where_screener_secrets_file_says(no_rings: Path) -> None:
    path = no_rings / "deploy" / "secrets.toml"
    secrets = resolve_secrets(ServiceSettings(screener_secrets_file=str(path)))
    assert path.exists() and secrets.audit_hash.origin == str(path)
    assert not (no_rings / ".screener-secrets.toml").exists()


def test_a_secrets_file_others_can_read_is_refused(no_rings: Path) -> None:
    path = no_rings / "secrets.toml"
    path.write_text(f'session_keys = ["{SESSION_KEY}"]\naudit_hash_keys = ["{HASH_KEY}"]\n')
    path.chmod(0o644)
    with pytest.raises(DeploymentError, match="chmod 600"):
        resolve_secrets(ServiceSettings(screener_secrets_file=str(path)))


def test_audit_hash_key_is_a_deprecated_one_key_ring_the_new_variable_beats(
    no_rings: Path,
) -> None:
    legacy = "legacy-audit-hash-key-0123456789abcdef"
    secrets = resolve_secrets(
        ServiceSettings(screener_session_keys=SESSION_KEY, audit_hash_key=legacy)
    )
    assert secrets.audit_hash.keys == (legacy.encode(),)
    assert "deprecated" in secrets.audit_hash.origin
    both = resolve_secrets(
        ServiceSettings(
            screener_session_keys=SESSION_KEY,
            screener_audit_hash_keys=HASH_KEY,
            audit_hash_key=legacy,
        )
    )
    assert both.audit_hash.keys == (HASH_KEY.encode(),)


def test_production_wants_a_long_deprecated_audit_hash_key(no_rings: Path) -> None:
    with pytest.raises(DeploymentError, match="AUDIT_HASH_KEY has 5 characters"):
        resolve_secrets(
            ServiceSettings(
                screener_env="production", screener_session_keys=SESSION_KEY, audit_hash_key="short"
            )
        )


def test_a_weak_key_in_the_environment_is_refused_naming_the_variable() -> None:
    with pytest.raises(DeploymentError, match="SCREENER_SESSION_KEYS.*at least 32"):
        resolve_secrets(ServiceSettings(screener_session_keys="short"))
