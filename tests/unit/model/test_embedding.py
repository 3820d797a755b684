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
from training.model.embedding import DEFAULT_DIR, EmbeddingError, load_static_model

pytestmark = pytest.mark.skipif(
    not (DEFAULT_DIR / "manifest.json").is_file(), reason="run `make embeddings` first"
)


def test_the_table_loads_and_embeds_meaning_beside_words() -> None:
    model = load_static_model(DEFAULT_DIR)
    a, b, c = model.encode(
        ["dad hit him with a belt", "his father struck him with a strap", "good attendance this term"]
    )
    assert a @ b > a @ c


@pytest.mark.parametrize("damage", ["flip", "drop-manifest", "rewrite-manifest"])
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
    else:
        raw = bytearray(table.read_bytes())
        raw[-1] ^= 1
        table.write_bytes(bytes(raw))
        import hashlib
        import json

        manifest = json.loads((copy / "manifest.json").read_text())
        manifest["files"]["model.safetensors"] = hashlib.sha256(bytes(raw)).hexdigest()
        (copy / "manifest.json").write_text(json.dumps(manifest))
        match = "not the one this version pins"
    with pytest.raises(EmbeddingError, match=match):
        load_static_model(copy)


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
