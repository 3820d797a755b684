"""Secrets that come from the deployment, never from a database or an artifact.

Three key rings: ``session`` (signs the screener page's session cookies), ``audit_hash``
(the keyed hash of concern text in the audit trail) and ``model_signing`` (signs the
manifest of a model's files at registration; the service verifies it before it unpickles
anything). Each ring is read from, in order:

1. the environment: ``SCREENER_SESSION_KEYS``, ``SCREENER_AUDIT_HASH_KEYS``,
   ``SCREENER_MODEL_SIGNING_KEYS`` (keys separated by commas);
2. the secrets file named by ``SCREENER_SECRETS_FILE``, a TOML file with
   ``session_keys = [...]``, ``audit_hash_keys = [...]``, ``model_signing_keys = [...]``
   (readable by its owner only: a file others can read is refused).

**Rotation**: the first key of a ring signs, every key verifies. Put the new key first and
keep the old one behind it until nothing signed with it is still needed (an 8-hour session,
a registered model re-signed with ``screener verify --resign``), then drop it.

``make demo`` writes a local secrets file (:func:`write_secrets_file`); production refuses
to start without the rings it needs (``serving.deployment``).
"""

from __future__ import annotations

import os
import secrets
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

__all__ = [
    "MIN_KEY_CHARS",
    "RINGS",
    "KeyRing",
    "SecretsError",
    "key_ring",
    "write_secrets_file",
]

Ring = Literal["session", "audit_hash", "model_signing"]
RINGS: Final[tuple[Ring, ...]] = ("session", "audit_hash", "model_signing")
#: A key shorter than this is refused (32 characters of ``secrets.token_urlsafe`` carry
#: about 190 bits).
MIN_KEY_CHARS: Final = 32
FILE_ENV: Final = "SCREENER_SECRETS_FILE"


class SecretsError(ValueError):
    """A key ring is malformed, too weak, or its file is readable by others."""


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The keys of one ring: ``current`` signs, every one of ``keys`` verifies."""

    name: str
    keys: tuple[bytes, ...]
    #: where the ring was read from (``env:NAME`` or the file's path): said on start, never
    #: the keys themselves
    origin: str

    @property
    def current(self) -> bytes:
        return self.keys[0]

    def __repr__(self) -> str:  # never print a key
        return f"KeyRing({self.name!r}, {len(self.keys)} key(s) from {self.origin})"


def _env_name(ring: Ring) -> str:
    return f"SCREENER_{ring.upper()}_KEYS"


def _checked(ring: Ring, raw: list[str], origin: str) -> KeyRing:
    keys = [k.strip() for k in raw if k.strip()]
    if not keys:
        raise SecretsError(f"{origin}: the {ring} key ring is empty")
    for i, key in enumerate(keys):
        if len(key) < MIN_KEY_CHARS:
            raise SecretsError(
                f"{origin}: {ring} key {i + 1} has {len(key)} characters, "
                f"at least {MIN_KEY_CHARS} are needed"
            )
    return KeyRing(ring, tuple(k.encode("utf-8") for k in keys), origin)


def _read_file(path: Path) -> dict[str, object]:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SecretsError(f"{FILE_ENV}={path}: {exc.strerror or exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretsError(
            f"{FILE_ENV}={path}: the file can be read by others (mode {stat.filemode(mode)}); "
            "chmod 600 it"
        )
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SecretsError(f"{FILE_ENV}={path}: not a readable TOML file ({exc})") from None


def key_ring(ring: Ring, environ: dict[str, str] | None = None) -> KeyRing | None:
    """The ring named ``ring`` from the environment or the secrets file, or None when the
    deployment gives none. Raises :class:`SecretsError` on a weak key or a bad file."""
    env = os.environ if environ is None else environ
    name = _env_name(ring)
    if env.get(name, "").strip():
        return _checked(ring, env[name].split(","), f"env:{name}")
    file = env.get(FILE_ENV, "").strip()
    if not file:
        return None
    data = _read_file(Path(file))
    value = data.get(f"{ring}_keys")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SecretsError(f"{FILE_ENV}={file}: {ring}_keys must be a list of strings")
    return _checked(ring, list(value), file)


def write_secrets_file(path: Path) -> bool:
    """Write a secrets file with a fresh key for every ring, owner-readable only, unless
    one exists (returns whether it wrote). For a local demo; a deployment keeps its own."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f'{ring}_keys = ["{secrets.token_urlsafe(48)}"]' for ring in RINGS]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# concern-screener secrets: the first key of a ring signs, all verify\n")
        fh.write("\n".join(lines) + "\n")
    return True
