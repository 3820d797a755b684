"""The signed manifest of a model folder (``training.model.signing``): every file digested,
the manifest bound to its name and version and signed with the deployment's key ring; a
changed, missing, extra or non-regular file, a forged or misplaced signature, and an
unsigned version where one is required are refused, naming what."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.utils.signing import OLD_SIGNING_KEY, SIGNING_KEY
from training.model.signing import (
    MANIFEST_ARTIFACT_TAG,
    MANIFEST_SHA256_TAG,
    MANIFEST_TAG,
    SIGNATURE_TAG,
    ArtifactIntegrityError,
    Manifest,
    SignatureError,
    SignedRecord,
    build_manifest,
    check_files,
    check_signature,
    key_id,
    record_from_tags,
    record_tags,
    sign,
    verify_folder,
)
from training.secrets import KeyRing

RING = KeyRing("model_signing", (SIGNING_KEY.encode(),), "test")
OTHER = KeyRing("model_signing", (b"another-deployments-key-000000000000000",), "test")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "model"
    (root / "artifacts").mkdir(parents=True)
    (root / "MLmodel").write_text("flavors: {}\n")
    (root / "pyfunc_code.py").write_text("x = 1\n")
    (root / "artifacts" / "screener.joblib").write_bytes(b"\x80\x04joblib bytes")
    return root


def _verify(folder: Path, manifest: Manifest, signature: str | None, **kw: object) -> object:
    kw = {"name": "concern-screener", "version": "3", "ring": RING, "require_signature": True, **kw}
    return verify_folder(folder, SignedRecord(manifest, signature), **kw)  # type: ignore[arg-type]


def test_every_file_is_digested_and_the_signature_verifies(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    assert set(manifest.files) == {"MLmodel", "pyfunc_code.py", "artifacts/screener.joblib"}
    verification = _verify(folder, manifest, sign(manifest, RING))
    assert verification.kind == "signed" and verification.signed_by == key_id(RING.current)  # type: ignore[attr-defined]


def test_the_payload_is_canonical_and_round_trips(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    again = Manifest.parse(manifest.payload())
    assert again == manifest and again.payload() == manifest.payload()
    assert b" " not in manifest.payload()
    with pytest.raises(ArtifactIntegrityError, match="not readable"):
        Manifest.parse(b'{"format": 1}')


@pytest.mark.parametrize(
    ("attack", "names"),
    [
        ("changed", "artifacts/screener.joblib"),
        ("byte_appended", "artifacts/screener.joblib"),
        ("missing", "pyfunc_code.py"),
        ("extra", "python_model.pkl"),
        ("symlink", "artifacts/screener.joblib"),
    ],
)
def test_a_file_changed_after_signing_is_refused_by_name(
    folder: Path, attack: str, names: str
) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    signature = sign(manifest, RING)
    joblib = folder / "artifacts" / "screener.joblib"
    if attack == "changed":
        joblib.write_bytes(b"\x80\x04other model")
    elif attack == "byte_appended":
        joblib.write_bytes(joblib.read_bytes() + b"\0")
    elif attack == "missing":
        (folder / "pyfunc_code.py").unlink()
    elif attack == "extra":
        (folder / "python_model.pkl").write_bytes(b"\x80\x04evil")
    else:
        target = folder.parent / "elsewhere.joblib"
        target.write_bytes(joblib.read_bytes())
        joblib.unlink()
        os.symlink(target, joblib)
    with pytest.raises(ArtifactIntegrityError, match=names):
        _verify(folder, manifest, signature)


def test_a_rewritten_manifest_or_a_forged_signature_is_refused(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    signature = sign(manifest, RING)
    (folder / "MLmodel").write_text("flavors: {python_function: {}}\n")
    forged = build_manifest(folder, name="concern-screener", version="3")
    with pytest.raises(SignatureError, match="does not verify"):
        _verify(folder, forged, signature)
    with pytest.raises(SignatureError, match="does not verify.*does not hold"):
        _verify(folder, forged, sign(forged, OTHER))
    with pytest.raises(SignatureError, match="malformed"):
        _verify(folder, forged, "hmac-sha256:abc:not-hex")


def test_a_signature_binds_the_name_and_version(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="2")
    with pytest.raises(SignatureError, match="is for concern-screener version 2"):
        _verify(folder, manifest, sign(manifest, RING))


def test_old_keys_verify_and_the_first_key_signs() -> None:
    manifest = Manifest("concern-screener", "1", {"MLmodel": "0" * 64})
    old = KeyRing("model_signing", (OLD_SIGNING_KEY.encode(),), "test")
    rotated = KeyRing("model_signing", (SIGNING_KEY.encode(), OLD_SIGNING_KEY.encode()), "test")
    assert check_signature(manifest, sign(manifest, old), rotated) == key_id(old.current)
    assert check_signature(manifest, sign(manifest, rotated), rotated) == key_id(rotated.current)
    with pytest.raises(SignatureError):
        check_signature(manifest, sign(manifest, old), RING)


def test_an_unsigned_version_is_refused_where_a_signature_is_required(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    with pytest.raises(SignatureError, match="not signed"):
        _verify(folder, manifest, None)
    allowed = _verify(folder, manifest, None, require_signature=False)
    assert allowed.kind == "manifest"  # type: ignore[attr-defined]
    # Unsigned and allowed: the files are still checked against the registry's manifest.
    (folder / "pyfunc_code.py").write_text("import os\n")
    with pytest.raises(ArtifactIntegrityError, match="pyfunc_code.py"):
        _verify(folder, manifest, None, require_signature=False)


def test_without_a_key_ring_a_signed_version_cannot_be_checked(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    with pytest.raises(SignatureError, match="no model-signing key"):
        _verify(folder, manifest, sign(manifest, RING), ring=None)


def test_a_version_from_before_manifests_is_legacy_or_refused(folder: Path) -> None:
    record = SignedRecord(None, None, legacy_sha256="a" * 64)
    kw = {"name": "concern-screener", "version": "3", "ring": RING}
    with pytest.raises(SignatureError, match="no signed manifest"):
        verify_folder(folder, record, require_signature=True, **kw)  # type: ignore[arg-type]
    legacy = verify_folder(folder, record, require_signature=False, **kw)  # type: ignore[arg-type]
    assert legacy.kind == "legacy" and legacy.legacy_sha256 == "a" * 64


def test_the_record_lives_in_tags_or_as_an_artifact_named_by_them(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    signature = sign(manifest, RING)
    tags = record_tags(manifest, signature)
    assert {MANIFEST_TAG, MANIFEST_SHA256_TAG, SIGNATURE_TAG} == set(tags)
    assert record_from_tags(tags) == SignedRecord(manifest, signature)

    big = Manifest("concern-screener", "3", {f"f{i:05d}": "0" * 64 for i in range(100)})
    tags = record_tags(big, sign(big, RING))
    assert MANIFEST_TAG not in tags
    tags[MANIFEST_ARTIFACT_TAG] = "model_signing/manifest-v3.json"
    stored = {"model_signing/manifest-v3.json": big.payload()}
    assert record_from_tags(tags, fetch_artifact=stored.__getitem__).manifest == big
    # The artifact is in the (writable) artifact store: a changed one fails its digest.
    stored["model_signing/manifest-v3.json"] = big.payload().replace(b"f00000", b"f99999")
    with pytest.raises(ArtifactIntegrityError, match="differs from its recorded digest"):
        record_from_tags(tags, fetch_artifact=stored.__getitem__)


def test_mlflows_own_meta_file_is_ignored(folder: Path) -> None:
    manifest = build_manifest(folder, name="concern-screener", version="3")
    (folder / "registered_model_meta").write_text("model_name: x\n")
    check_files(folder, manifest)
    assert "registered_model_meta" not in manifest.files
