"""Watching news feeds: conditional GET, feedparser, new entries added as `add` does; no Telegram.

One poll is one batch: every due feed is read, the new entries that name a keyword are
fetched and extracted, all new articles are saved by one ``save`` call (one reload), and
the result comes back as a `Batch` for the digest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import knowledge
from bot import adding
from bot.config import Config, FeedConfig
from bot.feedkeywords import Keyword, default_keywords, mentions
from bot.feedparse import entry_date, entry_fingerprint, entry_key, entry_updated, parse_entries
from bot.feedstore import FeedStore
from bot.fetch import FEED_TYPES, FetchError, FetchPolicy, fetch
from knowledge.taxonomy.loader import find_taxonomy, load_taxonomy

__all__ = ["Batch", "open_store", "poll", "poll_and_save"]

logger = logging.getLogger(__name__)

MAX_FETCHES = 20  # articles fetched per feed and poll (new, then edited entries); a feed's
# backlog comes over later polls

SAVED = (adding.ADDED, adding.UPDATED)  # outcomes with a file to save
Saver = Callable[[list[tuple[str, bytes]]], Awaitable[Sequence[knowledge.Problem]]]
Validators = tuple[str | None, str | None]  # a feed's ETag and Last-Modified


@dataclass(frozen=True, slots=True)
class Entry:
    """A feed entry worth fetching."""

    feed: str
    key: str  # the entry's id, else its link
    url: str
    published: str | None  # YYYY-MM-DD from the feed, used when the page states no date
    updated: str | None = None  # the entry's updated time (UTC), remembered with its article
    fingerprint: str = ""  # what the entry says (feedparse), remembered with its article too
    source: str = ""  # an edited entry: the file its article was saved as, to replace


@dataclass(frozen=True, slots=True)
class Batch:
    """What one poll did: feeds read, articles added or known, one line per failure."""

    polled: tuple[str, ...]
    outcomes: tuple[adding.Outcome, ...]
    failed: tuple[str, ...]
    backlog: int = 0  # entries about the talks left for the next polls (``MAX_FETCHES``)
    unmatched: int = 0  # new entries that named no keyword, never fetched

    @property
    def added(self) -> tuple[adding.Outcome, ...]:
        """The articles added."""
        return tuple(o for o in self.outcomes if o.status == adding.ADDED)

    @property
    def updated(self) -> tuple[adding.Outcome, ...]:
        """The articles fetched again because their entry was edited, saved in place."""
        return tuple(o for o in self.outcomes if o.status == adding.UPDATED)

    @property
    def news(self) -> bool:
        """True when there is something to tell the admins: an article added or updated, or
        a failure."""
        return bool(self.added or self.updated or self.failed)


def open_store(config: Config) -> FeedStore:
    """The feed (and follower) state under ``storage.dir``."""
    return FeedStore(config.storage.dir / "news.sqlite3")


async def read_feed(
    feed: FeedConfig, store: FeedStore, policy: FetchPolicy, keywords: Sequence[Keyword]
) -> tuple[list[Entry], Validators, int, int]:
    """The feed's new entries about the talks (at most ``MAX_FETCHES``), its validators, how
    many more wait, and how many named no keyword; raises FetchError.

    A feed with an entry whose article failed is read in full, not "only if modified", so the
    entry is tried again at the next poll; one that left the feed is given up. Entries whose
    article was saved and that the feed now shows edited come after the new ones, within
    ``MAX_FETCHES``; when some must wait, the validators are dropped, so that the next poll
    reads the feed in full and finds them again.
    """
    state = await asyncio.to_thread(store.state, feed.url)
    retrying = await asyncio.to_thread(store.retrying, feed.url)
    etag, modified = (None, None) if retrying else (state.etag, state.last_modified)
    page = await fetch(feed.url, policy, FEED_TYPES, etag, modified)
    validators = (page.etag or state.etag, page.last_modified or state.last_modified)
    if page.not_modified:
        return [], validators, 0, 0
    try:
        entries = await asyncio.to_thread(parse_entries, page.body, page.url)
    except ValueError as exc:
        raise FetchError(feed.url, str(exc)) from exc
    keys = [entry_key(e) for e in entries]
    pending = await asyncio.to_thread(store.pending, feed.url, keys)
    edits = await _edited(feed.url, store, entries, keys, pending)
    gone = [(feed.url, key, True) for key in sorted(retrying - set(keys))]
    found, skipped, unmatched = [], gone, 0
    for entry, key in zip(entries, keys, strict=True):
        if key not in pending:
            continue
        text = f"{entry.get('title', '')} {entry.get('summary', '')}"
        if mentions(feed.keywords or keywords, text):
            found.append(_entry(feed.url, key, entry))
        else:
            skipped.append((feed.url, key, True))  # not about the talks: never again
            unmatched += 1
    await asyncio.to_thread(store.handled, skipped)
    # the newest are fetched; the rest wait, and make the next poll read the feed in full
    newest = set(sorted(found, key=lambda e: e.published or "", reverse=True)[:MAX_FETCHES])
    later = [(e.feed, e.key) for e in found if e not in newest]
    await asyncio.to_thread(store.waiting, later)
    fetched = [e for e in found if e in newest]
    room = MAX_FETCHES - len(fetched)
    if len(edits) > room:
        validators = (None, None)
    return fetched + edits[:room], validators, len(later) + len(edits[room:]), unmatched


def _entry(feed: str, key: str, entry: dict) -> Entry:
    """The feed entry ``entry``, to fetch."""
    updated, fingerprint = entry_updated(entry), entry_fingerprint(entry)
    return Entry(feed, key, entry["link"], entry_date(entry), updated, fingerprint)


async def _edited(
    feed: str, store: FeedStore, entries: list[dict], keys: list[str], pending: set[str]
) -> list[Entry]:
    """The feed's entries saved before that the feed now shows edited, the latest first."""
    seen = {k: _entry(feed, k, e) for e, k in zip(entries, keys, strict=True) if k not in pending}
    marks = {key: (e.updated, e.fingerprint) for key, e in seen.items()}
    files = await asyncio.to_thread(store.edited, feed, marks)
    edits = [replace(seen[key], source=source) for key, source in files.items()]
    return sorted(edits, key=lambda e: e.updated or "", reverse=True)


