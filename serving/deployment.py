"""The service's secrets, from the deployment and never from the data (decision 0025).

Two key rings: ``session`` signs the screener page's session cookies and ``audit_hash``
keys the hash of concern text in the audit trail. Each is read by ``training.secrets``
(``SCREENER_SESSION_KEYS``, ``SCREENER_AUDIT_HASH_KEYS``, or the owner-only file named by
``SCREENER_SECRETS_FILE``); the deprecated ``AUDIT_HASH_KEY`` is a one-key audit-hash
ring in place of the file's. The first key of a ring signs or hashes, every key of the
session ring verifies a cookie, and older audit-hash keys are kept only to check old
hashes by hand.

``SCREENER_ENV=production`` refuses to start without both rings. In development, when a
ring is missing, a local owner-only secrets file is written (``./.screener-secrets.toml``
unless ``SCREENER_SECRETS_FILE`` names another) and used; the log says so, never a key.

Earlier versions kept generated keys in the audit database's ``settings`` table, where
anyone who could read the database could forge a page session or test guesses of
concern text against the trail. :func:`remove_database_secrets` deletes those rows.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import Engine

from serving.audit import store
from serving.settings import ServiceSettings
from training.secrets import (
    MIN_KEY_CHARS,
    KeyRing,
    Ring,
    SecretsError,
    key_ring,
    write_secrets_file,
)

__all__ = [
    "DEFAULT_SECRETS_FILE",
    "LEGACY_SECRET_SETTINGS",
    "DeploymentError",
    "ServiceSecrets",
    "remove_database_secrets",
    "resolve_secrets",
]

log = logging.getLogger("serving")

DEFAULT_SECRETS_FILE: Final = ".screener-secrets.toml"
#: Rows of the ``settings`` table that held secrets before decision 0025.
SESSION_SETTING: Final = "page_session_key"
HASH_SETTING: Final = "audit_hash_key"
LEGACY_SECRET_SETTINGS: Final = (SESSION_SETTING, HASH_SETTING)


class DeploymentError(RuntimeError):
    """The deployment's secrets are missing or unusable: one line, naming no key."""


@dataclass(frozen=True, slots=True)
class ServiceSecrets:
    """The rings a worker signs, verifies and hashes with."""

    session: KeyRing
    audit_hash: KeyRing


def _environ(cfg: ServiceSettings, secrets_file: str | None) -> dict[str, str]:
    """What ``training.secrets.key_ring`` reads, from the typed settings."""
    env: dict[str, str] = {}
    if cfg.screener_session_keys is not None:
        env["SCREENER_SESSION_KEYS"] = cfg.screener_session_keys.get_secret_value()
    if cfg.screener_audit_hash_keys is not None:
        env["SCREENER_AUDIT_HASH_KEYS"] = cfg.screener_audit_hash_keys.get_secret_value()
    if secrets_file:
        env["SCREENER_SECRETS_FILE"] = secrets_file
    return env


def _rings(cfg: ServiceSettings, secrets_file: str | None) -> dict[Ring, KeyRing | None]:
    env = _environ(cfg, secrets_file)
    rings: dict[Ring, KeyRing | None] = {}
    try:
        rings["session"] = key_ring("session", env)
        if "SCREENER_AUDIT_HASH_KEYS" not in env and cfg.audit_hash_key is not None:
            rings["audit_hash"] = _legacy_hash_ring(cfg)
        else:
            rings["audit_hash"] = key_ring("audit_hash", env)
    except SecretsError as exc:
        raise DeploymentError(str(exc)) from None
    return rings


def _legacy_hash_ring(cfg: ServiceSettings) -> KeyRing:
    assert cfg.audit_hash_key is not None
    key = cfg.audit_hash_key.get_secret_value().strip()
    if not key:
        raise DeploymentError("AUDIT_HASH_KEY is empty")
    if cfg.screener_env == "production" and len(key) < MIN_KEY_CHARS:
        raise DeploymentError(
            f"AUDIT_HASH_KEY has {len(key)} characters, at least {MIN_KEY_CHARS} are needed "
            "in production (better: SCREENER_AUDIT_HASH_KEYS)"
        )
    return KeyRing("audit_hash", (key.encode("utf-8"),), "env:AUDIT_HASH_KEY (deprecated)")


def resolve_secrets(cfg: ServiceSettings) -> ServiceSecrets:
    """The session and audit-hash rings of this deployment.

    Production: both must be given, else :class:`DeploymentError`. Development: when one
    is missing, the local secrets file is written (unless it exists) and read."""
    named = cfg.screener_secrets_file
    if named and cfg.screener_env == "development" and not Path(named).exists():
        named = None  # written below, if a ring is missing from the environment
    rings = _rings(cfg, named)
    missing = [name for name, ring in rings.items() if ring is None]
    if missing and cfg.screener_env == "production":
        raise DeploymentError(
            "SCREENER_ENV=production needs the "
            + " and ".join(f"{m} key ring (SCREENER_{m.upper()}_KEYS)" for m in missing)
            + " or SCREENER_SECRETS_FILE with "
            + ", ".join(f"{m}_keys" for m in missing)
        )
    if missing:
        path = Path(cfg.screener_secrets_file or DEFAULT_SECRETS_FILE)
        try:
            wrote = write_secrets_file(path)
        except FileExistsError:  # another worker wrote it a moment ago
            wrote = False
        except OSError as exc:
            raise DeploymentError(
                f"no {' or '.join(missing)} key ring, and the development secrets file "
                f"{path} could not be written ({exc.strerror or exc})"
            ) from None
        if wrote:
            log.warning(
                "no %s key ring configured: wrote a local secrets file for development at "
                "%s (owner-only; a production deployment gives its own rings)",
                " or ".join(missing),
                path.resolve(),
            )
        rings = _rings(cfg, str(path))
        still = [name for name, ring in rings.items() if ring is None]
        if still:
            raise DeploymentError(f"{path} has no " + " or ".join(f"{m}_keys" for m in still))
    session, audit_hash = rings["session"], rings["audit_hash"]
    assert session is not None and audit_hash is not None
    return ServiceSecrets(session=session, audit_hash=audit_hash)


def remove_database_secrets(secrets: ServiceSecrets, *, engine: Engine) -> list[str]:
    """Delete the secrets earlier versions kept in the ``settings`` table, saying so in a
    warning; returns the names removed. Old sessions signed with the removed key have
    ended. Audit hashes written before were made with the removed hash key: unless that
    key was copied into the audit-hash ring before this start, they can no longer be
    matched to a text (they stay in the trail as they are)."""
    removed = store.delete_settings(LEGACY_SECRET_SETTINGS, engine=engine)
    if not removed:
        return []
    old_hash = removed.get(HASH_SETTING)
    if old_hash is None:
        hashes = "no audit-hash key was stored"
    elif any(hmac.compare_digest(old_hash.encode("utf-8"), k) for k in secrets.audit_hash.keys):
        hashes = "the removed audit-hash key is in the deployment's ring, old hashes still verify"
    else:
        hashes = (
            "audit hashes written before were made with the removed key and can no longer "
            "be checked against a text"
        )
    log.warning(
        "removed secrets the audit database held: %s; page sessions signed with them have "
        "ended; %s",
        ", ".join(sorted(removed)),
        hashes,
    )
    return sorted(removed)
