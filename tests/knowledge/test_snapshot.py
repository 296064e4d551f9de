"""Fast start: a saved Knowledge is used while its files are unchanged, rebuilt otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge import snapshot
from knowledge.answer import default_dirs
from knowledge.errors import KnowledgeError
from knowledge.index import BM25Index
from knowledge.snapshot import FILE_NAME, load_cached
from knowledge.store import save_index
from tests.knowledge.conftest import write_source

QUESTIONS = ["What does Russia demand?", "who mediates", "Istanbul 2022 outcome", "xyzzy"]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the shipped corpus in a writable folder."""
    folder = tmp_path / "kb"
    shutil.copytree(default_dirs()[0], folder)
    return folder


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts full builds (calls of knowledge.load) made by load_cached."""
    calls: list[int] = []
    real = snapshot.load

    def counting(dirs):
        calls.append(1)
        return real(dirs)

    monkeypatch.setattr(snapshot, "load", counting)
    return calls


def answers(k) -> list[dict]:
    return [{**k.ask(q).to_json(), "took_ms": 0} for q in QUESTIONS]


def test_second_start_uses_the_snapshot_and_answers_the_same(kb, tmp_path, builds) -> None:
    cache = tmp_path / "cache"
    built = load_cached([kb], cache)
    assert (cache / FILE_NAME).is_file() and len(builds) == 1
    restored = load_cached([kb], cache)
    assert len(builds) == 1  # no rebuild
    assert restored.sources == built.sources and restored.passages == built.passages
    assert answers(restored) == answers(built)
    query = ["russia", "demand"]
    np.testing.assert_array_equal(restored.index.scores(query), built.index.scores(query))


def test_changed_added_or_removed_files_rebuild(kb, tmp_path, builds) -> None:
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    write_source(kb, "new.md", "Geneva round", "The Geneva round produced a prisoner swap.")
    assert any("Geneva" in s.title for s in load_cached([kb], cache).sources)
    assert len(builds) == 2
    (kb / "new.md").unlink()
    assert not any("Geneva" in s.title for s in load_cached([kb], cache).sources)
    assert len(builds) == 3
    load_cached([kb], cache)
    assert len(builds) == 3


def test_corrupt_or_foreign_snapshot_is_rebuilt_and_replaced(kb, tmp_path, builds) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / FILE_NAME).write_bytes(b"PK\x03\x04 not really")
    assert len(load_cached([kb], cache).passages) > 0 and len(builds) == 1
    save_index(BM25Index.build([["a"]]), cache / FILE_NAME)  # an index, not a snapshot
    load_cached([kb], cache)
    assert len(builds) == 2
    load_cached([kb], cache)
    assert len(builds) == 2


def test_cache_inside_the_knowledge_folder_still_hits(kb, builds) -> None:
    load_cached([kb], kb)
    load_cached([kb], kb)
    assert len(builds) == 1


def test_bad_file_raises_and_never_serves_the_old_snapshot(kb, tmp_path, builds) -> None:
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    (kb / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_cached([kb], cache)
    assert len(builds) == 2


def test_key_depends_on_folder_contents(kb, tmp_path) -> None:
    before = snapshot.snapshot_key([kb])
    assert snapshot.snapshot_key([kb]) == before
    (kb / ".hidden").write_text("ignored")
    (kb / "cache.npz").write_bytes(b"ignored")
    assert snapshot.snapshot_key([kb]) == before
    write_source(kb, "extra.md", "Extra", "Text.")
    assert snapshot.snapshot_key([kb]) != before


def test_edited_source_rebuilds(kb, tmp_path, builds) -> None:
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    edited = next(kb.glob("*.txt"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe Geneva round ended.\n")
    rebuilt = load_cached([kb], cache)
    assert len(builds) == 2
    assert any("Geneva round ended" in p.text for p in rebuilt.passages)
