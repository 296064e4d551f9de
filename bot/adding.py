"""Adding articles by URL (for `/add`, `python -m bot add` and feeds); no Telegram here.

fetch → extract → "already known?" → a Markdown source file; :func:`save_files` then checks
and writes a batch atomically, undoing it all if the knowledge would not load.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import knowledge
from bot import uploads
from bot.config import Config
from bot.fetch import FetchError, FetchPolicy, Page, fetch
from knowledge.articles import Article, extract_article, known_as, to_markdown
from knowledge.sources import load_sources

__all__ = ["Outcome", "file_name", "policy_of", "prepare_all", "save_files"]

ADDED, KNOWN, FAILED, UPDATED = "added", "known", "failed", "updated"
STEM_CHARS = 38  # of the title in a file name; + "-" + 8 hex digits stays a valid source id
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one URL: added (with the file to save), already known, or failed."""

    url: str
    status: str  # ADDED, KNOWN, FAILED or UPDATED (a saved source's new text, same file)
    detail: str  # the article's title (added, known) or the reason (failed)
    published: str | None = None
    name: str = ""  # the file name under storage.sources_dir (added)
    data: bytes = b""  # the file's bytes (added)
    text: str = ""  # the article text (added), to spot the same text later in the batch
    source_url: str = ""  # the article's canonical URL (added), to spot it later in the batch

    def line(self) -> str:
        """One line for a person: what happened to this URL."""
        if self.status == FAILED:
            return f"{self.url}: {self.detail}"
        date = f" ({self.published})" if self.published else ""
        what = {ADDED: "added", UPDATED: "updated"}.get(self.status, "already known")
        return f"{what}: {self.detail}{date} — {self.url}"


def is_url(text: str) -> bool:
    """True when ``text`` is one http(s) URL and nothing else."""
    return bool(_URL.match(text.strip()))


def policy_of(config: Config) -> FetchPolicy:
    """The fetch limits the configuration sets."""
    return FetchPolicy(
        allow_private=config.knowledge.allow_private_hosts,
        max_bytes=config.storage.max_upload_bytes,
        connect_timeout=config.knowledge.fetch_timeout,
        read_timeout=config.knowledge.fetch_timeout,
        total_timeout=3 * config.knowledge.fetch_timeout,
    )


def file_name(article: Article) -> str:
    """A safe, unique file name: the title's letters and the canonical URL's fingerprint."""
    stem = uploads.readable(article.title, STEM_CHARS).strip("._-") or "article"
    return f"{stem}-{article.key}.md"


async def prepare(
    url: str, policy: FetchPolicy, known: Sequence[knowledge.Source], published: str | None = None
) -> Outcome:
    """Fetch and extract ``url``; the file to save, or why not (``published``: a fallback date)."""
    article, twin, why = await _fetched(url, policy, known, published)
    if article is None:
        return Outcome(url, FAILED, why)
    if twin is not None:
        return Outcome(url, KNOWN, twin.title, twin.published)
    data = to_markdown(article).encode("utf-8")
    name = file_name(article)
    return Outcome(
        url, ADDED, article.title, article.published, name, data, article.text, article.url
    )


async def prepare_update(
    url: str, policy: FetchPolicy, name: str, current: bytes, published: str | None = None
) -> Outcome:
    """Fetch ``url`` again for the source saved as ``name`` (its bytes ``current``): the new
    file under the same name (UPDATED), KNOWN when nothing changed, or why not (FAILED)."""
    article, _, why = await _fetched(url, policy, (), published)
    if article is None:
        return Outcome(url, FAILED, f"update not fetched: {why}")
    data = to_markdown(article).encode("utf-8")
    status = KNOWN if data == current else UPDATED
    return Outcome(
        url, status, article.title, article.published, name, data, article.text, article.url
    )


async def _fetched(
    url: str, policy: FetchPolicy, known: Sequence[knowledge.Source], published: str | None
) -> tuple[Article | None, knowledge.Source | None, str]:
    """The article at ``url`` and the known source it repeats (if any), or None and why not."""
    try:
        page = await fetch(url, policy)
    except FetchError as exc:
        return None, None, exc.reason
    article, twin = await asyncio.to_thread(_identify, page, known, published)  # CPU-bound
    return article, twin, "" if article is not None else "no article text found on the page"


def _identify(
    page: Page, known: Sequence[knowledge.Source], published: str | None
) -> tuple[Article | None, knowledge.Source | None]:
    """The page's article, and the known source it repeats (if any)."""
    html = page.text() if page.charset else page.body  # no charset header: the page decides
    article = extract_article(html, page.url, published)
    return article, (known_as(article, page.hops, known) if article else None)


async def prepare_all(
    urls: Iterable[str | tuple[str, str | None]],
    policy: FetchPolicy,
    known: Sequence[knowledge.Source],
) -> list[Outcome]:
    """:func:`prepare` each URL or ``(url, published)`` in turn; a repeat in the batch is known."""
    outcomes: list[Outcome] = []
    known = list(known)
    for item in urls:
        url, published = item if isinstance(item, tuple) else (item, None)
        outcome = await prepare(url, policy, known, published)
        if outcome.status == ADDED:
            source = knowledge.Source(
                outcome.name, outcome.detail, outcome.text, url=outcome.source_url
            )
            known.append(replace(source, published=outcome.published))
        outcomes.append(outcome)
    return outcomes


def known_sources(config: Config) -> tuple[knowledge.Source, ...]:
    """Every source the bot would load (unreadable files skipped), to spot repeats."""
    return load_sources(config.source_dirs()).sources


def save_files(config: Config, files: Sequence[tuple[str, bytes]]) -> tuple[knowledge.Problem, ...]:
    """Check the whole set with ``files``, then write them under ``storage.sources_dir``.

    For the command line; the running bot saves through ``BotState.add_sources``, which
    also reloads. Nothing is written when there is a problem, and no folder is made for no
    file (``ask`` would then list an empty uploads folder the bot never used).
    """
    if not files:
        return ()
    folder = config.storage.sources_dir
    configured = tuple(d for d in config.source_dirs() if d != folder)
    problems = uploads.check_uploads(configured, folder, files)
    if problems:
        return problems
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        uploads.install(folder / name, data)
    return ()
