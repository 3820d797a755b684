"""Environment settings of the service, read lazily through the cached ``get_settings()``.

Every field reads the environment variable of the same name in upper case
(``DATABASE_URL``, ``MODEL_URI``, ``SCREENER_ENV``...). Nothing is read at import.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_MODEL_URI", "ServiceSettings", "get_settings"]

DEFAULT_MODEL_URI = "models:/concern-screener@champion"


class ServiceSettings(BaseSettings):
    """How the API runs: where the audit trail and the model live, and its limits."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", protected_namespaces=())

    #: The audit trail: a local SQLite file by default, PostgreSQL by URL.
    database_url: str = "sqlite:///audit.db"
    #: The model served. ``models:/NAME@ALIAS`` or ``models:/NAME/VERSION``; ``fake:`` (with
    #: optional ``?cost_ms=0.5&version=1&past_contacts=1``) serves the deterministic test scorer.
    model_uri: str = DEFAULT_MODEL_URI
    mlflow_tracking_uri: str = "sqlite:///mlflow.db"
    #: Where the last model loaded from the registry is kept, verified, as a fallback
    #: (unset: no copy is kept).
    model_cache_dir: str | None = None
    #: When the registry cannot give the model at start or on reload: ``refuse`` (no model,
    #: 503 until a reload succeeds) or ``last_known_good`` (serve the copy in
    #: ``MODEL_CACHE_DIR``, verified again like the registry's, and say so in /v1/model
    #: and /readyz). A registry model that fails verification is refused either way.
    model_fallback: Literal["refuse", "last_known_good"] = "refuse"
    #: Serve only a model whose manifest is signed by a key of the deployment's
    #: model-signing ring (``SCREENER_MODEL_SIGNING_KEYS`` or ``SCREENER_SECRETS_FILE``).
    #: ``false`` also accepts an unsigned version whose files match the registry's manifest,
    #: or, registered before manifests, whose joblib matches the registry's digest (its
    #: pickled wrapper is never loaded): for a development store only.
    model_require_signature: bool = True
    #: Bounds on each call to an MLflow tracking server (MLflow's own default retries with
    #: backoff for minutes); the MLFLOW_HTTP_REQUEST_* variables win when set.
    registry_timeout_seconds: float = Field(default=10.0, gt=0)
    registry_max_retries: int = Field(default=1, ge=0, le=10)
    #: ``production`` refuses to start without the session and audit-hash key rings from the
    #: deployment; ``development`` writes a local owner-only secrets file when none is given
    #: (``serving.deployment``). Never a secret in the audit database either way.
    screener_env: Literal["development", "production"] = "development"
    #: Keys that sign the screener page's session cookies, comma-separated: the first signs,
    #: every one verifies (rotation: put the new key first). At least 32 characters each.
    screener_session_keys: SecretStr | None = None
    #: Keys of the keyed hash (HMAC-SHA256) of concern text in the audit trail,
    #: comma-separated: the first hashes new records; older ones are kept only to check old
    #: hashes by hand.
    screener_audit_hash_keys: SecretStr | None = None
    #: An owner-only TOML file with ``session_keys``, ``audit_hash_keys`` (and
    #: ``model_signing_keys``) lists, read where the variables above are unset. In
    #: development it is written when no ring is given (default ``./.screener-secrets.toml``).
    screener_secrets_file: str | None = None
    #: Deprecated: one audit-hash key, read as a one-key ring when
    #: ``SCREENER_AUDIT_HASH_KEYS`` is unset (in place of the file's ``audit_hash_keys``).
    #: Production wants it 32 characters or more.
    audit_hash_key: SecretStr | None = None
    #: A page session nobody used for this long has ended (sign in again), in minutes.
    session_idle_minutes: float = Field(default=30.0, gt=0, le=8 * 60)
    #: The longest a request waits for the audit trail (the writers' lock, SQLite's lock,
    #: a PostgreSQL lock, a pooled connection) before it is refused with 503,
    #: in seconds. /readyz answers within it too.
    audit_timeout_seconds: float = Field(default=1.5, gt=0, le=60)
    #: Proxies whose ``X-Forwarded-Proto``/``X-Forwarded-For`` are believed (uvicorn's
    #: proxy headers in ``screener serve``): comma-separated IPs or networks, ``*`` for any.
    #: Behind a trusted TLS proxy the session cookie is ``Secure``; anyone else's headers
    #: are ignored.
    forwarded_allow_ips: str = "127.0.0.1"
    #: Keep the redacted text of each contact (and decision notes) in the audit trail.
    audit_store_redacted_text: bool = False
    #: Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0)
    #: How long a verified API key is trusted without asking the database again, in
    #: seconds. A revoked key stops working within this time.
    key_cache_seconds: float = Field(default=5.0, ge=0)
    #: How often each worker checks whether another worker reloaded the model, in seconds
    #: (0 disables the check; a reload then only reaches the worker that received it).
    reload_poll_seconds: float = Field(default=5.0, ge=0)
    #: Threads per worker that run the model. 0 runs it on the event loop: the fewest GIL
    #: hand-offs, best when each worker has its own core and scoring takes a few ms;
    #: while a contact is scored, that worker answers nothing else (not even /healthz).
    #: 1 keeps the loop responsive at the cost of a thread hop per request. More only help
    #: a model that releases the GIL.
    scoring_threads: int = Field(default=1, ge=0, le=64)
    #: Contacts per minute allowed to each API key (a token bucket with bursts up to this
    #: many; a request counts one, a batch one per item, and a batch above this many waits
    #: for a full bucket and leaves the key in debt), 429 with ``Retry-After`` above it; 0
    #: turns the limit off. Kept per worker: with N workers a key may get up to N times this.
    rate_limit_per_minute: int = Field(default=600, ge=0)
    #: Refuse to start when the model cannot be loaded (otherwise start, report 503 on
    #: /readyz and on scoring until /v1/admin/reload succeeds).
    require_model: bool = False
    #: Run Alembic migrations to head at start.
    auto_migrate: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: Serve the API's documentation page, /docs (Swagger UI, its assets from this service,
    #: under a content security policy; ``serving.docs``). ``false`` turns it off, e.g. in
    #: production; /openapi.json is served either way.
    docs_enabled: bool = True
    #: Past contacts among the similar examples beside a score (decision 0028): ``off``
    #: shows guidance examples only; ``on`` shows past contacts too, where the model
    #: version indexed them (its ``similar.past_contacts``, allowed by the DPIA).
    similar_past_contacts: Literal["off", "on"] = "off"


@lru_cache(maxsize=1)
def get_settings() -> ServiceSettings:
    """The process's settings, read from the environment once."""
    return ServiceSettings()
