"""Helpers for the model supply-chain tests: test signing keys and the attacks of issue 18
on a registered version's artifact folder (a swapped model with its digest rewritten in
``MLmodel``, a pickle that writes a marker file, a byte appended)."""

from __future__ import annotations

import hashlib
import pickle
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Model-signing keys for tests (never a deployment's): the first signs, both verify.
SIGNING_KEY = "test-model-signing-key-0123456789abcdefghijklmnop"
OLD_SIGNING_KEY = "test-model-signing-key-old-9876543210zyxwvutsrqpo"
SIGNING_ENV = "SCREENER_MODEL_SIGNING_KEYS"
#: Where the fitted model lives in a version's artifact folder. (The helpers do not import
#: the code under test, so that the attacks also run against a checkout from before it.)
ARTIFACT = "artifacts/screener.joblib"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def restored(folder: Path) -> Iterator[Path]:
    """Attack ``folder`` inside the block; it is put back as it was afterwards."""
    backup = folder.with_name(folder.name + ".backup")
    shutil.copytree(folder, backup, symlinks=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)
        backup.rename(folder)


def rewrite_mlmodel_digest(folder: Path) -> None:
    """What the attacker did: make ``MLmodel``'s recorded joblib digest match the file."""
    mlmodel = folder / "MLmodel"
    digest = sha256(folder / ARTIFACT)
    text = re.sub(
        r"artifact_sha256: [0-9a-f]{64}", f"artifact_sha256: {digest}", mlmodel.read_text()
    )
    mlmodel.write_text(text)


def swap_in_a_lenient_model(folder: Path) -> None:
    """Replace ``screener.joblib`` with the same model made to put every contact at
    priority 1, band low, whatever its score (cut points moved past 1, no floors), and
    rewrite the digest in ``MLmodel``: the swap issue 18 found served."""
    import joblib
    import numpy as np

    path = folder / ARTIFACT
    model = joblib.load(path)
    model.band_cuts = (2.0, 2.0)
    model.priority_edges = np.full_like(model.priority_edges, 2.0)
    model.floor_policy = None
    joblib.dump(model, path, compress=3)
    rewrite_mlmodel_digest(folder)


def swap_the_cached_copy(slot: Path) -> None:
    """The same swap in a last-known-good copy (``MODEL_CACHE_DIR``), with every digest
    its ``meta.json`` records rewritten to match: the attacker can write the cache too."""
    import json

    [joblib_file] = slot.rglob("screener.joblib")
    folder = joblib_file.parent.parent
    if (folder / "MLmodel").exists():
        swap_in_a_lenient_model(folder)
    else:  # a copy that holds the joblib alone
        staging = slot / "staging"
        (staging / "artifacts").mkdir(parents=True)
        shutil.move(joblib_file, staging / ARTIFACT)
        (staging / "MLmodel").write_text("")
        swap_in_a_lenient_model(staging)
        shutil.move(staging / ARTIFACT, joblib_file)
        shutil.rmtree(staging)
    meta_file = slot / "meta.json"
    meta = json.loads(meta_file.read_text())
    if "artifact_sha256" in meta:
        meta["artifact_sha256"] = sha256(joblib_file)
    if meta.get("manifest"):
        manifest = json.loads(meta["manifest"])
        manifest["files"] = {rel: sha256(folder / rel) for rel in manifest["files"]}
        meta["manifest"] = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    meta_file.write_text(json.dumps(meta))


def append_null_byte(folder: Path, rel: str) -> None:
    """A byte appended to one file (and, for the joblib, ``MLmodel`` rewritten to match)."""
    with open(folder / rel, "ab") as fh:
        fh.write(b"\0")
    if rel == ARTIFACT:
        rewrite_mlmodel_digest(folder)


class _WritesMarker:
    """Unpickling this writes ``path``: the attacker's code running in the service."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (f"open({self.path!r}, 'w').write('pwned')",))


def marker_pickle(marker: Path) -> bytes:
    return pickle.dumps(_WritesMarker(marker))


def plant_pickled_wrapper(folder: Path, marker: Path) -> None:
    """A ``python_model.pkl`` that writes ``marker`` when unpickled, and ``MLmodel``
    rewritten to load the model from it instead of from code."""
    (folder / "python_model.pkl").write_bytes(marker_pickle(marker))
    mlmodel = folder / "MLmodel"
    text = mlmodel.read_text()
    text = re.sub(r"model_code_path: .*\n", "python_model: python_model.pkl\n", text)
    mlmodel.write_text(text)


def plant_code(folder: Path, marker: Path) -> None:
    """The model's code file replaced by one that writes ``marker`` when it runs."""
    [code] = [p for p in folder.glob("*.py")]
    code.write_text(f"open({str(marker)!r}, 'w').write('pwned')\n" + code.read_text())


def sign_registered(tracking_uri: str, name: str, version: str, key: str = SIGNING_KEY) -> None:
    """Sign a version registered by hand (not by ``screener train``) as the registry
    does: every file digested, the manifest signed with ``key``, kept in its tags."""
    import tempfile

    from mlflow import MlflowClient

    from training.model.pyfunc import download_version
    from training.model.signing import build_manifest, record_tags, sign
    from training.secrets import KeyRing

    client = MlflowClient(tracking_uri=tracking_uri)
    with tempfile.TemporaryDirectory() as tmp:
        folder = download_version(client, name=name, version=version, dst=Path(tmp))
        manifest = build_manifest(folder, name=name, version=version)
    ring = KeyRing("model_signing", (key.encode(),), "test")
    for tag, value in record_tags(manifest, sign(manifest, ring)).items():
        client.set_model_version_tag(name, version, tag, value)
