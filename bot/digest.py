"""The digest of one feed poll: plain text for the terminal, HTML for the admins."""

from __future__ import annotations

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


def digest_text(batch: Batch) -> str:
    """The digest of one batch, plain text: titles added, then updated, then failures."""
    lines = [
        head_line(batch),
        *(f"+ {o.detail}" + (f" ({o.published})" if o.published else "") for o in batch.added),
        *(f"~ {o.detail}" + (f" ({o.published})" if o.published else "") for o in batch.updated),
    ]
    if batch.unmatched:
        lines.append(unmatched_line(batch.unmatched))
    if batch.backlog:
        lines.append(backlog_line(batch.backlog))
    if batch.failed:
        lines += ["Failures:", *(f"! {line}" for line in batch.failed)]
    return "\n".join(lines)


def digest_html(batch: Batch) -> str:
    """The admins' digest of one batch: titles added, updated, then failures, in one message."""
    head = "<b>Feeds</b>:" + head_line(batch).removeprefix("Feeds:")
    added = [
        f"➕ {line_html(o.detail)}" + (f" ({o.published})" if o.published else "")
        for o in batch.added
    ]
    if len(added) > MAX_ADDED:  # leave room for the failures
        added = [*added[:MAX_ADDED], f"➕ … and {len(added) - MAX_ADDED} more"]
    updated = [
        f"🔄 {line_html(o.detail)}" + (f" ({o.published})" if o.published else "")
        for o in batch.updated
    ]
    if len(updated) > MAX_ADDED:
        updated = [*updated[:MAX_ADDED], f"🔄 … and {len(updated) - MAX_ADDED} more"]
    added += updated
    if batch.unmatched:
        added.append(unmatched_line(batch.unmatched))
    if batch.backlog:
        added.append(backlog_line(batch.backlog))
    failed = [f"⚠️ {line_html(line)}" for line in batch.failed]
    return fit_lines([head, *added, *(["", "<b>Failures</b>", *failed] if failed else [])])
