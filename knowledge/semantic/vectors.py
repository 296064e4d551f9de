"""Passage vectors saved beside the index snapshot, keyed by the model and the passages.

The file (``semantic.npz`` in the snapshot's folder) holds float32 unit rows for every
passage and for every sentence of a passage, which passage each sentence belongs to, and a
header naming the model identity and a digest of the encoded passage texts. It is written
like the snapshot (temp file, ``os.replace``, format version), so vectors are computed once
per model and corpus and reloaded, never recomputed, at start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.models import Passage
from knowledge.passages import sentence_spans
from knowledge.semantic.embedder import Embedder
from knowledge.store import StoreError, read_arrays, save_arrays

__all__ = [
    "FILE_NAME",
    "PassageVectors",
    "encode_passages",
    "load_vectors",
    "passage_sentences",
    "passage_text",
    "passages_digest",
    "save_vectors",
]

KIND = "semantic"
FILE_NAME = "semantic.npz"
SCHEME = "passages+sentences"  # what the file holds; files of another scheme are recomputed
MIN_SENTENCE_CHARS = 20  # shorter sentences ("Talks resumed.") are not embedded alone


@dataclass(frozen=True, slots=True)
class PassageVectors:
    """Unit vectors of every passage and of every sentence of a passage."""

    passages: np.ndarray  # float32[n_passages, dim]
    sentences: np.ndarray  # float32[n_sentences, dim]
    owners: np.ndarray  # int64[n_sentences]: the passage row of each sentence, ascending

    def __post_init__(self) -> None:
        if self.passages.ndim != 2 or self.sentences.shape[1:] != self.passages.shape[1:]:
            raise ValueError("passage and sentence vectors need one dimension")
        if len(self.owners) != len(self.sentences):
            raise ValueError("one owner per sentence vector")


def passage_text(passage: Passage) -> str:
    """What a passage is embedded as: its section heading (if any) and its text."""
    return f"{passage.section}\n{passage.text}" if passage.section else passage.text


def passage_sentences(passage: Passage) -> list[str]:
    """The sentences of a passage embedded on their own: those of ``MIN_SENTENCE_CHARS``."""
    text = passage.text
    parts = (text[start:end].strip() for start, end in sentence_spans(text))
    return [part for part in parts if len(part) >= MIN_SENTENCE_CHARS]


def encode_passages(embedder: Embedder, passages: Sequence[Passage]) -> PassageVectors:
    """Encode every passage (`passage_text`) and every sentence of it (`passage_sentences`)."""
    sentences: list[str] = []
    owners: list[int] = []
    for row, passage in enumerate(passages):
        found = passage_sentences(passage)
        sentences += found
        owners += [row] * len(found)
    whole = embedder.encode([passage_text(p) for p in passages])
    parts = embedder.encode(sentences) if sentences else np.zeros((0, whole.shape[1]), np.float32)
    return PassageVectors(whole, parts, np.asarray(owners, dtype=np.int64))


def passages_digest(texts: Sequence[str]) -> str:
    """sha256 of the texts to embed, in order: the vectors' dependency on the corpus."""
    digest = hashlib.sha256()
    for text in texts:
        encoded = text.encode()
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    return digest.hexdigest()


def save_vectors(path: Path, identity: str, digest: str, vectors: PassageVectors) -> None:
    """Save ``vectors`` at ``path`` (atomically) for ``identity``/``digest``."""
    header = {
        "model": identity,
        "passages": digest,
        "scheme": SCHEME,
        "shape": list(vectors.passages.shape),
        "sentences": len(vectors.sentences),
    }
    arrays = {
        "vectors": np.asarray(vectors.passages, dtype=np.float32),
        "sentence_vectors": np.asarray(vectors.sentences, dtype=np.float32),
        "owners": np.asarray(vectors.owners, dtype=np.int64),
    }
    save_arrays(Path(path), KIND, header, arrays)


def load_vectors(path: Path, identity: str, digest: str) -> PassageVectors | None:
    """The saved vectors if they were made by ``identity`` from passages with ``digest``.

    Returns None when the file is missing, unreadable, of another scheme, or for another
    model or corpus.
    """
    if not Path(path).is_file():
        return None
    try:
        header, _ = read_arrays(Path(path), KIND, names=())
        if (header.get("model"), header.get("passages")) != (identity, digest):
            return None
        if header.get("scheme") != SCHEME:
            return None
        _, arrays = read_arrays(Path(path), KIND, ("vectors", "sentence_vectors", "owners"))
        vectors = PassageVectors(arrays["vectors"], arrays["sentence_vectors"], arrays["owners"])
    except (StoreError, ValueError):
        return None
    ok = (
        vectors.passages.dtype == vectors.sentences.dtype == np.float32
        and list(vectors.passages.shape) == header.get("shape")
        and len(vectors.sentences) == header.get("sentences")
        and vectors.owners.dtype == np.int64
        and bool(np.all(np.diff(vectors.owners) >= 0))
        and (
            not len(vectors.owners)
            or 0 <= vectors.owners[0] <= vectors.owners[-1] < len(vectors.passages)
        )
    )
    return vectors if ok else None