async def poll(
    config: Config,
    store: FeedStore,
    save: Saver,
    known: Sequence[knowledge.Source],
    keywords: Sequence[Keyword],
    force: bool = False,
) -> Batch:
    """Read every due feed (every feed with ``force``), add their new entries in one batch."""
    now, policy = time.time(), adding.policy_of(config)
    states = await asyncio.to_thread(
        lambda: {f.url: store.state(f.url) for f in config.knowledge.feeds}
    )
    due = [f for f in config.knowledge.feeds if force or states[f.url].next_due <= now]
    entries: list[Entry] = []
    good: dict[str, tuple[FeedConfig, Validators]] = {}
    failed: list[str] = []
    backlog = unmatched = 0
    for feed in due:
        try:
            found, validators, left, other = await read_feed(feed, store, policy, keywords)
        except FetchError as exc:
            wait = await asyncio.to_thread(store.failed, feed.url, exc.reason, feed.every_s)
            logger.warning("feed %s failed: %s; next try in %d s", feed.url, exc.reason, wait)
            failed.append(f"feed {feed.url}: {exc.reason}")
            continue
        entries += found
        backlog += left
        unmatched += other
        good[feed.url] = (feed, validators)
    new, edits = [e for e in entries if not e.source], [e for e in entries if e.source]
    prepared = await adding.prepare_all([(e.url, e.published) for e in new], policy, known)
    prepared += await _refetch(edits, policy, config.storage.sources_dir)
    entries = new + edits
    outcomes, not_theirs = await _save(prepared, save)
    failed += [o.line() for o in outcomes if o.status == adding.FAILED]
    # an article refused for something else (another bad file, a full disk) waits for the
    # next poll without using up one of its attempts
    waiting = {
        (e.feed, e.key)
        for e, o in zip(entries, prepared, strict=True)
        if not_theirs and o.status in SAVED
    }
    await _remember(store, entries, outcomes, waiting)
    reread = {e.feed for e in edits if (e.feed, e.key) in waiting}
    await _polled(store, good, entries, outcomes, reread)
    return Batch(tuple(f.url for f in due), tuple(outcomes), tuple(failed), backlog, unmatched)


