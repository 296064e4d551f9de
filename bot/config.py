"""The bot's configuration: YAML file plus environment, resolved once into frozen dataclasses.

Precedence (each step is commented in :func:`load_config` and tested):

1. the file given explicitly (``--config FILE``);
2. else ``./config.yaml`` in the working directory, when it exists;
3. else the built-in defaults below.

The environment variable ``TELEGRAM_BOT_TOKEN`` then overrides ``telegram.token``.
Relative folders in a file resolve against that file's folder; without a file, against the
working directory. No other module reads ``os.environ`` or the raw YAML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import knowledge
from bot import configvalues as values
from bot.configfile import ConfigError, Section, items, read_mapping
from bot.feedconfig import FeedConfig, Invalid, parse_feeds, parse_seconds
from bot.opsconfig import FloodConfig, HealthConfig
from bot.searchconfig import SearchConfig, SemanticConfig, parse_search

__all__ = [
    "TOKEN_ENV",
    "Config",
    "ConfigError",
    "FeedConfig",
    "FloodConfig",
    "HealthConfig",
    "KnowledgeConfig",
    "SearchConfig",
    "SemanticConfig",
    "StorageConfig",
    "TelegramConfig",
    "WebhookConfig",
    "check_storage",
    "load_config",
]

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DEFAULT_FILE = "config.yaml"
_BOT_TOKEN = re.compile(r"[A-Za-z0-9:_-]+")  # what @BotFather issues: digits, ":", a secret
_BAD_TOKEN = "must be a bot token (letters, digits, ':', '_' and '-' only, as @BotFather gives it)"


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Webhook mode: on when ``url`` is set, else the bot long-polls."""

    url: str = ""  # public HTTPS URL Telegram posts updates to; its path is the local path
    listen: str = "127.0.0.1"  # local address the webhook server binds
    port: int = 8443  # local port the webhook server binds
    secret_token: str = field(
        default="", repr=False
    )  # checked on every update; empty = a random one per start

    @property
    def enabled(self) -> bool:
        """True when updates arrive by webhook rather than long polling."""
        return bool(self.url)


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """How to reach Telegram and who the admins are."""

    token: str = field(default="", repr=False)  # never printed, never logged
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: tuple[int, ...] = ()
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    flood: FloodConfig = field(default_factory=FloodConfig)
    health: HealthConfig = field(default_factory=HealthConfig)


@dataclass(frozen=True, slots=True)
class KnowledgeConfig:
    """Folders of source files (empty means the shipped corpus); fetching and feeds."""

    dirs: tuple[Path, ...] = ()
    allow_private_hosts: bool = False  # let `add` and feeds fetch private/loopback addresses
    feeds: tuple[FeedConfig, ...] = ()
    fetch_timeout: float = 10.0  # seconds to connect, and between two reads


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """The bot's own state: the SQLite question log and uploaded sources."""

    dir: Path = Path("data")
    max_upload_bytes: int = 1_000_000
    max_questions: int = 100_000  # the question log keeps this many latest questions
    max_answers: int = 100_000  # answers whose buttons, follow-ups and votes are kept
    answer_days: int = 30  # days an answer's buttons keep working

    @property
    def sources_dir(self) -> Path:
        """Where admin uploads are saved; the bot loads it as one more knowledge folder."""
        return self.dir / "sources"

    @property
    def cache_dir(self) -> Path:
        """Where the built index snapshot and the passage vectors are kept for a fast start."""
        return self.dir / "cache"


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration; ``path`` is the file it came from, if any."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    path: Path | None = None
    search: SearchConfig = field(default_factory=SearchConfig)
    # "file: key: what is wrong" when the token given is malformed (it is then left out):
    # only `run` needs a token and refuses to start; ask, check and eval go on without one.
    token_problem: str = ""

    @property
    def saves_snapshots(self) -> bool:
        """Whether ``ask`` and ``check`` keep the index under ``storage.dir``: only with a
        config file, so that they leave nothing behind in whatever folder they run in."""
        return self.path is not None

    def source_dirs(self, shipped: tuple[Path, ...] | None = None) -> tuple[Path, ...]:
        """The folders the bot loads: the configured ones (else the shipped corpus), then uploads.

        The uploads folder is included once it exists (the bot creates it on start), so
        ``ask`` and ``check`` see the same sources as the running bot. Each folder is read
        once, however often it is listed.
        """
        uploads = self.storage.sources_dir
        configured = self.knowledge.dirs or shipped or knowledge.default_dirs()
        folders = (*configured, *((uploads,) if uploads.is_dir() else ()))
        unique: dict[Path, Path] = {}  # a folder listed twice (or uploads listed) is read once
        for folder in folders:
            unique.setdefault(folder.resolve(), folder)
        return tuple(unique.values())


