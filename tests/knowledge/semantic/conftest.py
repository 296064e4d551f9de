"""Shared set-up of the semantic tests: a tiny ONNX model written once, a small corpus."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import knowledge
from knowledge.semantic import FastEmbedder, load_embedder
from tests.helpers.tiny_model import write_tiny_model
from tests.knowledge.conftest import write_source

OFF = "semantic search off, BM25 only"
EXTRA = 'pip install ".[semantic]"'


class Counting:
    """An embedder wrapper that counts the texts it encodes."""

    def __init__(self, inner: FastEmbedder) -> None:
        self.inner = inner
        self.identity = inner.identity
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


def log_lines(caplog) -> list[str]:
    """The messages the semantic package logged."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("knowledge.semantic")]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """A tiny model folder, written once."""
    return write_tiny_model(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="session")
def embedder(model_dir: Path) -> FastEmbedder:
    """The tiny model, loaded once through the real loader."""
    return load_embedder(str(model_dir))


@pytest.fixture
def kb(tmp_path: Path) -> knowledge.Knowledge:
    """Three short sources: ceasefire talks, mediation, and prisoner exchanges."""
    folder = tmp_path / "kb"
    folder.mkdir()
    write_source(folder, "talks.md", "Talks", "The ceasefire talks resumed on Monday in Geneva.")
    write_source(folder, "broker.md", "Broker", "Turkey brokered a truce and hosted the delegates.")
    write_source(folder, "swap.md", "Swap", "Both sides agreed on a prisoner exchange in May.")
    # its own out-of-scope file: the shipped one's words ("forecast", "weather") were learned
    # from questions about the shipped articles, and would refuse the questions below
    (folder / "out_of_scope.yaml").write_text("words: []\n", encoding="utf-8")
    return knowledge.load([folder])
