"""The bot's typed state: the knowledge being served, the reload lock and swap, the log."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

import knowledge
from bot import db, keyboards, texts, uploads
from bot.answers import AnswerStore
from bot.config import Config
from bot.feedback import VoteLog
from bot.flood import FloodGuard
from bot.loaded import Loaded
from bot.metrics import Metrics
from bot.stats import QuestionLog
from knowledge.sources import SIDECAR, source_files

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: the diff when swapped, the problems when not."""

    diff: knowledge.KnowledgeDiff | None
    problems: tuple[knowledge.Problem, ...]
    took_ms: float


PROBLEMS_SHOWN = 5  # knowledge problems /healthz lists (a broken folder may have thousands)
SERVED_KEPT = (
    10_000  # buttons served once (a "More", a Source in a group) a stale press cannot repeat
)


class BotState:
    """Everything handlers share (PTB's ``bot_data``)."""

    def __init__(
        self,
        config: Config,
        loaded: Loaded,
        log: QuestionLog,
        answers: AnswerStore | None = None,
        votes: VoteLog | None = None,
    ) -> None:
        self.config = config
        self.loaded = loaded  # replaced by one assignment on reload, never mutated
        self.log = log
        self._held = held_sources(config)  # files per configured folder at the last load
        self._listed: tuple[Loaded, list[knowledge.Source]] | None = None  # see listed_sources
        store = config.storage
        self.answers = answers or AnswerStore(log.path, store.max_answers, store.answer_days)
        self.votes = votes or VoteLog(log.path, store.max_answers)
        self.reload_lock = asyncio.Lock()
        self.flood = FloodGuard(config.telegram.flood)  # replaceable: tests inject a clock
        # buttons that post once, already pressed, newest last: an answer's "More" (its token),
        # a Source of an answer in a group ("token:n": members pressing it do not repeat it)
        self.served: dict[str, None] = {}
        self.metrics = Metrics()
        self.metrics.watch(lambda: (len(self.knowledge.sources), len(self.knowledge.passages)))
        self.metrics.watch_health(lambda: bool(self.problems()))
        # called after each swap that added sources (e.g. to notify followers)
        self.on_added: list[Callable[[knowledge.KnowledgeDiff], None]] = []

    @classmethod
    def create(cls, config: Config) -> BotState:
        """Prepare ``storage.dir`` and load the knowledge (blocking); with a bad file, the last
        index that loaded serves (``loaded.problems`` say why). Raises KnowledgeError when
        there is none."""
        config.storage.sources_dir.mkdir(parents=True, exist_ok=True)
        uploads.clean_incoming(config.storage.sources_dir)
        log = QuestionLog(db.path_in(config.storage.dir), config.storage.max_questions)
        dirs, cache = config.source_dirs(), cache_dir(config)
        try:
            loaded = Loaded.load(dirs, cache)
        except knowledge.KnowledgeError as exc:  # no restart loop over one bad file
            last = Loaded.last_good(dirs, cache, exc.problems)
            if last is None:
                raise
            loaded = last
        fused = loaded.with_semantic(config.search.semantic, cache, dirs=dirs)
        return cls(config, fused, log)

    @property
    def knowledge(self) -> knowledge.Knowledge:
        """The knowledge currently serving questions."""
        return self.loaded.knowledge

    def listed_sources(self) -> list[knowledge.Source]:
        """The sources as /sources lists them, newest first: sorted once per loaded index
        (blocking: about 0.4 s at 100k sources, so handlers call it in a thread)."""
        loaded, listed = self.loaded, self._listed
        if listed is None or listed[0] is not loaded:
            listed = self._listed = (loaded, texts.newest_first(loaded.knowledge.sources))
        return listed[1]

    def unserve(self, key: str) -> None:
        """Forget that the button ``key`` was served (its post failed: a later press retries)."""
        self.served.pop(key, None)

    def serve(self, key: str) -> None:
        """Remember that the button ``key`` (see ``served``) was served (the newest 10,000)."""
        self.served[key] = None
        if len(self.served) > SERVED_KEPT:
            del self.served[next(iter(self.served))]

    def problems(self) -> list[str]:
        """Why the bot serves less than configured, one line each (/healthz); empty when well."""
        found = [f"knowledge: {p}" for p in self.loaded.problems[:PROBLEMS_SHOWN]]
        trouble = db.trouble(self.log.path)
        return found + ([f"storage: {self.log.path}: {trouble}"] if trouble else [])

    def is_admin(self, user_id: int | None) -> bool:
        """True for the ids in ``telegram.admin_ids``."""
        return user_id is not None and user_id in self.config.telegram.admin_ids

    async def reload(self) -> ReloadResult:
        """Rebuild from every knowledge folder off the event loop; swap only if all is well."""
        async with self.reload_lock:
            return await self._reload()

    async def _reload(self) -> ReloadResult:
        started = time.perf_counter()
        held = await asyncio.to_thread(held_sources, self.config)
        emptied = [
            _emptied(folder, self._held[folder]) for folder in emptied_folders(self._held, held)
        ]
        if emptied:  # a volume unmounted under a folder: keep serving what it held
            self.metrics.reloads.labels("refused").inc()
            return ReloadResult(None, tuple(emptied), _ms_since(started))
        try:
            dirs, cache = self.config.source_dirs(), self.config.storage.cache_dir
            fresh = await asyncio.to_thread(Loaded.load, dirs, cache)
            semantic = self.config.search.semantic
            fresh = await asyncio.to_thread(fresh.with_semantic, semantic, cache, self.loaded, dirs)
        except knowledge.KnowledgeError as exc:
            logger.warning("reload refused: %d problem(s)", len(exc.problems))
            self.metrics.reloads.labels("refused").inc()
            return ReloadResult(None, tuple(exc.problems), _ms_since(started))
        except Exception as exc:  # a value the core did not foresee: keep serving, say what
            self.metrics.reloads.labels("refused").inc()
            return ReloadResult(None, (_unforeseen(exc),), _ms_since(started))
        diff = fresh.knowledge.diff(self.loaded.knowledge)
        self.loaded = fresh  # the atomic swap: questions in flight keep the old one
        self._held = held
        self.metrics.reloads.labels("swapped").inc()
        logger.info("reloaded: %d sources, %d passages", diff.sources, diff.passages)
        if diff.added:
            for listener in self.on_added:
                listener(diff)
        return ReloadResult(diff, (), _ms_since(started))

    async def add_source(self, name: str, data: bytes) -> ReloadResult:
        """Check the whole set with the upload, save it as ``sources_dir/name``, reload.

        ``name`` must be a saved name from ``bot.uploads.safe_name``.
        """
        return await self.add_sources([(name, data)])

    async def add_sources(self, files: Sequence[tuple[str, bytes]]) -> ReloadResult:
        """Check the whole set with ``files`` (name, data), save them all, reload once.

        Nothing is written before the full set is known to load, so a crash at any point
        leaves folders the next start loads; a reload that fails anyway is rolled back.
        """
        async with self.reload_lock:
            uploads_dir = self.config.storage.sources_dir
            configured = self.config.source_dirs()
            configured = tuple(d for d in configured if d != uploads_dir)
            try:
                problems = await asyncio.to_thread(
                    uploads.check_uploads, configured, uploads_dir, files
                )
            except Exception as exc:  # as in _reload: refuse the upload, say what happened
                problems = (_unforeseen(exc),)
            if problems:
                self.metrics.reloads.labels("refused").inc()
                return ReloadResult(None, problems, 0.0)
            return await self._reload_with([(uploads_dir / name, data) for name, data in files])

    async def remove_source(self, path: Path) -> ReloadResult:
        """Delete the added source file ``path`` (and its sidecar), then reload.

        ``path`` must be in ``storage.dir/sources``. A reload that fails puts the files back.
        """
        async with self.reload_lock:
            files = (path, path.with_name(path.stem + SIDECAR))
            return await self._reload_with([(f, None) for f in files if f.is_file()])

    async def _reload_with(self, changes: Sequence[tuple[Path, bytes | None]]) -> ReloadResult:
        """Give each file its bytes (None: delete it), then reload; a reload that fails or is
        cancelled puts every file back as it was. The caller holds ``reload_lock``."""
        done: list[tuple[Path, bytes | None]] = []
        try:
            for target, data in changes:
                previous = target.read_bytes() if target.is_file() else None
                await asyncio.to_thread(uploads.put, target, data)
                done.append((target, previous))
            result = await self._reload()
        except BaseException:  # cancelled mid-reload: leave the folder as it was
            for target, previous in done:
                uploads.put(target, previous)
            raise
        if result.problems:
            for target, previous in done:
                await asyncio.to_thread(uploads.put, target, previous)
        return result


