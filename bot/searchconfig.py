"""The ``search`` section of the config: the optional semantic stage; pure validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "QUESTION_LANGUAGES",
    "SearchConfig",
    "SemanticConfig",
    "language_problem",
    "model_path",
    "one_line",
    "similarity_problem",
]

QUESTION_LANGUAGES = ("en", "uk", "ru")  # the languages the bot tells questions apart in


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """The optional semantic stage (the ``semantic`` extra): off while ``model`` is empty."""

    model: str = ""  # a fastembed model name, or a local model folder (resolved path)
    languages: tuple[str, ...] = ("en",)  # read as asked; others: in their glossary English
    min_similarity: float = 0.0  # refuse below this best-passage similarity; 0 = BM25's bars


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """How questions are matched to passages: BM25, plus the optional semantic stage."""

    semantic: SemanticConfig = field(default_factory=SemanticConfig)


def similarity_problem(value: object) -> str:
    """Why ``value`` is not a similarity bar (a number from 0 to 1), or ``""``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        return f"must be a number from 0 to below 1, got {value!r}"
    return ""


def model_path(model: str, base: Path) -> str:
    """``model`` as a folder resolved against ``base`` when it is one, else the name as is.

    A value starting with ``/``, ``./``, ``../`` or ``~`` is a folder even before it exists
    (so ``check`` names the missing folder); any other is a folder when ``base`` has it.
    """
    model = model.strip()
    looks_like_path = model.startswith(("/", "./", "../", "~"))
    if model and (looks_like_path or (base / model).is_dir()):
        return str(base / Path(model).expanduser())
    return model


def one_line(value: str) -> str:
    """The problem with a model value spread over lines ("" when fine)."""
    return "" if "\n" not in value else "must be one line (a model name or a folder)"


def language_problem(language: object) -> str:
    """The problem with one entry of ``languages`` ("" when fine)."""
    if language in QUESTION_LANGUAGES:
        return ""
    return f"must be one of {', '.join(QUESTION_LANGUAGES)}, got {language!r}"
