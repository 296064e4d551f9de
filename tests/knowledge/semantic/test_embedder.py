"""Loading a model from a local folder (a tiny ONNX model the test writes), or saying why not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge.semantic import (
    FastEmbedder,
    SemanticUnavailable,
    load_embedder,
    model_identity,
    semantic_problem,
)
from tests.helpers.tiny_model import write_tiny_model
from tests.knowledge.semantic.conftest import EXTRA


def test_a_local_folder_loads_and_encodes_unit_vectors(embedder: FastEmbedder):
    vectors = embedder.encode(["a ceasefire", "the truce", "rain forecast"])
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same_topic, other_topic = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same_topic > 0.8 > 0.3 > other_topic
    assert embedder.encode([]).shape == (0, 8)


def test_identity_is_the_folder_name_and_a_hash_of_its_files(tmp_path: Path, model_dir: Path):
    assert model_identity("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2"
    )
    name, digest = model_identity(str(model_dir)).split("@")
    assert name == "tiny" and len(digest) == 16
    changed = write_tiny_model(tmp_path / "tiny", seed=1)  # same name, other weights
    assert model_identity(str(changed)) != model_identity(str(model_dir))


def test_a_folder_with_a_max_seq_length_reads_no_further(tmp_path: Path, embedder):
    # as sentence-transformers does: all-MiniLM-L6-v2 reads 256 tokens, fastembed alone 512
    capped = write_tiny_model(tmp_path / "capped")
    before = model_identity(str(capped))
    (capped / "sentence_bert_config.json").write_text('{"max_seq_length": 4}')
    assert model_identity(str(capped)) != before  # vectors saved for the old reading re-encode
    long, head = "ceasefire truce rain forecast weather", "ceasefire truce"
    # [CLS] ceasefire truce [SEP]: the weather words are past the fourth token
    vectors = load_embedder(str(capped)).encode([long, head])
    assert np.allclose(vectors[0], vectors[1])
    uncapped = embedder.encode([long, head])
    assert not np.allclose(uncapped[0], uncapped[1])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: (d / "model.onnx").write_bytes(b"not an onnx graph"), "cannot load"),
        (lambda d: (d / "model.onnx").rename(d / "model.safetensors"), "PyTorch-only model"),
        (lambda d: (d / "tokenizer.json").unlink(), "no tokenizer.json"),
        (lambda d: (d / "config.json").write_text("{}"), "no hidden_size"),
    ],
    ids=["corrupt-graph", "no-onnx-export", "no-tokenizer", "no-dimension"],
)
def test_a_broken_folder_is_refused_with_its_reason(tmp_path, damage, reason):
    broken = write_tiny_model(tmp_path / "broken")
    damage(broken)
    (broken / "1_Pooling" / "config.json").write_text("{}")
    with pytest.raises(SemanticUnavailable) as caught:
        load_embedder(str(broken))
    assert str(broken) in str(caught.value) and reason in str(caught.value)
    assert semantic_problem(str(broken)) == str(caught.value)


def test_an_empty_folder_an_unknown_name_and_no_name(tmp_path: Path):
    with pytest.raises(SemanticUnavailable, match="no model file"):
        load_embedder(str(tmp_path))
    with pytest.raises(SemanticUnavailable, match="no such folder, and not a fastembed model"):
        load_embedder("no-such/model-anywhere")
    with pytest.raises(SemanticUnavailable, match="no model named"):
        load_embedder("  ")
    assert semantic_problem("") is None  # off is not a problem


def test_without_the_extra_the_reason_names_it(model_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "fastembed", None)  # import fastembed -> ImportError
    with pytest.raises(SemanticUnavailable) as caught:
        load_embedder(str(model_dir))
    assert str(caught.value) == f"fastembed is not installed ({EXTRA})"


def test_importing_the_core_loads_no_embedding_library():
    code = (
        "import sys, knowledge, knowledge.semantic, bot.cli; "
        "print(sorted(m for m in ('fastembed', 'onnxruntime', 'tokenizers') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
