"""The bot's Prometheus metrics, served at ``/metrics``: one owner for every counter.

Each app gets a :class:`Metrics` with a ``CollectorRegistry`` of its own (never the global
one), reached by handlers and jobs as ``context.state.metrics``; so two apps in one process
(the tests) never share a count. Counters are named without ``_total``: the client adds it.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
PREFIX = "ceasefire"
# answers take milliseconds; a reply through Telegram tens to hundreds of them (seconds)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
VIAS = ("private", "group", "inline", "button")
OUTCOMES = ("answered", "no_answer")


class Metrics:
    """Counters, a latency histogram and gauges of the served index, in their own registry."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.questions = Counter(
            f"{PREFIX}_questions", "Questions asked, by where", ["via"], registry=r
        )
        self.answers = Counter(
            f"{PREFIX}_answers", "Questions with a sourced answer vs none", ["outcome"], registry=r
        )
        self.latency = Histogram(
            f"{PREFIX}_answer_seconds",
            "From a question's arrival to its answer sent (inline: to the results sent)",
            ["via"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.reloads = Counter(
            f"{PREFIX}_reloads", "Reloads, swapped or refused", ["result"], registry=r
        )
        self.feed_errors = Counter(f"{PREFIX}_feed_errors", "Feed polls that failed", registry=r)
        self.fetch_errors = Counter(
            f"{PREFIX}_fetch_errors", "Article fetches that failed", registry=r
        )
        self.votes = Counter(f"{PREFIX}_votes", "Feedback votes on answers", ["vote"], registry=r)
        self.flood_refused = Counter(
            f"{PREFIX}_flood_refused", "Questions past a flood limit", ["decision"], registry=r
        )
        self.sources = Gauge(f"{PREFIX}_sources", "Sources in the served index", registry=r)
        self.passages = Gauge(f"{PREFIX}_passages", "Passages in the served index", registry=r)
        self.degraded = Gauge(
            f"{PREFIX}_degraded",
            "1 while storage fails or the last good index serves in place of bad files",
            registry=r,
        )
        self._show_zeros()

    def _show_zeros(self) -> None:
        """Create the known label values, so a fresh bot shows 0 rather than nothing."""
        for via in VIAS:
            self.questions.labels(via)
            self.latency.labels(via)
        for outcome in OUTCOMES:
            self.answers.labels(outcome)
        for result in ("swapped", "refused"):
            self.reloads.labels(result)
        for vote in ("up", "down"):
            self.votes.labels(vote)

    def record_answer(self, via: str, answered: bool, seconds: float) -> None:
        """Count one question from ``via`` and its outcome; observe its latency (seconds)."""
        self.questions.labels(via).inc()
        self.answers.labels(OUTCOMES[0] if answered else OUTCOMES[1]).inc()
        self.latency.labels(via).observe(seconds)

    def watch(self, sizes: Callable[[], tuple[int, int]]) -> None:
        """Read the ``sources`` and ``passages`` gauges from ``sizes()`` at each scrape."""
        self.sources.set_function(lambda: sizes()[0])
        self.passages.set_function(lambda: sizes()[1])

    def watch_health(self, degraded: Callable[[], bool]) -> None:
        """Read the ``degraded`` gauge (1 or 0) from ``degraded()`` at each scrape."""
        self.degraded.set_function(lambda: float(degraded()))

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format (serve with ``CONTENT_TYPE``)."""
        return generate_latest(self.registry)
