"""The ``stats`` command's data: what ``/stats`` shows, read from ``storage.dir``, as JSON too."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import knowledge
from bot import db
from bot.feedback import VoteSummary, vote_summary
from bot.stats import Summary, question_summary
from bot.textfit import plain_text
from bot.texts import stats_html

NO_QUESTIONS = Summary(0, 0, None, None, ())
NO_VOTES = VoteSummary(0, 0, (), ())


def read(storage_dir: Path) -> tuple[Summary, VoteSummary]:
    """The questions' and votes' summaries; empty before the bot's first start.

    Only reads: no database file, table or WAL mode is created (a report run in a wrong
    folder must not leave a database there), and a table the database lacks reads as empty.
    Raises ``sqlite3.DatabaseError`` for an unreadable database (it is left as it is).
    """
    path = db.path_in(storage_dir)
    if not path.exists():
        return NO_QUESTIONS, NO_VOTES
    db.check(path)
    with closing(db.read_only(path)) as con:
        questions = question_summary(con) if db.has_table(con, "questions") else NO_QUESTIONS
        votes = vote_summary(con) if db.has_table(con, "votes") else NO_VOTES
    return questions, votes


def to_json(summary: Summary, votes: VoteSummary, sources: int, passages: int) -> dict[str, Any]:
    """The ``stats --json`` object."""
    return {
        "sources": sources,
        "passages": passages,
        "questions": summary.questions,
        "unanswered": summary.unanswered,
        "unanswered_rate": summary.unanswered_rate,
        "latency_ms": {"p50": summary.p50_ms, "p95": summary.p95_ms},
        "top_unanswered": [{"question": q, "count": n} for q, n in summary.top_unanswered],
        "votes": {
            "up": votes.up,
            "down": votes.down,
            "helpful_rate": votes.helpful_rate,
            "reasons": dict(votes.reasons),
            "most_down_voted": [
                {"question": q, "down": down, "up": up} for q, down, up in votes.most_down
            ],
        },
    }


def render(
    storage_dir: Path, known: knowledge.Knowledge, as_json: bool = False
) -> tuple[str, str | None]:
    """(the report as plain text or JSON, None), or ("", what is wrong) when unreadable."""
    try:
        summary, votes = read(storage_dir)
    except sqlite3.DatabaseError as exc:
        return "", f"{db.path_in(storage_dir)}: unreadable database: {exc}"
    sources, passages = len(known.sources), len(known.passages)
    if as_json:
        data = to_json(summary, votes, sources, passages)
        return json.dumps(data, ensure_ascii=False), None
    return plain_text(stats_html(summary, sources, passages, votes)), None
