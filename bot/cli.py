"""The command line: run, ask, check, eval, bench, add, feeds, stats. Work elsewhere."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from enum import IntEnum
from io import TextIOWrapper
from pathlib import Path
from typing import TextIO

import knowledge
from bot.cli_bench import add_bench_parser, cmd_bench
from bot.cli_news import add_parsers, cmd_add, cmd_feeds
from bot.config import Config, ConfigError, check_storage, load_config
from bot.language import in_language
from bot.phrases import say
from knowledge.ablation import ablate, format_ablation
from knowledge.decision import with_similarity
from knowledge.evaluation import EvalReport, evaluate, load_questions
from knowledge.features import FEATURES, PRODUCT, RankingOptions
from knowledge.language.frequency import load_word_lists
from knowledge.semantic import attach_semantic, find_precedents, semantic_problem
from knowledge.snapshot import load_cached

__all__ = ["ExitStatus", "main", "main_entry"]


class ExitStatus(IntEnum):
    """Exit codes: 0 ok, 1 problems found, 2 usage or configuration error."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2


class Streams:
    """Where a command writes: injected so tests run the CLI in-process."""

    def __init__(self, stdout: TextIO, stderr: TextIO) -> None:
        self.out = stdout
        self.err = stderr

    def say(self, text: str = "") -> None:
        """Write one line to stdout."""
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        """Write one line to stderr."""
        print(text, file=self.err)


def _load_knowledge(config: Config, io: Streams, save: bool = True) -> knowledge.Knowledge | None:
    """The knowledge `run` would serve, from the same saved snapshot when it is current
    (saved only when ``config.saves_snapshots``)."""
    save = save and config.saves_snapshots
    try:
        loaded = load_cached(config.source_dirs(), config.storage.cache_dir, save)
    except knowledge.KnowledgeError as exc:
        for problem in exc.problems:
            io.warn(str(problem))
        io.warn("knowledge not loaded: fix the files above (see `python -m bot check`)")
        return None
    load_word_lists(["en"])  # as `run` does (uk/ru when asked): took_ms is the question's own
    semantic = config.search.semantic
    fused = attach_semantic(
        loaded,
        semantic.model,
        config.storage.cache_dir,
        semantic.languages,
        precedents=find_precedents(config.source_dirs()),
    )
    return (
        fused.with_thresholds(with_similarity(semantic.min_similarity)) if fused.semantic else fused
    )


def format_answer(answer: knowledge.Answer) -> str:
    """An answer as plain terminal text: numbered excerpts, each with its citation; labels
    (sides, topics, rounds) named in ``answer.language``, as a Telegram reply names them."""
    notes = (
        knowledge.no_english_note(answer.language, [e.text for e in answer.excerpts]),
        knowledge.as_of_note(answer.as_of, answer.language),
    )
    return "".join(f"{n}\n\n" for n in notes if n) + _format_body(answer)


def _format_body(answer: knowledge.Answer) -> str:
    if not answer.answered:  # the lines a Telegram refusal says, in the same language
        said = say("no_answer", answer.language)
        tips = "".join(f"\n  - {s}" for s in answer.suggestions)
        return f"{said}\n{say('no_answer_lead', answer.language)}{tips}" if tips else said
    return "\n\n".join(_format_excerpt(e, answer.language) for e in answer.excerpts)


def _format_excerpt(excerpt: knowledge.Excerpt, language: str) -> str:
    """One numbered excerpt, its label (a structured answer's) in ``language``, its citation."""
    label = excerpt.label_in(language)
    head = f"[{label}] " if label else ""
    return f"{excerpt.rank}. {head}{excerpt.text}\n   — {excerpt.source.citation()}"


