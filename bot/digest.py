"""The digest of one feed poll: plain text for the terminal, HTML for the admins."""

from __future__ import annotations

from collections.abc import Sequence

from bot.adding import Outcome
from bot.feeds import Batch
from bot.textfit import fit_lines, line_html

__all__ = ["digest_html", "digest_text"]

MAX_ADDED = 15  # titles listed in a digest; the failures come after them


def unmatched_line(count: int) -> str:
    """The digest's line for the new entries that named no keyword."""
    return f"{count} new {'entry' if count == 1 else 'entries'} named no keyword: not fetched."


def backlog_line(count: int) -> str:
    """The digest's line for the articles left for the next polls (``feeds.MAX_FETCHES``)."""
    return f"{count} more article(s) wait for the next poll."


def head_line(batch: Batch) -> str:
    """The digest's first line: feeds polled, articles added (and updated, if any)."""
    updated = f", {len(batch.updated)} updated" if batch.updated else ""
    return f"Feeds: {len(batch.polled)} polled, {len(batch.added)} article(s) added{updated}."


def dated(title: str, published: str | None) -> str:
    """``title`` followed by its date, if known: "Title (2026-11-28)"."""
    return title + (f" ({published})" if published else "")


def digest_text(batch: Batch) -> str:
    """The digest of one batch, plain text: titles added, then updated, then failures."""
    lines = [
        head_line(batch),
        *(f"+ {dated(o.detail, o.published)}" for o in batch.added),
        *(f"~ {dated(o.detail, o.published)}" for o in batch.updated),
    ]
    if batch.unmatched:
        lines.append(unmatched_line(batch.unmatched))
    if batch.backlog:
        lines.append(backlog_line(batch.backlog))
    if batch.failed:
        lines += ["Failures:", *(f"! {line}" for line in batch.failed)]
    return "\n".join(lines)


def titles_html(mark: str, outcomes: Sequence[Outcome]) -> list[str]:
    """One line per article, ``mark`` first; past ``MAX_ADDED`` (room for the failures), one
    "… and N more" line."""
    lines = [f"{mark} {dated(line_html(o.detail), o.published)}" for o in outcomes[:MAX_ADDED]]
    if len(outcomes) > MAX_ADDED:
        lines.append(f"{mark} … and {len(outcomes) - MAX_ADDED} more")
    return lines


def digest_html(batch: Batch) -> str:
    """The admins' digest of one batch: titles added, updated, then failures, in one message."""
    head = "<b>Feeds</b>:" + head_line(batch).removeprefix("Feeds:")
    added = [*titles_html("➕", batch.added), *titles_html("🔄", batch.updated)]
    if batch.unmatched:
        added.append(unmatched_line(batch.unmatched))
    if batch.backlog:
        added.append(backlog_line(batch.backlog))
    failed = [f"⚠️ {line_html(line)}" for line in batch.failed]
    return fit_lines([head, *added, *(["", "<b>Failures</b>", *failed] if failed else [])])
