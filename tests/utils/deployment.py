"""Key rings for the serving tests (never a deployment's): sessions and the audit hash
come from the deployment (decision 0025), so every test service gets them here."""

from __future__ import annotations

from typing import Final

SESSION_KEY: Final = "test-session-key-0123456789abcdefghijklmnopqrs"
OLD_SESSION_KEY: Final = "test-session-key-old-9876543210zyxwvutsrqpon"
HASH_KEY: Final = "test-audit-hash-key-0123456789abcdefghijklmnop"
OLD_HASH_KEY: Final = "test-audit-hash-key-old-9876543210zyxwvutsrq"
#: What a test server's environment holds: one session key and one audit-hash key.
SECRETS_ENV: Final = {
    "SCREENER_SESSION_KEYS": SESSION_KEY,
    "SCREENER_AUDIT_HASH_KEYS": HASH_KEY,
}
