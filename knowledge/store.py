"""Save and load a built BM25 index: one ``.npz`` of plain arrays, never a pickle.

The file holds the impact matrix (CSC ``indptr``/``indices``/``data``), document
frequencies, idf, and a UTF-8 JSON header (format version, parameters, vocabulary in
column order). It is written to a temporary file and moved into place with ``os.replace``,
so a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import mmap
import os
import struct
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from knowledge.index import BM25Index, BM25Params

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: texts at byte offsets, tag sets numbered
INDEX_ARRAYS = ("indptr", "indices", "data", "doc_freq", "idf")


class StoreError(ValueError):
    """A saved index that cannot be used: missing, corrupt, or of another format version."""


class OtherFormat(StoreError):
    """A saved file of the right kind in another format version: written by other code (an
    upgrade), sound but stale."""


def fingerprint(
    files: Iterable[Path],
    params: BM25Params,
    extra: str = "",
    stat_files: Iterable[Path | str] = (),
) -> str:
    """sha256 of the BM25 parameters, the format, ``extra`` and a list of files.

    ``files`` count by name and content; ``stat_files`` by name, size and modification time
    (nanoseconds), which is much faster for thousands of files and changes whenever a file
    is written, as ``make`` and ``rsync`` assume.
    """
    digest = hashlib.sha256()
    header = {"format": FORMAT_VERSION, "params": asdict(params), "extra": extra}
    digest.update(json.dumps(header, sort_keys=True).encode())
    for path in sorted(Path(f) for f in files):
        digest.update(b"\0file\0" + str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in sorted(map(str, stat_files)):  # strings sort ~10x faster than Paths
        info = os.stat(path)
        digest.update(f"\0stat\0{path}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()


class Joined(tuple[np.ndarray, ...]):
    """1-D arrays of one dtype saved as one (their concatenation), written piece by piece."""

    __slots__ = ()


WRITE_CHUNK = 1 << 24  # bytes handed to the zip writer at once


def write_npz(out: Any, arrays: dict[str, np.ndarray | Joined]) -> None:
    """``np.savez(out, **arrays)``, a `Joined` value written as its pieces (never joined)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zipf:
        for name, value in arrays.items():
            with zipf.open(f"{name}.npy", "w", force_zip64=True) as member:
                if not isinstance(value, Joined):
                    np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)
                    continue
                head = np.lib.format.header_data_from_array_1_0(value[0])
                head["shape"] = (sum(len(piece) for piece in value),)
                np.lib.format.write_array_header_1_0(member, head)
                for piece in value:
                    raw = memoryview(np.ascontiguousarray(piece, dtype=value[0].dtype)).cast("B")
                    for at in range(0, len(raw), WRITE_CHUNK):
                        member.write(raw[at : at + WRITE_CHUNK])


def write_atomically(path: Path, arrays: dict[str, np.ndarray | Joined]) -> None:
    """Write ``arrays`` as an uncompressed ``.npz`` at ``path`` via a temp file and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_npz(out, arrays)
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
    """The JSON header written by :func:`encode_header`; ValueError if it is not such JSON."""
    try:
        return json.loads(raw.tobytes().decode())
    except RecursionError as exc:  # absurd nesting: a crafted or corrupt file
        raise ValueError("JSON nested too deeply") from exc


def index_parts(index: BM25Index) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON-able header and the arrays that make up ``index``."""
    weights = index.weights
    header = {
        "params": asdict(index.params),
        "shape": list(weights.shape),
        "avgdl": index.avgdl,
        "vocabulary": list(index.vocabulary),
    }
    arrays = {name: getattr(weights, name) for name in ("indptr", "indices", "data")}
    return header, arrays | {"doc_freq": index.doc_freqs, "idf": index.idfs}


