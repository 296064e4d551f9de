"""Flood limits: a sliding minute of answered questions per user and per group chat.

Past a limit the first question gets one polite notice and the next ones silence, until
enough of that minute's answered questions have aged out. Refused questions are not counted,
so a flooder never eats into their group's budget beyond their own limit, and is answered
again as soon as the window lets them. Pure and clock-injected: no Telegram, no sleeps.
"""

from __future__ import annotations

import enum
import math
import time
from collections import deque
from collections.abc import Callable

from bot.config import FloodConfig

__all__ = ["WINDOW_S", "Decision", "FloodGuard", "SlidingWindow"]

WINDOW_S = 60.0  # the "per minute" of the limits, in seconds
SWEEP_EVERY_S = 300.0  # how often keys that went quiet are forgotten (bounded memory)


class Decision(enum.Enum):
    """What to do with one question."""

    ANSWER = "answer"
    NOTICE_USER = "notice_user"  # the user's limit was just reached: tell them once
    NOTICE_GROUP = "notice_group"  # the group's limit was just reached: tell the group once
    SILENCE = "silence"  # over a limit and already told


class SlidingWindow:
    """Times of the answered questions of each key within the last ``span`` seconds."""

    def __init__(self, limit: int, span: float = WINDOW_S) -> None:
        self.limit = limit
        self.span = span
        self._times: dict[int, deque[float]] = {}
        self._noticed: set[int] = set()  # keys told about their limit since their last answer

    def full(self, key: int, now: float) -> bool:
        """True when ``key`` already had ``limit`` answers within the window ending ``now``."""
        times = self._times.get(key)
        if times is None:
            return False
        while times and times[0] <= now - self.span:
            times.popleft()
        if not times:
            del self._times[key]
            return False
        return len(times) >= self.limit

    def add(self, key: int, now: float) -> None:
        """Count one answered question of ``key``."""
        self._times.setdefault(key, deque()).append(now)
        self._noticed.discard(key)

    def wait(self, key: int, now: float) -> float:
        """Seconds until ``key`` may be answered again (0 when it may now)."""
        times = self._times.get(key)
        if not times or len(times) < self.limit:
            return 0.0
        return max(times[-self.limit] + self.span - now, 0.0)

    def refuse(self, key: int) -> bool:
        """Record a refusal; True only for the first since ``key``'s last answer."""
        first = key not in self._noticed
        self._noticed.add(key)
        return first

    def sweep(self, now: float) -> None:
        """Forget keys with no answer inside the window."""
        for key in [k for k, times in self._times.items() if times[-1] <= now - self.span]:
            del self._times[key]
        self._noticed &= self._times.keys()

    def __len__(self) -> int:
        return len(self._times)


class FloodGuard:
    """The per-user and per-group limits of ``telegram.flood``, on one injected clock."""

    def __init__(self, limits: FloodConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.users = SlidingWindow(limits.per_user_per_minute)
        self.groups = SlidingWindow(limits.per_group_per_minute)
        self._next_sweep = clock() + SWEEP_EVERY_S

    def check(self, user_id: int, group_id: int | None = None) -> Decision:
        """Decide on one question of ``user_id`` (in group ``group_id``); count it if answered."""
        now = self.clock()
        if now >= self._next_sweep:
            self.users.sweep(now)
            self.groups.sweep(now)
            self._next_sweep = now + SWEEP_EVERY_S
        if self.users.full(user_id, now):
            return Decision.NOTICE_USER if self.users.refuse(user_id) else Decision.SILENCE
        if group_id is not None and self.groups.full(group_id, now):
            return Decision.NOTICE_GROUP if self.groups.refuse(group_id) else Decision.SILENCE
        self.users.add(user_id, now)
        if group_id is not None:
            self.groups.add(group_id, now)
        return Decision.ANSWER

    def wait(self, user_id: int, group_id: int | None = None) -> int:
        """Whole seconds until a question of ``user_id`` (in ``group_id``) is answered again."""
        now = self.clock()
        waits = [self.users.wait(user_id, now)]
        waits += [self.groups.wait(group_id, now)] if group_id is not None else []
        return math.ceil(max(waits))
