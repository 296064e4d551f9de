"""Loading knowledge folders: every problem listed (`check`), or a searchable `Knowledge`."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from knowledge.answer import Knowledge
from knowledge.associations import check_associations, find_associations, load_associations
from knowledge.errors import KnowledgeError
from knowledge.expansions import check_expansions, find_expansions, load_expansions
from knowledge.models import Problem, Source
from knowledge.out_of_scope import check_out_of_scope, find_out_of_scope, load_out_of_scope
from knowledge.query import load_synonyms
from knowledge.semantic.precedents import check_precedents, find_precedents
from knowledge.sources import load_sources, unread_sources
from knowledge.taxonomy.loader import check_taxonomy, find_taxonomy, load_taxonomy, unread_files
from knowledge.yamlfile import shipped_file

__all__ = ["check", "default_dirs", "load"]


def default_dirs() -> tuple[Path, ...]:
    """The shipped corpus folder inside the installed package."""
    return (Path(str(resources.files("knowledge") / "data" / "corpus")),)


def _resolve(dirs: Sequence[Path] | None) -> tuple[Path, ...]:
    return tuple(Path(d) for d in dirs) if dirs else default_dirs()


def check(dirs: Sequence[Path] | None = None) -> tuple[list[Problem], list[Problem]]:
    """Every problem and warning of the knowledge files (and taxonomy) in ``dirs``."""
    result = load_sources(_resolve(dirs))
    links = check_associations(find_associations(dirs))
    learned = [
        *check_expansions(find_expansions(dirs)),
        *check_out_of_scope(find_out_of_scope(dirs)),
        *check_precedents(find_precedents(dirs)),
    ]
    problems = [*result.problems, *check_taxonomy(find_taxonomy(dirs)), *links, *learned]
    unread = [w for folder in _resolve(dirs) for w in unread_sources(folder)]
    return problems, [*result.warnings, *unread_files(dirs), *unread, *learned_apart(dirs)]


def learned_apart(dirs: Sequence[Path] | None) -> list[Problem]:
    """A warning when a knowledge folder's own ``expansions.yaml`` meets the shipped
    ``out_of_scope.yaml``: the shipped out-of-scope questions then refuse questions worded
    like them about that folder's passages too."""
    expansions, outside = find_expansions(dirs), find_out_of_scope(dirs)
    if expansions == shipped_file(expansions.name) or outside != shipped_file(outside.name):
        return []
    learn = "python -m bench.out_of_scope SET... --dirs FOLDER... --out FOLDER/out_of_scope.yaml"
    message = (
        "learned for these sources, but out_of_scope.yaml is the shipped one: its out-of-scope "
        f"questions refuse questions worded like them here too; learn one beside it ({learn})"
    )
    return [Problem(str(expansions), 1, message)]


def load(dirs: Sequence[Path] | None = None) -> Knowledge:
    """Load, tag and index every source of ``dirs`` (default: the shipped corpus).

    A ``taxonomy.yaml`` (an ``associations.yaml``, ``expansions.yaml``, ``out_of_scope.yaml``)
    in the first folder that has one replaces the shipped one.

    Raises:
        KnowledgeError: a file is bad; nothing is loaded, every problem is listed.
    """
    result = load_sources(_resolve(dirs))
    if result.problems:
        raise KnowledgeError(result.problems)
    return build(result.sources, dirs)


def build(sources: Sequence[Source], dirs: Sequence[Path] | None = None) -> Knowledge:
    """``sources`` indexed with the taxonomy and the learned files ``dirs`` give (`load`)."""
    outside = load_out_of_scope(find_out_of_scope(dirs))
    return Knowledge.build(
        sources,
        load_taxonomy(find_taxonomy(dirs)),
        load_synonyms(),
        load_associations(find_associations(dirs)),
        load_expansions(find_expansions(dirs)),
        outside.words,
        outside.questions,
    )
