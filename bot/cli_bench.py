"""``python -m bot bench``: its options, and the benchmarks, imported only when it runs.

The ``bench`` package is not imported by any other command (nor by the core): the parser's
option types import it on use, and each kind of benchmark inside its branch.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.config import Config
from knowledge.semantic import SemanticUnavailable

if TYPE_CHECKING:
    from bot.cli import Streams

OK, PROBLEMS, USAGE = 0, 1, 2  # bot.cli.ExitStatus


def bench_semantic(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """What the semantic stage adds per question on the configured corpus (``--semantic``)."""
    from bench.semantic import format_report, questions_from, run

    model = args.semantic or config.search.semantic.model
    try:
        questions = questions_from(args.questions)
        row = run(model, config.source_dirs(), questions, args.repeats or 5)
    except (ValueError, SemanticUnavailable) as exc:  # a bad question file, or no model
        io.warn(f"bench --semantic: {exc}")
        return USAGE if isinstance(exc, ValueError) else PROBLEMS
    io.say(json.dumps(row, indent=2) if args.json else format_report(row))
    return OK


def cmd_bench(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Benchmark the search path against naive rank-bm25 (and bm25s) on synthetic corpora."""
    if args.semantic is not None:
        return bench_semantic(args, config, io)
    if args.e2e:
        from bench.e2e import format_e2e, run_e2e  # lazy: bench is imported by `bench` only

        e2e = asyncio.run(run_e2e(args.queries, args.users, args.rate, args.reload_passages))
        io.say(json.dumps([r.to_json() for r in e2e], indent=2) if args.json else format_e2e(e2e))
        return OK
    if args.pipeline:
        from bench.pipeline import format_pipeline, pipeline

        steps = pipeline(args.pipeline, args.repeats or 3)
        text = format_pipeline(steps)
        io.say(json.dumps([r.to_json() for r in steps], indent=2) if args.json else text)
        return OK
    if args.cold_start:
        from bench.coldstart import cold_start, format_cold_start

        cold = cold_start(args.cold_start)
        text = format_cold_start(cold)
        io.say(json.dumps([r.to_json() for r in cold], indent=2) if args.json else text)
        return OK
    from bench.engines import ENGINES, bench
    from bench.report import format_table

    rows = bench(args.sizes, args.engines or ENGINES, args.queries, args.naive_budget)
    io.say(json.dumps([r.to_json() for r in rows], indent=2) if args.json else format_table(rows))
    return OK


def _bench_option(name: str) -> Callable[[str], object]:
    """An argparse ``type`` that parses with ``bench.engines.<name>``, imported on use."""

    def parse(text: str) -> object:
        from bench import engines

        return getattr(engines, name)(text)

    parse.__name__ = name  # argparse names it in "invalid <name> value"
    return parse


def _number(kind: type, low: float, what: str) -> Callable[[str], object]:
    """An argparse ``type``: a finite ``kind`` of at least ``low`` (``what`` names the rule)."""

    def parse(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: must be {what}")
        return value

    parse.__name__ = what
    return parse


def add_bench_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``bench`` subcommand's options."""
    count = _bench_option("positive_int")
    bp = sub.add_parser("bench", parents=[common], help="benchmark search (SPEC section 5)")
    bp.add_argument("--json", action="store_true", help="print rows as a JSON list")
    bp.add_argument(
        "--sizes",
        type=_bench_option("size_list"),
        default=[10_000, 100_000, 1_000_000],
        help="passages per synthetic corpus, comma-separated (default 10000,100000,1000000)",
    )
    bp.add_argument("--engines", type=_bench_option("engine_list"), help="default: all")
    bp.add_argument("--queries", type=count, default=200, help="fixed queries (default 200)")
    bp.add_argument(
        "--naive-budget",
        type=_number(float, 1e-9, "above 0"),
        default=60.0,
        metavar="SECONDS",
        help="time for naive rank-bm25's queries per size (at least 20 run)",
    )
    bp.add_argument("--e2e", action="store_true", help="bot latency via the fake Bot API")
    bp.add_argument("--users", type=count, default=20, help="--e2e: concurrent users")
    bp.add_argument(
        "--rate",
        type=_number(float, 0, "0 or more"),
        default=10.0,
        help="--e2e: questions per second (0: waves of --users at once)",
    )
    bp.add_argument(
        "--reload-passages",
        type=_number(int, 0, "0 or more"),
        default=0,
        metavar="N",
        help="--e2e: /reload N passages",
    )
    bp.add_argument(
        "--cold-start", type=count, metavar="N", help="launch-to-answer time, N passages"
    )
    bp.add_argument(
        "--pipeline", type=count, metavar="N", help="files -> index and a cold ask, N passages"
    )
    bp.add_argument(
        "--semantic",
        nargs="?",
        const="",
        metavar="MODEL",
        help="cost of the semantic stage on the corpus (default model: the configured one)",
    )
    bp.add_argument("--questions", metavar="FILE", help="--semantic: question set to time")
    bp.add_argument(
        "--repeats", type=count, help="--semantic: asks per question (5); --pipeline: runs (3)"
    )
