"""The ``search`` section of the config: the optional semantic stage, read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.configfile import ConfigError, Section, kind_name

__all__ = [
    "QUESTION_LANGUAGES",
    "SearchConfig",
    "SemanticConfig",
    "language_problem",
    "languages_problem",
    "model_path",
    "one_line",
    "parse_search",
    "similarity_problem",
]

QUESTION_LANGUAGES = ("en", "uk", "ru")  # the languages the bot tells questions apart in


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """The optional semantic stage (the ``semantic`` extra): off while ``model`` is empty."""

    model: str = ""  # a fastembed model name, or a local model folder (resolved path)
    languages: tuple[str, ...] = ("en",)  # read as asked; others: in their glossary English
    min_similarity: float = 0.0  # refuse below this best-passage similarity (twice it vouches
    # for a one-word match: `knowledge.decision.with_similarity`); 0 = BM25's bars


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


def languages_problem(languages: object) -> str:
    """The problem with ``languages`` as a whole ("" when fine): a non-empty list."""
    allowed = ", ".join(QUESTION_LANGUAGES)
    if not isinstance(languages, list):
        return f"must be a list of one or more of {allowed}, e.g. [en], got {kind_name(languages)}"
    if not languages:
        return (
            f"must list one or more of {allowed}: with none, no question would use the model "
            "(to switch the semantic stage off, leave model empty)"
        )
    return ""


def parse_search(top: Section, base: Path) -> SearchConfig:
    """``search.semantic``: the model (a folder relative to the config file, or a name)."""
    keys = {"model", "languages", "min_similarity"}
    semantic = top.section("search", {"semantic"}).section("semantic", keys)
    model = semantic.get("model", str, "", one_line).strip()
    if model.startswith("~"):
        model = str(semantic.path(semantic.key("model"), model, base))
    model = model_path(model, base)
    languages = semantic.data.get("languages")
    languages = list(SemanticConfig().languages) if languages is None else languages
    if problem := languages_problem(languages):
        raise ConfigError(semantic.file, semantic.key("languages"), problem)
    for i, language in enumerate(languages):
        if problem := language_problem(language):
            raise ConfigError(semantic.file, f"{semantic.key('languages')}[{i}]", problem)
    bar = semantic.data.get("min_similarity", 0.0)
    if problem := similarity_problem(bar):
        raise ConfigError(semantic.file, semantic.key("min_similarity"), problem)
    return SearchConfig(SemanticConfig(model, tuple(dict.fromkeys(languages)), float(bar)))