def held_sources(config: Config) -> dict[Path, int]:
    """How many source files each configured knowledge folder holds (uploads aside)."""
    uploads = config.storage.sources_dir
    return {d: len(source_files(d)) for d in config.source_dirs() if d != uploads}


def emptied_folders(before: dict[Path, int], now: dict[Path, int]) -> list[Path]:
    """The folders that held sources and now hold none (a folder gone is the loader's problem)."""
    return [d for d, n in now.items() if n == 0 and before.get(d, 0) > 0 and d.is_dir()]


def _emptied(folder: Path, had: int) -> knowledge.Problem:
    why = f"holds no source now (it held {had}): was a volume unmounted? Nothing was changed"
    return knowledge.Problem(str(folder), 1, why)


def _unforeseen(exc: Exception) -> knowledge.Problem:
    """An error the core did not turn into a Problem: logged in full, told in one line."""
    logger.error("loading the knowledge failed", exc_info=exc)
    return knowledge.Problem("knowledge", 0, f"cannot load: {exc} (the bot's log has details)")


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def cache_dir(config: Config) -> Path:
    """Where the knowledge snapshot and passage vectors are kept: ``storage.dir/cache``."""
    return config.storage.cache_dir


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]):
    """The handlers' context, with the current knowledge at hand. PTB makes one per update and
    hands it to every handler group, so a button press is decoded here once, for the flood
    guard and the button's handler alike."""

    pressed: keyboards.Callback | None = None  # a button press's data, decoded; else None

    @classmethod
    def from_update(cls, update: object, application: Application) -> BotContext:
        """The context of ``update``, with its button press (if any) decoded."""
        context = super().from_update(update, application)
        query = update.callback_query if isinstance(update, Update) else None
        context.pressed = keyboards.decode(query.data) if query is not None else None
        return context

    @property
    def state(self) -> BotState:
        """The shared bot state."""
        return self.bot_data

    @property
    def knowledge(self) -> knowledge.Knowledge:
        """The knowledge serving this update."""
        return self.bot_data.knowledge


def context_types(state: BotState) -> ContextTypes:
    """Context types whose ``bot_data`` is ``state`` itself (PTB calls the factory once)."""
    return ContextTypes(context=BotContext, bot_data=cast(type[BotState], lambda: state))
