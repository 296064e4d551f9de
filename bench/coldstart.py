"""``bench --cold-start``: seconds from launching a process to its first answer.

A knowledge folder of ~N passages is made from copies of the shipped articles. A fresh
``python -m bench.coldstart FOLDER CACHE`` process loads it through the snapshot cache
(``knowledge.snapshot.load_cached``) and answers one question; the parent times it from
launch to the answer line. The first launch builds and saves the snapshot, the next ones
start from it.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

QUESTION = "What did Russia demand at the Istanbul talks?"


@dataclass(frozen=True, slots=True)
class ColdStartRow:
    """One launch: whether a snapshot was there, seconds to the first answer, passages."""

    launch: str
    first_answer_s: float
    passages: int
    answered: bool

    def to_json(self) -> dict[str, Any]:
        """The row as ``bench --cold-start --json`` prints it."""
        return asdict(self)


def copy_corpus(source: Path, target: Path, passages: int, per_copy: int) -> int:
    """Copy ``source``'s files into ``target`` under new names until ~``passages`` passages."""
    originals = sorted(p for p in source.iterdir() if p.is_file())
    copies = max(1, math.ceil(passages / max(per_copy, 1)))
    target.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for path in originals:
            head, _, rest = path.name.partition(".")
            shutil.copyfile(path, target / f"{head}_copy{i}.{rest}")
    return copies


def launch(folder: Path, cache: Path, label: str) -> ColdStartRow:
    """Start a fresh interpreter that loads ``folder`` and answers; time it to the answer."""
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bench.coldstart", str(folder), str(cache)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.splitlines()[-1])
    return ColdStartRow(label, result["at"] - started, result["passages"], result["answered"])


def cold_start(passages: int, restarts: int = 2) -> list[ColdStartRow]:
    """A launch without a snapshot, then ``restarts`` launches that find it."""
    from knowledge.loading import default_dirs, load  # lazy: keep the child's import light

    shipped = default_dirs()[0]
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        folder, cache = Path(tmp) / "knowledge", Path(tmp) / "cache"
        copy_corpus(shipped, folder, passages, len(load([shipped]).passages))
        rows = [launch(folder, cache, "no snapshot (build + save)")]
        rows += [launch(folder, cache, "with snapshot") for _ in range(restarts)]
    return rows


def format_cold_start(rows: list[ColdStartRow]) -> str:
    """The rows as a small text table."""
    lines = [f"{'launch':<28} {'passages':>9} {'first answer s':>15}"]
    lines += [f"{r.launch:<28} {r.passages:>9} {r.first_answer_s:>15.2f}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Child process: load through the snapshot cache, answer, print one JSON line."""
    from knowledge.snapshot import load_cached

    knowledge = load_cached([Path(argv[0])], Path(argv[1]))
    answer = knowledge.ask(QUESTION)
    done = time.monotonic()  # the system's monotonic clock: the parent reads the same one
    print(
        json.dumps({"at": done, "passages": len(knowledge.passages), "answered": answer.answered})
    )


if __name__ == "__main__":
    main(sys.argv[1:])