def index_from_parts(
    header: dict[str, Any], arrays: dict[str, np.ndarray], where: Path
) -> BM25Index:
    """Rebuild an index from :func:`index_parts`; StoreError if the parts do not fit."""
    try:
        n_docs, n_terms = header["shape"]
        vocab = {term: col for col, term in enumerate(header["vocabulary"])}
        weights = sp.csc_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n_docs, n_terms)
        )
        weights.check_format(full_check=True)  # every row index in range, indptr ordered
        params = BM25Params(**header["params"])
        avgdl = float(header["avgdl"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{where}: inconsistent index: {exc}") from exc
    if not (len(vocab) == n_terms == len(arrays["doc_freq"]) == len(arrays["idf"])):
        raise StoreError(f"{where}: inconsistent index: vocabulary and columns differ")
    finite = (arrays["data"], arrays["idf"], np.array([avgdl]))
    if not all(np.isfinite(a).all() for a in finite) or (arrays["doc_freq"] < 0).any():
        raise StoreError(f"{where}: inconsistent index: weights not finite or counts negative")
    return BM25Index(vocab, weights, arrays["doc_freq"], arrays["idf"], params, avgdl)


def save_arrays(
    path: Path, kind: str, header: dict[str, Any], arrays: dict[str, np.ndarray | Joined]
) -> None:
    """Write ``arrays`` plus a JSON header (format version and ``kind`` added) atomically."""
    full = {"format": FORMAT_VERSION, "kind": kind, **header}
    write_atomically(Path(path), arrays | {"header": encode_header(full)})


def mapped(view: mmap.mmap | None, npz: Any, name: str) -> np.ndarray:
    """Array ``name`` of an open ``.npz``: read-only, on the mapped file if stored plain."""
    member = npz.zip.getinfo(f"{name}.npy")
    if view is None or member.compress_type != zipfile.ZIP_STORED:
        return npz[name]
    local = view[member.header_offset : member.header_offset + 30]
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise ValueError(f"{name}: not a zip entry")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    start = member.header_offset + 30 + name_len + extra_len
    with io.BytesIO(view[start : start + 65_536]) as head:  # the .npy header fits
        version = np.lib.format.read_magic(head)
        if version not in ((1, 0), (2, 0)):
            return npz[name]
        read = getattr(np.lib.format, f"read_array_header_{version[0]}_0")
        shape, fortran, dtype = read(head)
        offset = start + head.tell()
    size = math.prod(shape) * dtype.itemsize
    if dtype.hasobject or offset - start + size != member.file_size:
        raise ValueError(f"{name}: the array header does not fit its zip entry")
    flat = np.frombuffer(view, dtype=dtype, count=math.prod(shape), offset=offset)
    return flat.reshape(shape, order="F" if fortran else "C")


def read_arrays(
    path: Path, kind: str, names: Iterable[str]
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and the named arrays of a saved file, loaded without unpickling anything."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as npz:
            header = decode_header(npz["header"])
            names = list(names)
            view = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if names else None
            arrays = {name: mapped(view, npz, name) for name in names}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreError(f"{path}: unreadable {kind}: {exc}") from exc
    if header.get("format") != FORMAT_VERSION or header.get("kind") != kind:
        found = f"{header.get('kind')} format {header.get('format')}"
        stale = OtherFormat if header.get("kind") == kind else StoreError
        raise stale(f"{path}: {found}, need {kind} format {FORMAT_VERSION}")
    return header, arrays


def save_index(index: BM25Index, path: Path, meta: dict[str, Any] | None = None) -> None:
    """Save ``index`` (and an optional JSON-able ``meta``, e.g. a fingerprint) at ``path``."""
    header, arrays = index_parts(index)
    save_arrays(Path(path), "index", header | {"meta": meta or {}}, arrays)


def load_index(path: Path) -> BM25Index:
    """Load an index saved by :func:`save_index`; raise StoreError if it cannot be used."""
    header, arrays = read_arrays(Path(path), "index", INDEX_ARRAYS)
    return index_from_parts(header, arrays, Path(path))


def index_meta(path: Path) -> dict[str, Any]:
    """The ``meta`` saved with an index (e.g. its fingerprint); StoreError if unreadable."""
    return read_arrays(Path(path), "index", names=())[0].get("meta", {})


TEMP_AGE_SECONDS = 60  # a temp file of save_arrays untouched this long has lost its writer


def remove_leftovers(path: Path) -> int:
    """Delete the temp files a killed writer of ``path`` left (``.NAME.*.tmp``); log once."""
    now, removed = time.time(), 0
    for temp in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        try:
            if now - temp.stat().st_mtime >= TEMP_AGE_SECONDS:  # a live writer keeps writing
                temp.unlink()
                removed += 1
        except OSError:  # gone already, or not ours to remove: it is only a cache
            continue
    if removed:
        logger.info(
            "removed %d leftover temp file(s) of %s in %s",
            removed,
            Path(path).name,
            Path(path).parent,
        )
    return removed
