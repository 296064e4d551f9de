"""SPEC §1, knowledge source files: the seeds without a title line keep their first line."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
UNTITLED = ("000_c6bbdd4c4d16daf0", "002_c71a66b30bf68585")  # first line is body text


def _folders() -> list[Path]:
    return [*knowledge.default_dirs(), *([SEEDS] if SEEDS.is_dir() else [])]


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.name)
def test_a_seed_without_a_title_line_keeps_its_first_line_in_the_passages(folder: Path) -> None:
    loaded = knowledge.load([folder])
    for name in UNTITLED:
        opening = (folder / f"{name}.txt").read_text(encoding="utf-8").split("\n", 1)[0][:60]
        passages = [p.text for p in loaded.passages if p.source_id == name]
        assert passages and passages[0].startswith(opening), name
        (source,) = [s for s in loaded.sources if s.id == name]
        assert opening not in source.title
