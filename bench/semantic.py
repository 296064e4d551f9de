"""What the semantic stage costs on a corpus: build, start, RAM and latency added per question.

    python -m bot bench --semantic [MODEL] [--config FILE] [--questions FILE.yaml] [--json]

MODEL is what ``search.semantic.model`` takes (a fastembed name or a local ONNX folder);
without it, the configured one. On the configured corpus (default: the shipped one) it times
encoding every passage (the build), the start that reloads the saved vectors instead, the
model's resident memory, and, per question (each asked ``repeats`` times, interleaved): the
full ``ask`` with BM25 only, the full ``ask`` with the semantic stage, and the stage alone
(encode + cosine), also as CPU time. Latencies are p50/p95 in ms; the added cost is the
paired difference per ask. Wall-clock numbers need an otherwise idle machine.
"""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import knowledge
from knowledge.semantic import SemanticStage, build_stage, find_precedents, load_embedder
from knowledge.semantic.precedents import load_precedents

# Timing only (never scored): questions of every length, in English as the stage serves.
QUESTIONS = (
    "Who mediates the talks?",
    "what does russia demand",
    "minsk 2015",
    "What came out of the Istanbul talks in 2022?",
    "prisoner exchange",
    "Why did the earlier ceasefire agreements fail to hold?",
    "security guarantees for ukraine",
    "What role does Turkey play, and has it hosted any rounds of negotiations so far?",
    "grain corridor",
    "Which territories are disputed and what does each side say about them?",
)


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of ``values_ms`` (nearest rank), rounded to 0.01 ms."""
    ordered = sorted(values_ms) or [0.0]

    def pick(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {"p50": round(pick(0.5), 2), "p95": round(pick(0.95), 2)}


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """``call()``'s result and its wall time in ms."""
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def questions_from(path: str | None) -> list[str]:
    """The texts of a question set at ``path``, or ``QUESTIONS`` (ValueError: a bad file)."""
    from knowledge.evaluation import load_questions

    texts = [i.question for i in load_questions(Path(path)) if i.question.strip()] if path else []
    return texts or list(QUESTIONS)


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_asks(
    plain: knowledge.Knowledge, fused: knowledge.Knowledge, questions: Sequence[str], repeats: int
) -> dict[str, Any]:
    """Latency of ask without and with the stage, interleaved, and of the stage alone."""
    stage: SemanticStage = fused.semantic  # type: ignore[assignment]
    without, with_, alone, alone_cpu, added = [], [], [], [], []
    for _ in range(repeats):
        for question in questions:
            _, a = timed(lambda q=question: plain.ask(q))
            _, b = timed(lambda q=question: fused.ask(q))
            cpu = time.thread_time()
            _, s = timed(lambda q=question: stage.match(q, 8))
            alone_cpu.append((time.thread_time() - cpu) * 1000)
            without.append(a)
            with_.append(b)
            alone.append(s)
            added.append(b - a)
    return {
        "asks": len(without),
        "ask_bm25_ms": percentiles(without),
        "ask_semantic_ms": percentiles(with_),
        "added_ms": percentiles(added),
        "stage_alone_ms": percentiles(alone),
        # CPU time of the asking thread (ONNX Runtime runs on it with one thread): what the
        # stage costs on an idle core, free of the wait for a busy machine's cores
        "stage_alone_cpu_ms": percentiles(alone_cpu),
    }


def run(
    model: str,
    dirs: Sequence[Path] | None = None,
    questions: Sequence[str] = QUESTIONS,
    repeats: int = 5,
) -> dict[str, Any]:
    """Every figure of the benchmark, as a JSON-able dict.

    Raises:
        SemanticUnavailable: the model cannot be loaded.
    """
    plain = knowledge.load(dirs)
    asked = load_precedents(find_precedents(dirs)).rows_of(plain.passages)
    before = rss_mb()
    embedder, load_ms = timed(lambda: load_embedder(model))
    with tempfile.TemporaryDirectory() as cache:
        build = partial(build_stage, embedder, plain.passages, Path(cache), asked=asked)
        stage, build_ms = timed(build)
        _, start_ms = timed(build)
    fused = plain.with_semantic(stage)
    n = len(plain.passages)
    return {
        "model": embedder.identity,
        "passages": n,
        "dim": int(stage.vectors.shape[1]),
        "model_load_ms": round(load_ms, 1),
        "build_encode_ms": round(build_ms, 1),
        "build_passages_per_s": round(n / max(build_ms / 1000, 1e-9), 1),
        "start_reload_vectors_ms": round(start_ms, 1),
        "sentences": len(stage.sentences),
        "tuning_questions": len(stage.precedents),
        "vectors_mb": round(
            (stage.vectors.nbytes + stage.sentences.nbytes + stage.precedents.nbytes) / 1e6, 3
        ),
        "model_rss_mb": round(rss_mb() - before, 1),
        **measure_asks(plain, fused, questions, max(1, repeats)),
    }


def format_report(row: dict[str, Any]) -> str:
    """The figures as aligned ``name  value`` lines."""
    return "\n".join(f"{key:<26}{value}" for key, value in row.items())