def load_config(
    path: Path | None = None, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Config:
    """Resolve the configuration from ``path``, ``./config.yaml`` or defaults, then ``env``.

    Raises:
        ConfigError: the file is unreadable or invalid, or a key is unknown or mistyped.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    if path is not None:
        # 1. An explicit file must exist: a typo in --config is an error, not a silent default.
        path = cwd / path
        raw = read_mapping(path)
    elif (cwd / DEFAULT_FILE).is_file():
        # 2. ./config.yaml in the working directory, when present.
        path = cwd / DEFAULT_FILE
        raw = read_mapping(path)
    else:
        # 3. Built-in defaults: an empty mapping, every key takes its default.
        raw = {}
    name = str(path) if path else "<defaults>"
    config = _parse(raw, name, path.parent if path else cwd, path)
    token, where = config.telegram.token, f"{name}: telegram.token"
    if env.get(TOKEN_ENV, "").strip():
        # The environment variable wins over the file's token.
        token, where = env[TOKEN_ENV].strip(), f"{TOKEN_ENV}: (environment)"
    problem = f"{where}: {_BAD_TOKEN}" if token and not _BOT_TOKEN.fullmatch(token) else ""
    # A malformed token is kept out (never echoed) and named for `run`, the one command that
    # needs a token; the others work without one.
    telegram = replace(config.telegram, token="" if problem else token)
    return replace(config, telegram=telegram, token_problem=problem)


def _user_ids(section: Section) -> tuple[int, ...]:
    """``admin_ids``: Telegram user ids, which are positive (a group's id is negative)."""
    ids = items(section, "admin_ids", int, "an integer user id")
    for i, user in enumerate(ids):
        if user <= 0:
            key = f"{section.key('admin_ids')}[{i}]"
            raise ConfigError(section.file, key, f"must be a user id (above 0), got {user}")
    return ids


def _dirs(section: Section, base: Path) -> tuple[Path, ...]:
    """``knowledge.dirs``: folder paths; one that is a file is named, not reported missing."""
    found = []
    for i, text in enumerate(items(section, "dirs", str, "a folder path")):
        key = f"{section.key('dirs')}[{i}]"
        if problem := values.folder(text):
            raise ConfigError(section.file, key, problem)
        found.append(section.path(key, text, base))
        if found[-1].is_file():
            raise ConfigError(section.file, key, f"{found[-1]} is a file, not a folder")
    return tuple(found)


def _parse(raw: dict[str, Any], file: str, base: Path, path: Path | None) -> Config:
    top = Section(file, "", raw, {"telegram", "knowledge", "search", "storage"})
    tg_keys = {"token", "base_url", "base_file_url", "admin_ids", "webhook", "flood", "health"}
    tg = top.section("telegram", tg_keys)
    hook = tg.section("webhook", {"url", "listen", "port", "secret_token"})
    know = top.section("knowledge", {"dirs", "allow_private_hosts", "feeds", "fetch_timeout"})
    store = top.section(
        "storage", {"dir", "max_upload_bytes", "max_questions", "max_answers", "answer_days"}
    )
    default_tg, default_hook, default_store = TelegramConfig(), WebhookConfig(), StorageConfig()
    webhook = WebhookConfig(
        url=hook.get("url", str, "", values.webhook_url),
        listen=hook.get("listen", str, default_hook.listen, values.host),
        port=hook.get("port", int, default_hook.port, values.port),
        secret_token=hook.get("secret_token", str, "", values.secret),
    )
    telegram = TelegramConfig(
        token=tg.get("token", str, "").strip(),  # its form is checked with the environment's
        base_url=tg.get("base_url", str, default_tg.base_url, values.api_url),
        base_file_url=tg.get("base_file_url", str, default_tg.base_file_url, values.api_url),
        admin_ids=_user_ids(tg),
        webhook=webhook,
        flood=_flood(tg.section("flood", {"per_user_per_minute", "per_group_per_minute"})),
        health=_health(tg.section("health", {"port", "listen"})),
    )
    if webhook.url and telegram.health.port:
        where = f"its port (telegram.webhook.port, {webhook.port}) serves /healthz and /metrics"
        raise ConfigError(file, "telegram.health.port", f"not used with a webhook: {where}")
    dirs = _dirs(know, base)
    state = store.get("dir", str, str(default_store.dir), values.folder)
    storage = StorageConfig(
        dir=store.path("storage.dir", state, base),
        max_upload_bytes=store.get(
            "max_upload_bytes", int, default_store.max_upload_bytes, values.positive
        ),
        max_questions=store.get("max_questions", int, default_store.max_questions, values.rows),
        max_answers=store.get("max_answers", int, default_store.max_answers, values.rows),
        answer_days=store.get("answer_days", int, default_store.answer_days, values.positive),
    )
    try:
        sources = KnowledgeConfig(
            dirs,
            allow_private_hosts=know.get("allow_private_hosts", bool, False),
            feeds=parse_feeds(know.key("feeds"), know.data.get("feeds")),
            fetch_timeout=parse_seconds(know.key("fetch_timeout"), know.data.get("fetch_timeout")),
        )
    except Invalid as exc:  # the feed list and durations validate themselves
        raise ConfigError(file, exc.key, exc.message) from exc
    return Config(telegram, sources, storage, path, parse_search(top, base))


def _flood(section: Section) -> FloodConfig:
    default = FloodConfig()
    user = section.get("per_user_per_minute", int, default.per_user_per_minute, values.positive)
    group = section.get("per_group_per_minute", int, default.per_group_per_minute, values.positive)
    return FloodConfig(user, group)


def _health(section: Section) -> HealthConfig:
    default = HealthConfig()
    off_or_port = lambda value: "" if value == 0 else values.port(value)  # noqa: E731
    port = section.get("port", int, default.port, off_or_port)
    return HealthConfig(port, section.get("listen", str, default.listen, values.host))


def check_storage(config: Config) -> None:
    """Raise ConfigError unless ``storage.dir`` and the folders ``run`` makes in it can exist.

    Each folder must be a folder already, or be creatable: its nearest existing ancestor is a
    writable folder. Nothing is created here (``check`` only looks).
    """
    file = str(config.path) if config.path else "<defaults>"
    for folder in (config.storage.sources_dir, config.storage.dir / "cache"):
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not existing.is_dir():
            raise ConfigError(file, "storage.dir", f"{existing} is a file, not a folder")
        if existing != folder and not os.access(existing, os.W_OK | os.X_OK):
            raise ConfigError(file, "storage.dir", f"cannot create folders in {existing}")
