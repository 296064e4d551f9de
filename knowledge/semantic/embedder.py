"""Sentence-embedding models through fastembed (ONNX Runtime), imported only when configured.

A model is a fastembed model name ("sentence-transformers/paraphrase-multilingual-MiniLM-
L12-v2", downloaded into the cache on first use) or a local folder in the sentence-
transformers layout with an ONNX export (``model.onnx`` or ``onnx/model.onnx``, plus
``tokenizer.json`` and its config files). Nothing here raises anything but
:class:`SemanticUnavailable`, whose message says why the model cannot be used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

__all__ = [
    "EXTRA_HINT",
    "Embedder",
    "FastEmbedder",
    "SemanticUnavailable",
    "load_embedder",
    "model_identity",
    "unit_rows",
]

BATCH = 16  # passages per model call at build time: peak RSS +245 MB (64: +370 MB, slower)
# ONNX Runtime threads per call. One: on 2 shared cores a question took 4.3 ms p50 / 5.6 ms
# p95 (all-MiniLM-L6-v2) against 3.2 / 11.1 with two and 12.3 / 27.7 with ORT's default;
# concurrent questions (one worker thread each) then spread over the cores.
THREADS = 1
MODEL_FILES = ("model.onnx", "onnx/model.onnx", "model_optimized.onnx")
CONFIG_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "1_Pooling/config.json",
    "sentence_bert_config.json",
)
EXTRA_HINT = 'pip install ".[semantic]"'


class SemanticUnavailable(Exception):
    """The semantic stage cannot run; the message says why (no extra, bad model, ...)."""


class Embedder(Protocol):
    """Turns texts into unit vectors; ``identity`` names the model and its exact files."""

    identity: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32[len(texts), dim], each row of length 1."""
        ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """float32 copy of ``vectors`` (n × dim) with each non-zero row scaled to length 1."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0).astype(np.float32)


class FastEmbedder:
    """A loaded fastembed ``TextEmbedding`` and the identity of the model it runs."""

    def __init__(self, model: Any, identity: str, dim: int) -> None:
        """Wrap a loaded ``fastembed.TextEmbedding``."""
        self.model = model
        self.identity = identity
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32[n, dim] unit vectors of ``texts``, ``BATCH`` texts per model call."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = list(self.model.embed(list(texts), batch_size=BATCH))
        return unit_rows(np.stack(rows))


def _local_folder(model: str) -> Path | None:
    path = Path(model).expanduser()
    return path if path.is_dir() else None


def _files_digest(folder: Path) -> str:
    """sha256 over the names and contents of the files a local model is loaded from."""
    digest = hashlib.sha256()
    for name in (*MODEL_FILES, *CONFIG_FILES):
        path = folder / name
        if path.is_file():
            digest.update(f"\0{name}\0".encode())
            with path.open("rb") as file:
                digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:16]


def model_identity(model: str) -> str:
    """What the passage vectors are keyed by: the name, or folder name @ a hash of its files."""
    folder = _local_folder(model)
    return f"{folder.resolve().name}@{_files_digest(folder)}" if folder else model.strip()


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe_folder(folder: Path) -> tuple[str, int, bool]:
    """(model file, dimension, whether pooling takes the CLS token) of a local model folder."""
    found = [name for name in MODEL_FILES if (folder / name).is_file()]
    if not found:
        weights = "a PyTorch-only model" if (folder / "model.safetensors").is_file() else "no"
        raise SemanticUnavailable(
            f"{folder}: {weights} model file; need an ONNX export ({' or '.join(MODEL_FILES)}),"
            " see tools/export_onnx.py"
        )
    if not (folder / "tokenizer.json").is_file():
        raise SemanticUnavailable(f"{folder}: no tokenizer.json")
    pooling = _json(folder / "1_Pooling" / "config.json")
    dim = _json(folder / "config.json").get("hidden_size") or pooling.get(
        "word_embedding_dimension"
    )
    if not isinstance(dim, int) or dim <= 0:
        raise SemanticUnavailable(f"{folder}: config.json has no hidden_size")
    return found[0], dim, bool(pooling.get("pooling_mode_cls_token"))


def _fastembed() -> Any:
    try:
        import fastembed
    except ImportError as exc:
        raise SemanticUnavailable(f"fastembed is not installed ({EXTRA_HINT})") from exc
    return fastembed


def _load_folder(folder: Path, identity: str, threads: int | None) -> FastEmbedder:
    fastembed = _fastembed()
    from fastembed.common.model_description import ModelSource, PoolingType

    model_file, dim, cls_pooling = _describe_folder(folder)
    name = f"local/{identity}"
    pooling = PoolingType.CLS if cls_pooling else PoolingType.MEAN
    # ValueError: registered earlier in this process; the same identity means the same files
    with contextlib.suppress(ValueError):
        fastembed.TextEmbedding.add_custom_model(
            name, pooling, True, ModelSource(hf=name), dim, model_file=model_file
        )
    model = fastembed.TextEmbedding(
        name, specific_model_path=str(folder), threads=threads, providers=["CPUExecutionProvider"]
    )
    limit = _json(folder / "sentence_bert_config.json").get("max_seq_length")
    if isinstance(limit, int) and limit > 0:
        _truncate_at(model, limit)
    return FastEmbedder(model, identity, dim)


def _truncate_at(model: Any, limit: int) -> None:
    """Read at most ``limit`` tokens of a text, as sentence-transformers does for a folder whose
    ``sentence_bert_config.json`` sets ``max_seq_length`` (fastembed reads up to the
    tokenizer's ``model_max_length``: 512 for all-MiniLM-L6-v2, where the model reads 256).

    A text past the limit then encodes as sentence-transformers encodes it, and a question
    pasted at Telegram's 4,096 characters costs half the time (all-MiniLM-L6-v2: 250 → ~110
    ms). A fastembed that keeps its tokenizer elsewhere reads texts as it always did.
    """
    tokenizer = getattr(getattr(model, "model", None), "tokenizer", None)
    truncation = getattr(tokenizer, "truncation", None)
    if truncation and truncation.get("max_length", 0) > limit:
        direction = truncation.get("direction", "right")
        tokenizer.enable_truncation(max_length=limit, direction=direction)


def _load_named(name: str, cache_dir: Path | None, threads: int | None) -> FastEmbedder:
    fastembed = _fastembed()
    known = {m["model"].lower(): m for m in fastembed.TextEmbedding.list_supported_models()}
    if name.lower() not in known:
        raise SemanticUnavailable(f"{name}: no such folder, and not a fastembed model name")
    model = fastembed.TextEmbedding(
        name,
        cache_dir=str(cache_dir) if cache_dir else None,
        threads=threads,
        providers=["CPUExecutionProvider"],
    )
    return FastEmbedder(model, name, int(known[name.lower()]["dim"]))


def load_embedder(
    model: str, cache_dir: Path | None = None, threads: int | None = THREADS
) -> FastEmbedder:
    """Load ``model`` (a local folder or a fastembed model name) and check it encodes.

    Args:
        model: a folder path or a model name.
        cache_dir: where a named model is downloaded to (fastembed's default if None).
        threads: ONNX Runtime threads per call (None: ONNX Runtime's default).

    Raises:
        SemanticUnavailable: the extra is missing or the model cannot be loaded or run.
    """
    if not model.strip():
        raise SemanticUnavailable("no model named (search.semantic.model is empty)")
    folder = _local_folder(model)
    try:
        if folder is not None:
            embedder = _load_folder(folder, model_identity(model), threads)
        else:
            embedder = _load_named(model.strip(), cache_dir, threads)
        probe = embedder.encode(["ceasefire"])
    except SemanticUnavailable:
        raise
    except Exception as exc:  # a third-party loader: any failure means "no semantic stage"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SemanticUnavailable(f"{model}: cannot load: {reason}") from exc
    if probe.shape != (1, embedder.dim) or not np.isfinite(probe).all():
        raise SemanticUnavailable(f"{model}: the model gives vectors of shape {probe.shape}")
    return embedder
