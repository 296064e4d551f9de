"""Save and load a built BM25 index: one ``.npz`` of plain arrays, never a pickle.

The file holds the impact matrix (CSC ``indptr``/``indices``/``data``), document
frequencies, idf, and a UTF-8 JSON header (format version, parameters, vocabulary in
column order). It is written to a temporary file and moved into place with ``os.replace``,
so a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from knowledge.index import BM25Index, BM25Params

FORMAT_VERSION = 1
ARRAYS = ("indptr", "indices", "data", "doc_freq", "idf")


class StoreError(ValueError):
    """A saved index that cannot be used: missing, corrupt, or of another format version."""


def fingerprint(files: Iterable[Path], params: BM25Params, extra: str = "") -> str:
    """sha256 of the files' names and bytes, the BM25 parameters, the format and ``extra``."""
    digest = hashlib.sha256()
    header = {"format": FORMAT_VERSION, "params": asdict(params), "extra": extra}
    digest.update(json.dumps(header, sort_keys=True).encode())
    for path in sorted(Path(f) for f in files):
        digest.update(b"\0file\0" + str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed ``.npz`` at ``path`` via a temp file and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            np.savez(out, allow_pickle=False, **arrays)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def encode_header(header: dict[str, Any]) -> np.ndarray:
    """JSON header as a uint8 array, so the ``.npz`` needs no object arrays."""
    return np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8)


def decode_header(raw: np.ndarray) -> dict[str, Any]:
    """The JSON header written by :func:`encode_header`."""
    return json.loads(raw.tobytes().decode())


def save_index(index: BM25Index, path: Path, meta: dict[str, Any] | None = None) -> None:
    """Save ``index`` (and an optional JSON-able ``meta``, e.g. a fingerprint) at ``path``."""
    weights = index.weights
    header = {
        "format": FORMAT_VERSION,
        "params": asdict(index.params),
        "shape": list(weights.shape),
        "avgdl": index.avgdl,
        "vocabulary": list(index.vocabulary),
        "meta": meta or {},
    }
    arrays = {name: getattr(weights, name) for name in ("indptr", "indices", "data")}
    arrays |= {"doc_freq": index.doc_freqs, "idf": index.idfs, "header": encode_header(header)}
    write_atomically(Path(path), arrays)


def read_arrays(
    path: Path, names: Iterable[str] = ARRAYS
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and the named arrays of a saved index, loaded without unpickling anything."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as npz:
            header = decode_header(npz["header"])
            arrays = {name: npz[name] for name in names}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreError(f"{path}: unreadable index: {exc}") from exc
    if header.get("format") != FORMAT_VERSION:
        raise StoreError(f"{path}: index format {header.get('format')}, need {FORMAT_VERSION}")
    return header, arrays


def load_index(path: Path) -> BM25Index:
    """Load an index saved by :func:`save_index`; raise StoreError if it cannot be used."""
    header, arrays = read_arrays(Path(path))
    try:
        n_docs, n_terms = header["shape"]
        vocab = {term: col for col, term in enumerate(header["vocabulary"])}
        weights = sp.csc_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n_docs, n_terms)
        )
        weights.check_format(full_check=False)
        params = BM25Params(**header["params"])
        avgdl = float(header["avgdl"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{path}: inconsistent index: {exc}") from exc
    if not (len(vocab) == n_terms == len(arrays["doc_freq"]) == len(arrays["idf"])):
        raise StoreError(f"{path}: inconsistent index: vocabulary and columns differ")
    return BM25Index(vocab, weights, arrays["doc_freq"], arrays["idf"], params, avgdl)


def index_meta(path: Path) -> dict[str, Any]:
    """The ``meta`` saved with an index (e.g. its fingerprint); StoreError if unreadable."""
    return read_arrays(Path(path), names=())[0].get("meta", {})
