"""The bot's typed state: the current knowledge snapshot, the reload lock and swap, the log."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from telegram.ext import CallbackContext, ContextTypes, ExtBot

import knowledge
from bot import uploads
from bot.config import Config
from bot.render import passage_key, question_key
from bot.stats import QuestionLog
from knowledge.snapshot import load_cached

logger = logging.getLogger(__name__)

REMEMBERED_QUESTIONS = 5_000  # questions whose "More" button still works without a reply


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable knowledge snapshot and the button keys of its passages."""

    knowledge: knowledge.Knowledge
    passages_by_key: dict[str, str]  # passage_key(passage) -> passage id

    @classmethod
    def load(cls, dirs: tuple[Path, ...], cache_dir: Path | None = None) -> Snapshot:
        """Load and index ``dirs`` (blocking; raises KnowledgeError).

        With ``cache_dir``, a snapshot saved there is reused when the files are unchanged, and
        a fresh build is saved there (``knowledge.snapshot.load_cached``).
        """
        loaded = knowledge.load(dirs) if cache_dir is None else load_cached(dirs, cache_dir)
        return cls(loaded, {passage_key(p): p.id for p in loaded.passages})

    def passage(self, key: str) -> knowledge.Passage | None:
        """The passage behind a "Source" button key."""
        passage_id = self.passages_by_key.get(key)
        return self.knowledge.passage(passage_id) if passage_id else None


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: the diff when swapped, the problems when not."""

    diff: knowledge.KnowledgeDiff | None
    problems: tuple[knowledge.Problem, ...]
    took_ms: float


class BotState:
    """Everything handlers share (PTB's ``bot_data``)."""

    def __init__(self, config: Config, snapshot: Snapshot, log: QuestionLog) -> None:
        self.config = config
        self.snapshot = snapshot  # replaced by one assignment on reload, never mutated
        self.log = log
        self.reload_lock = asyncio.Lock()
        self._questions: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def create(cls, config: Config) -> BotState:
        """Prepare ``storage.dir`` and load the knowledge (blocking; raises KnowledgeError)."""
        config.storage.sources_dir.mkdir(parents=True, exist_ok=True)
        log = QuestionLog(config.storage.dir / "questions.sqlite3", config.storage.max_questions)
        return cls(config, Snapshot.load(knowledge_dirs(config), cache_dir(config)), log)

    @property
    def knowledge(self) -> knowledge.Knowledge:
        """The snapshot currently serving questions."""
        return self.snapshot.knowledge

    def is_admin(self, user_id: int | None) -> bool:
        """True for the ids in ``telegram.admin_ids``."""
        return user_id is not None and user_id in self.config.telegram.admin_ids

    def remember(self, question: str) -> str:
        """Keep ``question`` for its "More" button; returns its key."""
        key = question_key(question)
        self._questions[key] = question
        self._questions.move_to_end(key)
        while len(self._questions) > REMEMBERED_QUESTIONS:
            self._questions.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        """The question behind a "More" key, if still remembered."""
        return self._questions.get(key)

    async def reload(self) -> ReloadResult:
        """Rebuild from every knowledge folder off the event loop; swap only if all is well."""
        async with self.reload_lock:
            return await self._reload()

    async def _reload(self) -> ReloadResult:
        started = time.perf_counter()
        try:
            dirs, cache = knowledge_dirs(self.config), cache_dir(self.config)
            fresh = await asyncio.to_thread(Snapshot.load, dirs, cache)
        except knowledge.KnowledgeError as exc:
            took = (time.perf_counter() - started) * 1000
            logger.warning("reload refused: %d problem(s)", len(exc.problems))
            return ReloadResult(None, tuple(exc.problems), took)
        diff = fresh.knowledge.diff(self.snapshot.knowledge)
        self.snapshot = fresh  # the atomic swap: questions in flight keep the old one
        took = (time.perf_counter() - started) * 1000
        logger.info("reloaded: %d sources, %d passages", diff.sources, diff.passages)
        return ReloadResult(diff, (), took)

    async def add_source(self, name: str, data: bytes) -> ReloadResult:
        """Check an uploaded file, save it as ``sources_dir/name``, reload; undo on any problem.

        ``name`` must already be a safe bare file name (see ``bot.admin.safe_name``).
        """
        async with self.reload_lock:
            problems = await asyncio.to_thread(uploads.check_upload, name, data)
            if problems:
                return ReloadResult(None, problems, 0.0)
            target = self.config.storage.sources_dir / name
            previous = await asyncio.to_thread(uploads.install, target, data)
            result = await self._reload()
            if result.problems:
                await asyncio.to_thread(uploads.restore, target, previous)
            return result


def knowledge_dirs(config: Config) -> tuple[Path, ...]:
    """The configured folders (or the shipped corpus), then the uploads folder."""
    config.storage.sources_dir.mkdir(parents=True, exist_ok=True)
    return config.source_dirs(knowledge.default_dirs())


def cache_dir(config: Config) -> Path:
    """Where the built knowledge snapshot is kept for a fast start: ``storage.dir/cache``."""
    return config.storage.dir / "cache"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]):
    """The handlers' context, with the current knowledge at hand."""

    @property
    def state(self) -> BotState:
        """The shared bot state."""
        return self.bot_data

    @property
    def knowledge(self) -> knowledge.Knowledge:
        """The knowledge snapshot serving this update."""
        return self.bot_data.knowledge


def context_types(state: BotState) -> ContextTypes:
    """Context types whose ``bot_data`` is ``state`` itself (PTB calls the factory once)."""
    return ContextTypes(context=BotContext, bot_data=cast(type[BotState], lambda: state))
