"""The knowledge core: sourced passages, BM25 search and cited excerpts. No Telegram here."""

from knowledge.answer import (
    MAX_RESULTS,
    SUGGESTIONS,
    Knowledge,
    KnowledgeDiff,
    check,
    default_dirs,
    load,
)
from knowledge.errors import KnowledgeError, SourceError
from knowledge.language.translate import no_english_note
from knowledge.models import Answer, Excerpt, Hit, Passage, Problem, Source
from knowledge.topics import TOPIC_TOP

__all__ = [
    "MAX_RESULTS",
    "SUGGESTIONS",
    "TOPIC_TOP",
    "Answer",
    "Excerpt",
    "Hit",
    "Knowledge",
    "KnowledgeDiff",
    "KnowledgeError",
    "Passage",
    "Problem",
    "Source",
    "SourceError",
    "check",
    "default_dirs",
    "load",
    "no_english_note",
]
