"""The static embedding table: checked against its manifest and pinned digests before use,
read the same by the matrix and the row paths, carried inside a pickled model, and shown in
an explanation as one contribution of the text as a whole."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.utils.model import small_features
from training.model.embedding import (
    DEFAULT_DIR,
    EmbeddingError,
    load_static_model,
    probe_difference,
)

pytestmark = pytest.mark.skipif(
    not (DEFAULT_DIR / "manifest.json").is_file(), reason="run `make embeddings` first"
)


def test_the_table_loads_and_embeds_meaning_beside_words() -> None:
    model = load_static_model(DEFAULT_DIR)
    a, b, c = model.encode(
        [
            "dad hit him with a belt",
            "his father struck him with a strap",
            "good attendance this term",
        ]
    )
    assert a @ b > a @ c


def _rewrite(copy: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Change the table of ``copy`` by ``change`` and rewrite its manifest to match (what a
    rebuild on another machine, or whoever swaps the table, produces)."""
    import hashlib
    import json

    from safetensors.numpy import load_file, save_file

    table = copy / "model.safetensors"
    tensors = load_file(str(table))
    tensors["embeddings"] = change(tensors["embeddings"].astype(np.float32)).astype(np.float16)
    save_file(tensors, str(table))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["model.safetensors"] = hashlib.sha256(table.read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage", ["flip", "drop-manifest", "other-table"])
def test_a_changed_table_is_refused(tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "table"
    shutil.copytree(DEFAULT_DIR, copy)
    table = copy / "model.safetensors"
    if damage == "flip":
        raw = bytearray(table.read_bytes())
        raw[-1] ^= 1
        table.write_bytes(bytes(raw))
        match = "missing or changed"
    elif damage == "drop-manifest":
        (copy / "manifest.json").unlink()
        match = "make embeddings"
    else:  # the rows of another table: every word reads as some other word
        _rewrite(copy, lambda m: m[np.random.default_rng(0).permutation(len(m))])
        match = "not the one this version pins"
    with pytest.raises(EmbeddingError, match=match):
        load_static_model(copy)


@pytest.mark.parametrize("rebuild", ["float-noise", "axes-turned"])
def test_a_rebuild_that_differs_only_in_float_noise_is_accepted(
    tmp_path: Path, rebuild: str
) -> None:
    """A rebuild on another CPU moves the floats in their last bits and may turn PCA axes:
    the table still reads text as the pinned one does, and loads."""
    copy = tmp_path / "table"
    shutil.copytree(DEFAULT_DIR, copy)
    rng = np.random.default_rng(1)
    if rebuild == "float-noise":
        _rewrite(copy, lambda m: m * (1 + rng.normal(0, 1e-3, m.shape)))
    else:
        _rewrite(copy, lambda m: m * np.where(rng.random(m.shape[1]) < 0.5, -1.0, 1.0))
    assert probe_difference(load_static_model(copy)) < 0.01


def test_rows_and_the_matrix_read_the_embedding_alike(analysed) -> None:
    est = small_features().set_params(embedding_dir="default").fit(analysed)
    e0, e1 = est.blocks_["embedding"]
    assert e1 - e0 == 256
    X = est.transform(analysed).toarray()
    for i, row in enumerate(est.rows(analysed)[:5]):
        dense = np.zeros(X.shape[1], dtype=np.float32)
        dense[row.indices] = row.data
        assert np.allclose(dense, X[i], atol=1e-6)
    again = pickle.loads(pickle.dumps(est)).transform(analysed).toarray()
    assert np.allclose(again, X)


def test_embedding_starts_no_thread_so_large_batches_still_fork() -> None:
    """model2vec wraps each encode in a tqdm bar, whose first use would start tqdm's monitor
    thread; with it running, a large batch is scored in one process instead of two
    (``parallel.scoring_processes``). A fresh interpreter, so no thread of the test run's
    own counts."""
    import subprocess
    import sys

    script = (
        "import threading\n"
        "from training.model.embedding import DEFAULT_DIR, embed, load_static_model\n"
        "from training.model.parallel import scoring_processes\n"
        "embed(load_static_model(DEFAULT_DIR), ['the baby had a bruise', 'seen at school'])\n"
        "print(sorted(t.name for t in threading.enumerate()), scoring_processes(1000))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "['MainThread'] 2"
