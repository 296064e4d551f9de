"""The knowledge core: sourced passages, BM25 search and cited excerpts. No Telegram here."""

from knowledge.answer import MAX_RESULTS, SUGGESTIONS, Knowledge
from knowledge.diff import KnowledgeDiff
from knowledge.errors import KnowledgeError, SourceError
from knowledge.followup import FollowUp, follow_up, refers_back
from knowledge.language.translate import no_english_note
from knowledge.loading import check, default_dirs, load
from knowledge.models import Answer, Excerpt, Hit, Passage, Problem, Source
from knowledge.recency import as_of_note
from knowledge.topics import TOPIC_TOP

__all__ = [
    "MAX_RESULTS",
    "SUGGESTIONS",
    "TOPIC_TOP",
    "Answer",
    "Excerpt",
    "FollowUp",
    "Hit",
    "Knowledge",
    "KnowledgeDiff",
    "KnowledgeError",
    "Passage",
    "Problem",
    "Source",
    "SourceError",
    "as_of_note",
    "check",
    "default_dirs",
    "follow_up",
    "load",
    "no_english_note",
    "refers_back",
]
