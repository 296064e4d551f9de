"""The semantic stage with a real (tiny) ONNX model written by the test: load, encode, store."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import knowledge
from knowledge.semantic import (
    FastEmbedder,
    SemanticUnavailable,
    attach_semantic,
    build_stage,
    load_embedder,
    model_identity,
    semantic_problem,
)
from knowledge.semantic.vectors import FILE_NAME
from tests.helpers.tiny_model import write_tiny_model
from tests.knowledge.conftest import write_source

OFF = "semantic search off, BM25 only"


class Counting:
    """An embedder wrapper that counts the texts it encodes."""

    def __init__(self, inner: FastEmbedder) -> None:
        self.inner = inner
        self.identity = inner.identity
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    """A tiny model folder, written once for the module."""
    return write_tiny_model(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="module")
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
    return knowledge.load([folder])


def messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("knowledge.semantic")]


def test_a_local_folder_loads_and_encodes_unit_vectors(embedder: FastEmbedder):
    vectors = embedder.encode(["a ceasefire", "the truce", "rain forecast"])
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same_topic, other_topic = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same_topic > 0.8 > 0.3 > other_topic


def test_identity_is_the_folder_name_and_a_hash_of_its_files(tmp_path: Path, model_dir: Path):
    assert model_identity("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2"
    )
    name, digest = model_identity(str(model_dir)).split("@")
    assert name == "tiny" and len(digest) == 16
    changed = write_tiny_model(tmp_path / "tiny", seed=1)  # same name, other weights
    assert model_identity(str(changed)) != model_identity(str(model_dir))


def test_passage_vectors_are_saved_and_reloaded_not_recomputed(
    tmp_path: Path, kb: knowledge.Knowledge, embedder: FastEmbedder
):
    first, second = Counting(embedder), Counting(embedder)
    built = build_stage(first, kb.passages, tmp_path / "cache")
    assert len(first.texts) == len(kb.passages)
    assert (tmp_path / "cache" / FILE_NAME).is_file()
    reloaded = build_stage(second, kb.passages, tmp_path / "cache")
    assert second.texts == []  # nothing encoded at start
    assert np.array_equal(reloaded.vectors, built.vectors)


def test_another_model_or_changed_passages_recompute_the_vectors(
    tmp_path: Path, kb: knowledge.Knowledge, embedder: FastEmbedder
):
    cache = tmp_path / "cache"
    build_stage(embedder, kb.passages, cache)
    other = Counting(load_embedder(str(write_tiny_model(tmp_path / "tiny", seed=7))))
    build_stage(other, kb.passages, cache)
    assert len(other.texts) == len(kb.passages)
    again = Counting(embedder)
    build_stage(again, kb.passages[:-1], cache)  # a passage gone: the corpus changed
    assert len(again.texts) == len(kb.passages) - 1


def test_attach_gives_ask_a_semantic_stage(tmp_path: Path, kb: knowledge.Knowledge, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert kb.semantic is None  # the original snapshot is left as it was
    assert attached.semantic is not None and attached.semantic.identity.startswith("tiny@")
    match = attached.semantic.match("Who mediates the truce?", 3)
    assert attached.passages[match.hits[0].row].source_id == "broker"
    assert match.best == match.hits[0].score > 0.5


def test_semantic_ranking_brings_a_paraphrase_into_the_answer(
    tmp_path: Path, kb: knowledge.Knowledge, model_dir
):
    question = "ceasefire talks and captives"  # BM25 finds only the talks passage
    plain = kb.ask(question)
    assert [e.source.id for e in plain.excerpts] == ["talks"]
    fused = attach_semantic(kb, str(model_dir), tmp_path / "cache").ask(question)
    assert "swap" in {e.source.id for e in fused.excerpts}  # "a prisoner exchange"


def test_a_question_bm25_refuses_stays_refused(tmp_path: Path, kb, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert not attached.ask("weather forecast for the weekend").answered


def test_without_the_extra_bm25_only_one_log_line(tmp_path, kb, model_dir, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "fastembed", None)  # import fastembed -> ImportError
    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert same is kb and same.semantic is None and kb.ask("ceasefire talks").answered
    assert messages(caplog) == [f"{OFF}: fastembed is not installed ({_hint()})"]
    assert semantic_problem(str(model_dir)) == f"fastembed is not installed ({_hint()})"


def _hint() -> str:
    return 'pip install "ceasefire-talks-bot[semantic]"'


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: (d / "model.onnx").write_bytes(b"not an onnx graph"), "cannot load"),
        (lambda d: (d / "model.onnx").rename(d / "model.safetensors"), "PyTorch-only model"),
        (lambda d: (d / "tokenizer.json").unlink(), "no tokenizer.json"),
    ],
    ids=["corrupt-graph", "no-onnx-export", "no-tokenizer"],
)
def test_a_broken_model_leaves_bm25_and_check_says_why(tmp_path, kb, damage, reason, caplog):
    broken = write_tiny_model(tmp_path / "broken")
    damage(broken)
    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, str(broken), tmp_path / "cache")
    assert same.semantic is None
    [line] = messages(caplog)
    assert line.startswith(OFF) and reason in line and str(broken) in line
    problem = semantic_problem(str(broken))
    assert problem is not None and reason in problem


def test_an_unknown_name_is_not_a_crash(tmp_path, kb, caplog):
    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, "no-such/model-anywhere", tmp_path / "cache")
    assert same.semantic is None
    assert messages(caplog) == [
        f"{OFF}: no-such/model-anywhere: no such folder, and not a fastembed model name"
    ]


def test_off_means_no_log_and_no_problem(kb, caplog):
    with caplog.at_level(logging.INFO):
        assert attach_semantic(kb, "") is kb
    assert messages(caplog) == [] and semantic_problem("") is None


def test_load_embedder_raises_only_semantic_unavailable(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SemanticUnavailable, match="no model file"):
        load_embedder(str(empty))


def test_questions_in_a_language_the_model_does_not_serve_keep_bm25(tmp_path, kb, model_dir):
    from dataclasses import replace

    question = "ceasefire talks and captives"
    query = kb.query(question)
    hits = kb.search(query, 8)
    english_only = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    all_three = attach_semantic(kb, str(model_dir), tmp_path / "cache", ("en", "uk", "ru"))
    ukrainian = replace(query, language="uk")
    assert english_only.fuse_semantic(question, ukrainian, hits, 8) == hits
    fused = all_three.fuse_semantic(question, ukrainian, hits, 8)
    assert {h.row for h in fused} > {h.row for h in hits}  # the semantic stage added passages
    assert english_only.fuse_semantic(question, query, hits, 8) == fused  # English: served


def test_importing_the_core_loads_no_embedding_library():
    import subprocess

    code = (
        "import sys, knowledge, knowledge.semantic, bot.cli; "
        "print(sorted(m for m in ('fastembed', 'onnxruntime', 'tokenizers') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