async def _polled(
    store: FeedStore,
    good: dict[str, tuple[FeedConfig, Validators]],
    entries: list[Entry],
    outcomes: list[adding.Outcome],
    reread: set[str],
) -> None:
    """Record each feed read: the articles it added, and its validators, unless it is to be
    read in full next time (``reread``: an edit of it waits, since nothing else brings it)."""
    for url, (feed, validators) in good.items():
        pairs = zip(entries, outcomes, strict=True)
        added = sum(1 for e, o in pairs if e.feed == url and o.status == adding.ADDED)
        etag, modified = (None, None) if url in reread else validators
        await asyncio.to_thread(store.polled, url, etag, modified, added, feed.every_s)


async def _refetch(edits: list[Entry], policy: FetchPolicy, folder: Path) -> list[adding.Outcome]:
    """Each edited entry's article fetched again for the file it was saved as; a file
    removed since (``/remove``) stays removed."""
    outcomes = []
    for entry in edits:
        path = folder / entry.source
        current = await asyncio.to_thread(lambda p=path: p.read_bytes() if p.is_file() else None)
        if current is None:
            outcomes.append(adding.Outcome(entry.url, adding.KNOWN, entry.source))
            continue
        outcome = await adding.prepare_update(
            entry.url, policy, entry.source, current, entry.published
        )
        if outcome.status == adding.UPDATED:
            logger.info("feed entry %s was updated: fetching %s again", entry.key, entry.url)
        outcomes.append(outcome)
    return outcomes


async def _remember(
    store: FeedStore,
    entries: list[Entry],
    outcomes: list[adding.Outcome],
    waiting: set[tuple[str, str]],
) -> None:
    """Record the poll's attempts: new entries tried, the file and updated time of each
    article saved (an edited entry's too, even failed: the next edit fetches it again; one
    found unchanged rests, `bot.feedstore.EDIT_REST_S`)."""
    pairs = [
        (e, o) for e, o in zip(entries, outcomes, strict=True) if (e.feed, e.key) not in waiting
    ]
    tried = [(e.feed, e.key, o.status != adding.FAILED) for e, o in pairs if not e.source]
    await asyncio.to_thread(store.handled, tried)
    await asyncio.to_thread(store.waiting, sorted(waiting))
    kept = [
        (e.feed, e.key, e.updated, e.fingerprint, e.source or o.name)
        for e, o in pairs
        if e.source or o.status == adding.ADDED
    ]
    unchanged = {(e.feed, e.key) for e, o in pairs if e.source and o.status == adding.KNOWN}
    await asyncio.to_thread(store.saved, kept, unchanged)


async def _save(outcomes: list[adding.Outcome], save: Saver) -> tuple[list[adding.Outcome], bool]:
    """Save the added articles in one call; if refused, they count as failed. True when the
    refusal is not theirs: it names none of them (another knowledge file), or the disk is full."""
    files = [(o.name, o.data) for o in outcomes if o.status in SAVED]
    try:
        problems = await save(files) if files else ()
    except OSError as exc:  # told in the digest, tried again at the next polls
        logger.warning("could not save the feeds' articles: %s", exc)
        return _refused(outcomes, f"could not save: {exc.strerror or exc}"), True
    if not problems:
        return outcomes, False
    names = {name for name, _ in files}
    theirs = any(Path(p.path).name in names for p in problems)
    return _refused(outcomes, str(problems[0])), not theirs


def _refused(outcomes: list[adding.Outcome], why: str) -> list[adding.Outcome]:
    """``outcomes`` with every article that was to be added failed, saying ``why``."""
    return [
        adding.Outcome(o.url, adding.FAILED, f"not {o.status}: {why}") if o.status in SAVED else o
        for o in outcomes
    ]


async def poll_and_save(config: Config, store: FeedStore, force: bool = False) -> Batch:
    """One batch from the command line: known sources and taxonomy from disk, files saved."""
    dirs = config.source_dirs()
    taxonomy = load_taxonomy(find_taxonomy(dirs))
    known = adding.known_sources(config)

    async def save(files: list[tuple[str, bytes]]) -> Sequence[knowledge.Problem]:
        return await asyncio.to_thread(adding.save_files, config, files)

    return await poll(config, store, save, known, default_keywords(taxonomy), force)
