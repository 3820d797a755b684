"""The signed manifest of a registered model's files: a trust root outside the artifact store.

At registration every file of the model's artifact folder is digested into a manifest
(relative path -> SHA-256) bound to the registered name and version, and its canonical JSON
is signed with HMAC-SHA256 under the deployment's model-signing key
(``training.secrets.key_ring("model_signing")``). Manifest and signature are kept on the
registry version (tags), never in the artifact folder: whoever can write the artifact store
can change a file and rewrite ``MLmodel``, but cannot make the result verify.

Before anything of a model is unpickled, :func:`verify_folder` checks the signature and then
every file of a private copy of the folder: a changed, missing or extra file is refused by
name. Nothing here imports MLflow; ``training.model.pyfunc`` fetches and loads, the
registry (``training.lifecycle.registry``) signs, the service (``serving.model_store``)
loads through the same functions.

**Rotation**: the first key of the ring signs, every key verifies; ``screener verify
--version N --resign`` re-signs a version that verifies with the current key
(docs/decisions/0024-signed-model-manifest.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from training.secrets import KeyRing

__all__ = [
    "ARTIFACT_RELPATH",
    "MANIFEST_ARTIFACT_TAG",
    "MANIFEST_SHA256_TAG",
    "MANIFEST_TAG",
    "MANIFEST_TAG_LIMIT",
    "MLFLOW_WRITTEN",
    "SIGNATURE_TAG",
    "ArtifactIntegrityError",
    "Manifest",
    "SignatureError",
    "SignedRecord",
    "Verification",
    "build_manifest",
    "check_files",
    "check_signature",
    "digest_folder",
    "file_sha256",
    "key_id",
    "record_from_tags",
    "record_tags",
    "sign",
    "verify_folder",
]

FORMAT: Final = 1
#: Version tags: the manifest's canonical JSON (when it fits), its SHA-256 (always) and the
#: signature (absent on a version registered without a signing key).
MANIFEST_TAG: Final = "model_manifest"
MANIFEST_SHA256_TAG: Final = "model_manifest_sha256"
SIGNATURE_TAG: Final = "model_signature"
#: When the manifest is too long for a tag: the run artifact holding it (the signature and
#: the SHA-256 tag cover it, so where it is stored does not matter).
MANIFEST_ARTIFACT_TAG: Final = "model_manifest_artifact"
#: Longest manifest kept in a tag. MLflow 3.x accepts 100,000 characters in a model version
#: tag, but servers migrated before 3.2 keep 5,000; the artifact path covers the rest.
MANIFEST_TAG_LIMIT: Final = 5000
#: Written by MLflow itself into a local artifact store when a ``models:/`` URI is loaded
#: without a destination (the model's name and version; MLflow never reads it back). Left
#: out of the manifest, and deleted from a verified copy before it is loaded.
MLFLOW_WRITTEN: Final = frozenset({"registered_model_meta"})
#: Where the fitted model lives inside the artifact folder.
ARTIFACT_RELPATH: Final = "artifacts/screener.joblib"
_SCHEME: Final = "hmac-sha256"


class ArtifactIntegrityError(RuntimeError):
    """A model file is missing, changed or unexpected, or its digest differs from the one
    registered: nothing of it is unpickled."""


class SignatureError(ArtifactIntegrityError):
    """The version's manifest is unsigned (where a signature is required), its signature
    does not verify under any key of the ring, or it names another version."""


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The files of one registered version: relative POSIX path -> SHA-256."""

    name: str
    version: str
    files: Mapping[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        """The canonical JSON that is signed: sorted keys, no spaces, UTF-8."""
        doc = {
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload()).hexdigest()

    @classmethod
    def parse(cls, payload: bytes | str) -> Manifest:
        """A manifest from its canonical JSON; ArtifactIntegrityError when it is not one."""
        try:
            doc = json.loads(payload)
            files = doc["files"]
            ok = (
                doc["format"] == FORMAT
                and isinstance(doc["name"], str)
                and isinstance(doc["version"], str)
                and isinstance(files, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
            )
        except (ValueError, TypeError, KeyError):
            ok = False
        if not ok:
            raise ArtifactIntegrityError("the version's model manifest is not readable")
        return cls(doc["name"], doc["version"], files)


def _walk(folder: Path) -> dict[str, Path]:
    """Every entry under ``folder`` that is not a directory, by relative POSIX path; a
    symlink, device or pipe is refused (only regular files can be digested and loaded)."""
    found: dict[str, Path] = {}
    for root, dirs, names in os.walk(folder, followlinks=False):
        for d in dirs:
            if os.path.islink(os.path.join(root, d)):
                names.append(d)
        for name in names:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if rel in MLFLOW_WRITTEN:
                continue
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                raise ArtifactIntegrityError(f"model file {rel} is not a regular file; refusing it")
            found[rel] = path
    return found


def digest_folder(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (but MLflow's own ``registered_model_meta``)."""
    return {rel: file_sha256(path) for rel, path in sorted(_walk(Path(folder)).items())}


def build_manifest(folder: Path, *, name: str, version: str) -> Manifest:
    """The manifest of a model folder as registered under ``name`` and ``version``."""
    files = digest_folder(folder)
    if not files:
        raise ArtifactIntegrityError(f"{folder} holds no model files")
    return Manifest(name, str(version), files)


def key_id(key: bytes) -> str:
    """A short public name of a key (which key signed), from which the key cannot be had."""
    return hashlib.sha256(b"concern-screener model-signing key id\x00" + key).hexdigest()[:12]


def _mac(key: bytes, manifest: Manifest) -> str:
    return hmac.new(key, manifest.payload(), hashlib.sha256).hexdigest()


def sign(manifest: Manifest, ring: KeyRing) -> str:
    """``hmac-sha256:<key id>:<hex>`` over the manifest's canonical JSON, with the ring's
    current key."""
    return f"{_SCHEME}:{key_id(ring.current)}:{_mac(ring.current, manifest)}"


def check_signature(manifest: Manifest, signature: str, ring: KeyRing) -> str:
    """The id of the key that signed ``manifest``; SignatureError when no key of the ring
    did (a forged or damaged signature, or a key since dropped from the ring)."""
    scheme, _, rest = signature.partition(":")
    kid, _, mac = rest.partition(":")
    if scheme != _SCHEME or not kid or len(mac) != 64:
        raise SignatureError("the version's model signature is malformed; refusing the model")
    for key in ring.keys:
        if hmac.compare_digest(_mac(key, manifest), mac):
            return key_id(key)
    known = kid in {key_id(k) for k in ring.keys}
    raise SignatureError(
        f"the model signature does not verify under key {kid}"
        + ("" if known else " (a key this deployment's model-signing ring does not hold)")
        + ": the manifest or the signature was changed after registration; refusing the model"
    )


def check_files(folder: Path, manifest: Manifest) -> None:
    """Every file under ``folder`` is in ``manifest`` with its digest, and every file of
    the manifest is there; ArtifactIntegrityError naming every file that is not."""
    present = _walk(Path(folder))
    added = sorted(present.keys() - manifest.files.keys())
    missing = sorted(manifest.files.keys() - present.keys())
    changed = sorted(
        rel
        for rel, expected in manifest.files.items()
        if rel in present and not hmac.compare_digest(file_sha256(present[rel]), expected)
    )
    parts = []
    if changed:
        parts.append(f"{', '.join(changed)} changed after registration")
    if added:
        parts.append(f"{', '.join(added)} added after registration (not in the manifest)")
    if missing:
        parts.append(f"{', '.join(missing)} missing")
    if parts:
        raise ArtifactIntegrityError(
            f"model files differ from the signed manifest: {'; '.join(parts)}; refusing the model"
        )


@dataclass(frozen=True)
class SignedRecord:
    """What the registry holds about a version's files: its manifest (None for a version
    registered before manifests) and signature (None when registered without a key), and
    the legacy joblib digest (``artifact_sha256``) of versions without a manifest."""

    manifest: Manifest | None
    signature: str | None
    legacy_sha256: str | None = None


def record_tags(manifest: Manifest, signature: str | None) -> dict[str, str]:
    """The version tags that record ``manifest`` and ``signature``. Without
    ``MANIFEST_TAG`` (too long) the caller stores the payload as an artifact and tags
    ``MANIFEST_ARTIFACT_TAG`` with its path."""
    payload = manifest.payload().decode("utf-8")
    tags = {MANIFEST_SHA256_TAG: manifest.sha256}
    if len(payload) <= MANIFEST_TAG_LIMIT:
        tags[MANIFEST_TAG] = payload
    if signature is not None:
        tags[SIGNATURE_TAG] = signature
    return tags


def record_from_tags(
    tags: Mapping[str, str], *, fetch_artifact: Callable[[str], bytes] | None = None
) -> SignedRecord:
    """The record a version's tags hold; ``fetch_artifact`` reads a run artifact by path
    when the manifest was too long for a tag. ArtifactIntegrityError when the manifest
    is unreadable or differs from its recorded SHA-256."""
    recorded = tags.get(MANIFEST_SHA256_TAG)
    if not recorded:
        return SignedRecord(None, None, tags.get("artifact_sha256") or None)
    payload: bytes | None = None
    if tags.get(MANIFEST_TAG):
        payload = tags[MANIFEST_TAG].encode("utf-8")
    elif tags.get(MANIFEST_ARTIFACT_TAG) and fetch_artifact is not None:
        payload = fetch_artifact(tags[MANIFEST_ARTIFACT_TAG])
    if payload is None:
        raise ArtifactIntegrityError("the version's model manifest cannot be found")
    if not hmac.compare_digest(hashlib.sha256(payload).hexdigest(), recorded):
        raise ArtifactIntegrityError(
            "the version's model manifest differs from its recorded digest; refusing the model"
        )
    return SignedRecord(Manifest.parse(payload), tags.get(SIGNATURE_TAG) or None)


@dataclass(frozen=True)
class Verification:
    """What vouched for a model folder.

    ``kind``: ``signed`` (the signature verified under key ``signed_by`` and every file
    matched), ``manifest`` (unsigned, allowed: every file matched the registry's manifest),
    ``legacy`` (a version from before manifests, allowed: only the joblib is trusted, by
    the registry's ``artifact_sha256``, and nothing else of the folder is read)."""

    kind: Literal["signed", "manifest", "legacy"]
    name: str
    version: str
    signed_by: str | None = None
    manifest: Manifest | None = None
    #: The signature as recorded (kept with a last-known-good copy, checked again there).
    signature: str | None = None
    legacy_sha256: str | None = None

    def describe(self) -> str:
        """One line saying what vouched for the files."""
        if self.kind == "signed" and self.manifest is not None:
            n = len(self.manifest.files)
            return f"signed with key {self.signed_by}; {n} files match the signed manifest"
        if self.kind == "manifest":
            return "NOT SIGNED: its files match the registry's manifest, but no key vouches for it"
        return "NOT SIGNED: registered before signed manifests; only its joblib digest is checked"


def verify_folder(
    folder: Path,
    record: SignedRecord,
    *,
    name: str,
    version: str,
    ring: KeyRing | None,
    require_signature: bool,
) -> Verification:
    """Check ``folder`` (a private copy of the version's artifact folder) against its
    registry record before anything in it is unpickled; raise SignatureError or
    ArtifactIntegrityError (naming the file) when it does not hold.

    With ``require_signature`` only a signature by a key of ``ring`` is accepted; without,
    an unsigned manifest still has every file checked, and a version from before manifests
    is accepted as ``legacy`` (its joblib alone is checked when loaded)."""
    where = f"{name} version {version}"
    manifest = record.manifest
    if manifest is None:
        if require_signature:
            raise SignatureError(
                f"{where} has no signed manifest (registered before model signing); "
                "refusing it: retrain it, or allow unsigned models (MODEL_REQUIRE_SIGNATURE=false)"
            )
        if not record.legacy_sha256:
            raise ArtifactIntegrityError(f"{where} has no recorded digest; refusing it")
        return Verification("legacy", name, version, legacy_sha256=record.legacy_sha256)
    if (manifest.name, manifest.version) != (name, str(version)):
        raise SignatureError(
            f"the manifest recorded on {where} is for {manifest.name} version "
            f"{manifest.version}; refusing the model"
        )
    signed_by: str | None = None
    if record.signature is None:
        if require_signature:
            raise SignatureError(
                f"{where} is not signed (registered without a model-signing key); refusing "
                "it: check and sign it with `screener verify --version "
                f"{version} --resign`, or allow unsigned models (MODEL_REQUIRE_SIGNATURE=false)"
            )
    elif ring is None:
        if require_signature:
            raise SignatureError(
                f"{where} is signed but no model-signing key is configured to check it "
                "(SCREENER_MODEL_SIGNING_KEYS or SCREENER_SECRETS_FILE); refusing it"
            )
    else:
        signed_by = check_signature(manifest, record.signature, ring)
    check_files(folder, manifest)
    kind: Literal["signed", "manifest"] = "signed" if signed_by else "manifest"
    return Verification(
        kind,
        name,
        str(version),
        signed_by=signed_by,
        manifest=manifest,
        signature=record.signature,
    )
