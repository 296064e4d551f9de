"""``python -m bot bench --semantic``: the stage's cost on the corpus, with a tiny test model."""

from __future__ import annotations

import pytest

import knowledge
from knowledge.semantic.precedents import find_precedents, load_precedents
from tests.helpers.cli import run_cli
from tests.helpers.tiny_model import write_tiny_model


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_bench_semantic_reports_build_start_and_added_latency(tmp_path) -> None:
    model = write_tiny_model(tmp_path / "tiny")
    result = run_cli("bench", "--semantic", str(model), "--repeats", "1", "--json")
    assert result.code == 0, result.err
    row = result.json
    assert row["model"].startswith("tiny@") and row["dim"] == 8
    shipped = knowledge.load()
    assert row["passages"] == len(shipped.passages)
    asked = load_precedents(find_precedents(None))
    answered = asked.of(shipped.passages)
    # encoded with the passages, the out-of-scope ones too
    assert row["tuning_questions"] == len(answered) + len(asked.unanswered) > len(answered) > 0
    assert row["asks"] == 10  # the fixed timing questions, once each
    for key in ("ask_bm25_ms", "ask_semantic_ms", "added_ms", "stage_alone_ms"):
        assert set(row[key]) == {"p50", "p95"}
    assert row["stage_alone_ms"]["p50"] > 0 and row["build_encode_ms"] > 0


def test_bench_semantic_takes_the_configured_model_and_a_question_file(tmp_path) -> None:
    model = write_tiny_model(tmp_path / "tiny")
    (tmp_path / "config.yaml").write_text(f"search:\n  semantic:\n    model: {model}\n")
    questions = tmp_path / "q.yaml"
    questions.write_text("- {id: a, question: who mediates, expect: graceful}\n")
    result = run_cli("bench", "--semantic", "--questions", str(questions), "--repeats", "2")
    assert result.code == 0, result.err
    assert "asks                      2" in result.out.splitlines()


def test_bench_semantic_without_a_model_or_with_a_bad_file(tmp_path) -> None:
    none = run_cli("bench", "--semantic")
    assert none.code == 1
    assert none.err.strip() == "bench --semantic: no model named (search.semantic.model is empty)"
    bad = run_cli("bench", "--semantic", "x", "--questions", str(tmp_path / "missing.yaml"))
    assert bad.code == 2 and "missing.yaml" in bad.err
