"""``bench --pipeline N``: knowledge files on disk to a searchable index, and a cold ``ask``.

A folder of Markdown sources adding up to ~N passages is written first (short articles of
a few paragraphs, like SciFact's abstracts: sentences of the shipped articles with words of
bench's synthetic vocabulary mixed in, each with its own title and front matter). Then:

- ``load``: a fresh ``spawn`` process runs ``knowledge.load`` on the folder, stage by stage
  (read and clean the files, then split, tokenize, tag and index), and reports seconds,
  passages per second and its peak RSS: its own plus each of its worker processes' peak,
  added up (``bench.memory``);
- ``ask``: ``python -m bot ask`` as a fresh process, first with no saved snapshot (it builds
  and saves one), then with it; wall seconds from launch to exit.

Each is run ``repeat`` times; the rows hold medians.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench import synthetic
from bench.memory import TreePeak

PARAGRAPHS = 4  # passages per article, about
PARAGRAPH_CHARS = 380  # a paragraph stays one passage (knowledge.passages: 450 target)
QUESTION = "What did Russia demand at the Istanbul talks?"
SEED = 20_261_128


@dataclass(frozen=True, slots=True)
class PipelineRow:
    """One measured stage: median seconds over ``runs``, and what it yields per second."""

    stage: str
    seconds: float
    passages: int
    runs: int
    passages_per_s: float | None = None
    peak_rss_mb: float | None = None
    cpu_s: float | None = None  # CPU seconds, workers included: the work, whatever the load

    def to_json(self) -> dict[str, Any]:
        """The row as ``bench --pipeline --json`` prints it."""
        return asdict(self)


def shipped_sentences() -> list[str]:
    """The sentences of the shipped articles (the text the synthetic articles are made of)."""
    import knowledge
    from knowledge.passages import sentence_spans

    found = []
    for passage in knowledge.load().passages:
        found += [passage.text[s:e] for s, e in sentence_spans(passage.text)]
    return [s for s in found if 30 <= len(s) <= 300]


def article(rng: random.Random, number: int, sentences: list[str], vocab: list[str]) -> str:
    """One Markdown source with front matter and ``PARAGRAPHS`` paragraphs."""
    title = " ".join(rng.choice(vocab[:50_000]).title() for _ in range(3))
    paragraphs = []
    for _ in range(PARAGRAPHS):
        chosen: list[str] = []
        while sum(map(len, chosen)) < PARAGRAPH_CHARS - 120:
            chosen.append(rng.choice(sentences))
        rare = " ".join(rng.choice(vocab) for _ in range(8))
        chosen.append(f"{rare.capitalize()}.")
        paragraphs.append(" ".join(chosen))
    day = 1 + number % 28
    head = f"---\ntitle: {title} {number}\npublished: 2024-03-{day:02d}\n"
    head += f"url: https://example.org/articles/{number}\npublisher: Bench Gazette\n---\n"
    return head + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, passages: int, seed: int = SEED) -> int:
    """Write articles adding up to ~``passages`` passages into ``folder``; returns files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng, sentences, vocab = random.Random(seed), shipped_sentences(), synthetic.words()
    files = max(1, round(passages / PARAGRAPHS))
    for number in range(files):
        text = article(rng, number, sentences, vocab)
        (folder / f"a{number:07d}.md").write_text(text, encoding="utf-8")
    return files


def cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children."""
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load_stages(folder: str) -> dict[str, float]:
    """In a child process: ``knowledge.load(folder)`` stage by stage, timed."""
    from knowledge.loading import build
    from knowledge.sources import load_sources

    with TreePeak() as peak:
        cpu, started = cpu_s(), time.perf_counter()
        result = load_sources([Path(folder)])
        read, read_cpu = time.perf_counter(), cpu_s()
        built = build(result.sources, [Path(folder)])
        done, done_cpu = time.perf_counter(), cpu_s()
    assert built.ask(QUESTION).answered, "the index built does not answer"
    return {
        "read": read - started,
        "build": done - read,
        "total": done - started,
        "read_cpu": read_cpu - cpu,
        "build_cpu": done_cpu - read_cpu,
        "total_cpu": done_cpu - cpu,
        "passages": float(len(built.passages)),
        "problems": float(len(result.problems)),
        "peak_rss_mb": peak.total_mb(),
    }


def in_child(function: Callable[[str], dict[str, float]], folder: Path) -> dict[str, float]:
    """``function(folder)`` in a fresh ``spawn`` process, so its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, str(folder)).result()


def timed_ask(config: Path) -> tuple[float, dict[str, Any]]:
    """Seconds from launching ``python -m bot ask --json`` to its exit, and its answer."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--config", str(config), QUESTION],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return time.perf_counter() - started, json.loads(out)


def pipeline(passages: int, repeat: int = 3) -> list[PipelineRow]:
    """Measure the load stages and a cold ``ask`` with and without a saved snapshot."""
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        folder, storage = Path(tmp) / "knowledge", Path(tmp) / "storage"
        write_corpus(folder, passages)
        runs = [in_child(load_stages, folder) for _ in range(repeat)]
        count = int(runs[0]["passages"])
        rows = [
            PipelineRow(
                f"load: {stage}",
                statistics.median(r[stage] for r in runs),
                count,
                repeat,
                count / statistics.median(r[stage] for r in runs),
                statistics.median(r["peak_rss_mb"] for r in runs) if stage == "total" else None,
                statistics.median(r[f"{stage}_cpu"] for r in runs),
            )
            for stage in ("read", "build", "total")
        ]
        config = Path(tmp) / "config.yaml"
        config.write_text(f"knowledge:\n  dirs: [{folder}]\nstorage:\n  dir: {storage}\n")
        cold, warm = [], []
        for _ in range(repeat):
            cache = storage / "cache" / "knowledge.npz"
            cache.unlink(missing_ok=True)
            cold.append(timed_ask(config)[0])
            warm.append(timed_ask(config)[0])
        rows.append(PipelineRow("ask: no snapshot", statistics.median(cold), count, repeat))
        rows.append(PipelineRow("ask: with snapshot", statistics.median(warm), count, repeat))
    return rows


def format_pipeline(rows: list[PipelineRow]) -> str:
    """The rows as a table, then the ratios that matter."""
    head = f"{'stage':<20} {'passages':>9} {'median s':>9} {'passages/s':>11} {'peak MB':>8}"
    lines = [f"{head} {'CPU s':>7}"]
    for r in rows:
        rate = f"{r.passages_per_s:11.0f}" if r.passages_per_s else f"{'-':>11}"
        rss = f"{r.peak_rss_mb:8.0f}" if r.peak_rss_mb else f"{'-':>8}"
        cpu = f"{r.cpu_s:7.2f}" if r.cpu_s is not None else f"{'-':>7}"
        lines.append(f"{r.stage:<20} {r.passages:>9} {r.seconds:9.2f} {rate} {rss} {cpu}")
    by = {r.stage: r.seconds for r in rows}
    if by.get("ask: with snapshot"):
        ratio = by["ask: no snapshot"] / by["ask: with snapshot"]
        lines.append(f"\nask without / with the snapshot: {ratio:.1f}x")
    if by.get("load: total"):
        share = by["load: read"] / by["load: total"]
        lines.append(f"reading files: {share:.0%} of the load; building: {1 - share:.0%}")
    return "\n".join(lines)