def cmd_ask(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Answer one question as the bot would."""
    question = " ".join(args.question).strip()
    if not question:
        io.warn("ask: give a question, e.g. python -m bot ask what does Russia demand")
        return ExitStatus.USAGE
    loaded = _load_knowledge(config, io)
    if loaded is None:
        return ExitStatus.PROBLEMS
    answer = loaded.ask(question, top=args.top)
    if args.json:  # the SPEC's fixed shape: as the core answered
        io.say(json.dumps(answer.to_json(), ensure_ascii=False))
    else:  # in the language a Telegram reply would speak (no app language here: English)
        io.say(format_answer(in_language(answer, None, loaded)))
    return ExitStatus.OK


def cmd_check(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Validate every knowledge file; print each problem as path:line: message."""
    if config.token_problem:  # only `run` needs a token: a warning, not a problem
        io.say(f"warning: {config.token_problem} (`run` refuses to start with it)")
    problems, warnings = knowledge.check(config.source_dirs())
    for problem in problems:
        io.say(str(problem))
    shipped = tuple(str(d) for d in knowledge.default_dirs())
    for warning in warnings:  # the shipped corpus's are ours to fix, not the operator's
        if not warning.path.startswith(shipped):
            io.say(f"{warning.path}:{warning.line}: warning: {warning.message}")
    if problems:
        io.warn(f"{len(problems)} problem(s) found")
        return ExitStatus.PROBLEMS
    loaded = load_cached(config.source_dirs(), config.storage.cache_dir, config.saves_snapshots)
    model = config.search.semantic.model
    problem = semantic_problem(model, config.storage.cache_dir)
    if problem:
        io.say(f"{config.path or '<defaults>'}: search.semantic.model: {problem}")
        io.warn("1 problem(s) found: the bot would answer with BM25 only")
        return ExitStatus.PROBLEMS
    semantic = f", semantic model {model}" if model else ""
    if not loaded.sources:
        io.say("warning: no sources in the knowledge folders: every question will be refused")
    io.say(f"ok: {len(loaded.sources)} sources, {len(loaded.passages)} passages{semantic}")
    return ExitStatus.OK


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport) -> str:
    """Metrics overall and per style, then one line per miss."""
    keys = ("hit@1", "hit@3", "mrr", "no_answer_accuracy", "graceful_rate")
    head = f"{'style':<14}{'n':>4}" + "".join(f"{k:>20}" for k in keys)
    rows = [head]
    for style, metrics in [*report.by_style.items(), ("overall", report.metrics)]:
        cells = "".join(f"{_percent(metrics[k]):>20}" for k in keys)
        rows.append(f"{style:<14}{metrics['questions']:>4}{cells}")
    for miss in report.misses:
        where = f"rank {miss.rank}" if miss.rank else (miss.error or "no evidence in top 3")
        if miss.item.expect == "no_answer":
            where = "answered, expected no answer"
        rows.append(f"MISS {miss.item.id} [{miss.item.style}] {miss.item.question[:80]!r}: {where}")
    return "\n".join(rows)


def cmd_eval(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Run a question set and print its metrics."""
    try:
        items = load_questions(Path(args.questions))
    except ValueError as exc:
        io.warn(str(exc))
        return ExitStatus.USAGE
    loaded = _load_knowledge(config, io)
    if loaded is None:
        return ExitStatus.PROBLEMS
    options = options_from(args.without)
    if args.ablate:
        rows = ablate(items, loaded, options)
        text = format_ablation(rows)
        io.say(json.dumps([r.to_json() for r in rows], indent=2) if args.json else text)
        return ExitStatus.OK
    report = evaluate(items, loaded.with_options(options).ask)
    io.say(json.dumps(report.to_json(), indent=2) if args.json else format_report(report))
    return ExitStatus.OK


def feature_list(text: str) -> list[str]:
    """Comma-separated ranking feature names (argparse type)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown feature(s) {', '.join(unknown)}; known: {', '.join(FEATURES)}"
        )
    return names


def options_from(without: Sequence[str]) -> RankingOptions:
    """The product's ranking options with the features ``without`` switched off."""
    options = PRODUCT
    for feature in without:
        options = options.without(feature)
    return options


