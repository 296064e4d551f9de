"""Peak memory of a process and every process it starts: the sum of each one's own peak.

``getrusage(RUSAGE_CHILDREN)`` gives only the largest child's peak, and counts a ``spawn``
child's pages from before its ``exec`` (a copy of the parent's size at that moment). So the
children are watched instead: a thread reads each descendant's ``VmHWM`` (its own peak
resident set, since its ``exec``) from ``/proc`` while it runs, and the peaks are added up
as if they had all come at once (an upper bound of what the machine held). Linux only;
elsewhere only the process's own peak is counted.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path
from types import TracebackType

POLL_S = 0.02  # a child lives for seconds at least: its last peak is read before it exits


def own_peak_mb() -> float:
    """This process's peak resident set so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children(pid: int) -> list[int]:
    """The pids of the live children of ``pid`` (every thread's), from ``/proc``."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:  # gone meanwhile, or no /proc
        pass
    return found


def peak_kb(pid: int) -> int:
    """``pid``'s own peak resident set (``VmHWM``) in KiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreePeak:
    """Context manager: while open, the peaks of every descendant of this process are kept."""

    def __init__(self) -> None:
        """Nothing is watched until entered."""
        self.peaks_kb: dict[int, int] = {}  # descendant pid -> its peak seen so far
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreePeak:
        """Start watching."""
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop watching (after one last look)."""
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(POLL_S):
            self._look()
        self._look()

    def _look(self) -> None:
        """Read the peak of every live descendant once."""
        pending, seen = children(os.getpid()), set()
        while pending:
            pid = pending.pop()
            if pid not in seen:
                seen.add(pid)
                self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), peak_kb(pid))
                pending += children(pid)

    def total_mb(self) -> float:
        """This process's peak plus every descendant's, in MiB."""
        return own_peak_mb() + sum(self.peaks_kb.values()) / 1024

    def children_mb(self) -> list[float]:
        """Each descendant's peak in MiB, largest first."""
        return sorted((kb / 1024 for kb in self.peaks_kb.values()), reverse=True)
