"""The `add` and `feeds` commands: articles by URL and news feeds, from the terminal."""

from __future__ import annotations

import argparse
import asyncio
from typing import Protocol

from bot.config import Config


class Streams(Protocol):
    """What a command writes to (bot.cli.Streams)."""

    def say(self, text: str = "") -> None: ...

    def warn(self, text: str) -> None: ...


OK, PROBLEMS, USAGE = 0, 1, 2  # bot.cli.ExitStatus


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``add`` and ``feeds`` subcommands."""
    add = sub.add_parser("add", parents=[common], help="add articles by URL as sources")
    add.add_argument("urls", nargs="+", metavar="URL", help="http(s) address of an article")
    feeds = sub.add_parser("feeds", parents=[common], help="poll the configured news feeds")
    feeds.add_argument("--once", action="store_true", required=True, help="poll every feed once")


def cmd_add(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Fetch each URL, save new articles as sources; one line per URL."""
    from bot import adding  # lazy: httpx and trafilatura are only needed here

    known = adding.known_sources(config)
    outcomes = asyncio.run(adding.prepare_all(args.urls, adding.policy_of(config), known))
    added = [o for o in outcomes if o.status == adding.ADDED]
    problems = adding.save_files(config, [(o.name, o.data) for o in added])
    for outcome in outcomes:
        if outcome.status == adding.FAILED:
            io.warn(outcome.line())
        elif not (problems and outcome in added):
            io.say(outcome.line())
    for problem in problems:
        io.warn(f"not added: {problem}")
    failed = problems or any(o.status == adding.FAILED for o in outcomes)
    return PROBLEMS if failed else OK


def cmd_feeds(args: argparse.Namespace, config: Config, io: Streams) -> int:
    """Poll every configured feed once, add new entries, print the digest."""
    from bot import digest, feeds  # lazy: feedparser is only needed here

    if not config.knowledge.feeds:
        io.warn("feeds: no feeds configured (knowledge.feeds in the config file)")
        return USAGE
    batch = asyncio.run(feeds.poll_and_save(config, feeds.open_store(config), force=True))
    io.say(digest.digest_text(batch))
    return PROBLEMS if batch.failed else OK
