"""The operations keys of the ``telegram`` section: flood limits and the health port."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FloodConfig", "HealthConfig"]


@dataclass(frozen=True, slots=True)
class FloodConfig:
    """Questions answered per sliding minute; past a limit one notice, then silence."""

    per_user_per_minute: int = 10  # one user, in every chat together; admins are exempt
    per_group_per_minute: int = 20  # one group chat, all its members together


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """/healthz and /metrics in polling mode (a webhook serves them on its own port)."""

    port: int = 0  # 0 = not served
    listen: str = "127.0.0.1"
