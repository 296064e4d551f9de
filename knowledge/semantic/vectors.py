"""Passage vectors saved beside the index snapshot, keyed by the model and the passages.

The file (``semantic.npz`` in the snapshot's folder) holds one float32[n_passages, dim]
array of unit rows and a header naming the model identity and a digest of the encoded
passage texts. It is written like the snapshot (temp file, ``os.replace``, format version),
so vectors are computed once per model and corpus and reloaded, never recomputed, at start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.models import Passage
from knowledge.store import StoreError, read_arrays, save_arrays

__all__ = ["FILE_NAME", "load_vectors", "passage_text", "passages_digest", "save_vectors"]

KIND = "semantic"
FILE_NAME = "semantic.npz"


def passage_text(passage: Passage) -> str:
    """What a passage is embedded as: its section heading (if any) and its text."""
    return f"{passage.section}\n{passage.text}" if passage.section else passage.text


def passages_digest(texts: Sequence[str]) -> str:
    """sha256 of the texts to embed, in order: the vectors' dependency on the corpus."""
    digest = hashlib.sha256()
    for text in texts:
        encoded = text.encode()
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    return digest.hexdigest()


def save_vectors(path: Path, identity: str, digest: str, vectors: np.ndarray) -> None:
    """Save float32[n, dim] ``vectors`` at ``path`` (atomically) for ``identity``/``digest``."""
    header = {"model": identity, "passages": digest, "shape": list(vectors.shape)}
    save_arrays(Path(path), KIND, header, {"vectors": np.asarray(vectors, dtype=np.float32)})


def load_vectors(path: Path, identity: str, digest: str) -> np.ndarray | None:
    """The saved vectors if they were made by ``identity`` from passages with ``digest``.

    Returns None when the file is missing, unreadable, or for another model or corpus.
    """
    if not Path(path).is_file():
        return None
    try:
        header, _ = read_arrays(Path(path), KIND, names=())
        if header.get("model") != identity or header.get("passages") != digest:
            return None
        _, arrays = read_arrays(Path(path), KIND, ("vectors",))
    except StoreError:
        return None
    vectors = arrays["vectors"]
    ok = vectors.dtype == np.float32 and list(vectors.shape) == header.get("shape")
    return vectors if ok and vectors.ndim == 2 else None