def cmd_stats(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """What /stats shows: sources, passages, questions, no-answer rate, latency, votes."""
    from bot import db, report  # lazy: the report is rendered by the bot's own modules

    where, log = config.storage.dir, db.path_in(config.storage.dir)
    if where.exists() and not where.is_dir():
        io.warn(f"{config.path or '<defaults>'}: storage.dir: {where} is a file, not a folder")
        return ExitStatus.USAGE
    if not log.exists():  # zeros from a storage.dir the bot never used would mislead
        io.warn(f"note: no question log at {log}: the bot has not run with this storage.dir")
    loaded = _load_knowledge(config, io, save=False)  # a report writes nothing
    if loaded is None:
        return ExitStatus.PROBLEMS
    text, problem = report.render(config.storage.dir, loaded, as_json=args.json)
    if problem is not None:
        io.warn(problem)
        return ExitStatus.PROBLEMS
    io.say(text)
    return ExitStatus.OK


def cmd_run(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Run the Telegram bot until interrupted."""
    if config.token_problem:  # the one command a malformed token stops
        io.warn(config.token_problem)
        return ExitStatus.USAGE
    if not config.telegram.token:
        io.warn(
            "run: no bot token. Set TELEGRAM_BOT_TOKEN or telegram.token in the config file "
            "(`python -m bot ask QUESTION` works without one)."
        )
        return ExitStatus.USAGE
    from bot.app import run  # lazy: only `run` needs Telegram

    return run(config)


DESCRIPTION = (
    "A Telegram bot that answers questions about the Russia-Ukraine ceasefire talks with short, "
    "cited excerpts from sourced articles. Without a token, ask, check and eval work offline."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="ceasefire-bot", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="YAML config (default ./config.yaml)")
    sub.add_parser("run", parents=[common], help="run the Telegram bot")
    ask = sub.add_parser("ask", parents=[common], help="answer a question in the terminal")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--top", type=int, default=3, metavar="N", help="excerpts (default 3)")
    ask.add_argument("question", nargs="+", help="the question")
    sub.add_parser("check", parents=[common], help="validate config and knowledge files")
    ev = sub.add_parser("eval", parents=[common], help="run a question set, print metrics")
    ev.add_argument("--json", action="store_true", help="print metrics as JSON")
    ev.add_argument(
        "--ablate", action="store_true", help="one row per ranking feature switched off"
    )
    ev.add_argument(
        "--without",
        type=feature_list,
        default=[],
        metavar="F1,F2",
        help=f"switch ranking features off: {', '.join(FEATURES)}",
    )
    ev.add_argument("questions", metavar="QUESTIONS.yaml")
    stats = sub.add_parser("stats", parents=[common], help="what /stats shows, in the terminal")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    add_bench_parser(sub, common)
    add_parsers(sub, common)
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace, Config, Streams], int]] = {
    "run": cmd_run,
    "ask": cmd_ask,
    "check": cmd_check,
    "eval": cmd_eval,
    "bench": cmd_bench,
    "add": cmd_add,
    "feeds": cmd_feeds,
    "stats": cmd_stats,
}


STATEFUL = ("run", "check", "add", "feeds")  # commands whose storage.dir must be usable


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Parse ``argv``, load the config once, run the command; return the exit status."""
    io = Streams(stdout or sys.stdout, stderr or sys.stderr)
    parser = build_parser()
    try:
        with redirect_stdout(io.out), redirect_stderr(io.err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message or --help
        return int(exc.code or 0)
    if getattr(args, "top", 1) < 1:
        io.warn("ask: --top must be at least 1")
        return ExitStatus.USAGE
    if args.config is not None and not args.config.strip():  # not "no --config": a mistake
        io.warn(f"{args.command}: --config: empty file name (leave it out for ./config.yaml)")
        return ExitStatus.USAGE
    try:
        config = load_config(Path(args.config) if args.config else None)
        if args.command in STATEFUL:  # `check` validates all that `run` would refuse
            check_storage(config)
    except ConfigError as exc:
        io.warn(str(exc))
        return ExitStatus.USAGE
    return COMMANDS[args.command](args, config, io)


def main_entry() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):  # an ASCII or cp1252 terminal: escapes, no crash
        if isinstance(stream, TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `python -m bot ask ... | head`: the reader left, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = ExitStatus.OK
    sys.exit(code)
