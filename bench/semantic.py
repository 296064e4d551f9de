"""What the semantic stage costs on a corpus: build, start, RAM and latency added per question.

    python tools/semantic_bench.py MODEL [--dirs FOLDER ...] [--questions FILE.yaml] [--json]

MODEL is what ``search.semantic.model`` takes (a fastembed name or a local ONNX folder).
On the corpus (default: the shipped one) it times: encoding every passage (the build), the
start that reloads the saved vectors instead, the model's resident memory, and per question
(the question set's texts, each asked ``--repeats`` times, interleaved): the full ``ask``
with BM25 only, the full ``ask`` with the semantic stage, and the stage alone (encode +
cosine). Latencies are p50/p95 in ms; the added cost is the paired difference per ask.
Run it on an otherwise idle machine: the numbers are wall-clock times.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import knowledge
from knowledge.semantic import SemanticStage, build_stage, load_embedder

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_questions.yaml"


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


def load_texts(path: Path) -> list[str]:
    """The question texts of a question set (generated ones skipped)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [str(i["question"]) for i in items if "question" in i and not i.get("generate")]


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_asks(
    plain: knowledge.Knowledge, fused: knowledge.Knowledge, questions: Sequence[str], repeats: int
) -> dict[str, Any]:
    """Latency of ask without and with the stage, interleaved, and of the stage alone."""
    stage: SemanticStage = fused.semantic  # type: ignore[assignment]
    without, with_, stage_ms, added = [], [], [], []
    for _ in range(repeats):
        for question in questions:
            _, a = timed(lambda q=question: plain.ask(q))
            _, b = timed(lambda q=question: fused.ask(q))
            _, s = timed(lambda q=question: stage.match(q, 8))
            without.append(a)
            with_.append(b)
            stage_ms.append(s)
            added.append(b - a)
    return {
        "asks": len(without),
        "ask_bm25_ms": percentiles(without),
        "ask_semantic_ms": percentiles(with_),
        "added_ms": percentiles(added),
        "stage_alone_ms": percentiles(stage_ms),
    }


def run(model: str, dirs: Sequence[Path] | None, questions: Sequence[str], repeats: int) -> dict:
    """Every figure of the benchmark, as a JSON-able dict."""
    plain = knowledge.load(dirs)
    before = rss_mb()
    embedder, load_ms = timed(lambda: load_embedder(model))
    with tempfile.TemporaryDirectory() as cache:
        stage, build_ms = timed(lambda: build_stage(embedder, plain.passages, Path(cache)))
        _, start_ms = timed(lambda: build_stage(embedder, plain.passages, Path(cache)))
    fused = plain.with_semantic(stage)
    n = len(plain.passages)
    return {
        "model": embedder.identity,
        "passages": n,
        "dim": int(stage.vectors.shape[1]),
        "model_load_ms": round(load_ms, 1),
        "build_encode_ms": round(build_ms, 1),
        "build_passages_per_s": round(n / (build_ms / 1000), 1),
        "start_reload_vectors_ms": round(start_ms, 1),
        "vectors_mb": round(stage.vectors.nbytes / 1e6, 3),
        "model_rss_mb": round(rss_mb() - before, 1),
        **measure_asks(plain, fused, questions, repeats),
    }


def format_report(row: dict[str, Any]) -> str:
    """The figures as aligned ``name  value`` lines."""
    return "\n".join(f"{key:<26}{value}" for key, value in row.items())


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a fastembed model name or a local ONNX model folder")
    parser.add_argument("--dirs", nargs="*", type=Path, help="knowledge folders (default: shipped)")
    parser.add_argument("--questions", type=Path, default=DEV_SET, help="question set YAML")
    parser.add_argument("--repeats", type=int, default=5, help="times each question is asked")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    questions = load_texts(args.questions)
    np.random.default_rng(0).shuffle(questions)
    row = run(args.model, args.dirs or None, questions, max(1, args.repeats))
    print(json.dumps(row, indent=2) if args.json else format_report(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
