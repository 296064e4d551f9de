"""Small corpora and questions for the tests of the learners (bench/associations.py, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from knowledge.answer import Knowledge
from knowledge.evaluation import EvalItem
from knowledge.sources import load_sources
from tests.knowledge.conftest import write_source


def built(folder: Path, texts: Mapping[str, str]) -> Knowledge:
    """``texts`` (name -> body) written as sources titled by name into ``folder``, indexed."""
    for name, text in texts.items():
        write_source(folder, f"{name}.md", name.title(), text)
    return Knowledge.build(load_sources([folder]).sources)


def item(n: int, question: str, evidence: str, expect: str = "answer") -> EvalItem:
    """Question ``n`` of a set, with one evidence phrase (none: "")."""
    return EvalItem(f"q{n}", question, expect, evidence=(evidence,) if evidence else ())
