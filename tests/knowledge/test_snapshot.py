"""Fast start: a saved Knowledge is used while its files are unchanged, rebuilt otherwise."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge import ingest, snapshot
from knowledge.errors import KnowledgeError
from knowledge.index import BM25Index
from knowledge.loading import default_dirs
from knowledge.snapshot import FILE_NAME, load_cached
from knowledge.store import (
    FORMAT_VERSION,
    decode_header,
    encode_header,
    save_index,
    write_atomically,
)
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
    titled = ([["istanbul"], ["talk"]], [2.0, 1.0])
    assert built.titles.scores(*titled).any()
    np.testing.assert_array_equal(restored.titles.scores(*titled), built.titles.scores(*titled))


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


def _craft(path: Path, change) -> None:
    """Rewrite the snapshot at ``path`` with ``change`` applied to its arrays (key kept)."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name].copy() for name in npz.files}
    change(arrays)
    write_atomically(path, arrays)


def _out_of_range_index(a):
    a["indices"][len(a["indices"]) // 2] = 10**6


def _out_of_range_term(a):
    a["doc_terms"][0] = len(a["idf"]) + 5


def _negative_term(a):
    a["doc_terms"][-1] = -1


def _text_offsets_past_the_end(a):
    a["text_offsets"][-1] += 1000


def _text_offsets_backwards(a):
    a["text_offsets"][1], a["text_offsets"][2] = a["text_offsets"][2], a["text_offsets"][1]


def _source_chars_past_the_end(a):
    a["source_chars"][-1] += 1


def _tag_set_out_of_range(a):
    a["tag_set"][0] = a["tag_set"].max() + 1


def _doc_offsets_backwards(a):
    a["doc_offsets"][1], a["doc_offsets"][2] = a["doc_offsets"][2], a["doc_offsets"][1]


def _infinite_weight(a):
    a["data"][0] = np.inf


def _title_term_out_of_range(a):
    a["title_terms"][0] = 10**6


def _title_offsets_past_the_end(a):
    a["title_offsets"][-1] += 3


@pytest.mark.parametrize(
    "change",
    [
        _out_of_range_index,
        _out_of_range_term,
        _negative_term,
        _text_offsets_past_the_end,
        _text_offsets_backwards,
        _source_chars_past_the_end,
        _tag_set_out_of_range,
        _doc_offsets_backwards,
        _infinite_weight,
        _title_term_out_of_range,
        _title_offsets_past_the_end,
    ],
)
def test_a_crafted_snapshot_is_rebuilt_with_one_log_line(kb, tmp_path, builds, caplog, change):
    cache = tmp_path / "cache"
    built = load_cached([kb], cache)
    _craft(cache / FILE_NAME, change)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="knowledge.snapshot"):
        restored = load_cached([kb], cache)
    assert len(builds) == 2  # rebuilt from the sources
    assert answers(restored) == answers(built)
    [record] = caplog.records
    assert record.levelno == logging.WARNING  # corrupt or inconsistent: worth a look
    assert record.getMessage().startswith("snapshot not used: ")
    assert load_cached([kb], cache).passages == built.passages and len(builds) == 2  # replaced


def _other_files(cache: Path, kb: Path) -> None:
    write_source(kb, "new.md", "Geneva round", "The Geneva round produced a prisoner swap.")


def _other_code(cache: Path, kb: Path) -> None:  # an upgrade: the code is part of the key
    _craft_header(cache / FILE_NAME, lambda header: header | {"key": "0" * 64})


def _other_format(cache: Path, kb: Path) -> None:  # an upgrade that changed the file format
    _craft_header(cache / FILE_NAME, lambda header: header | {"format": FORMAT_VERSION - 1})


def _craft_header(path: Path, change) -> None:
    _craft(path, lambda a: a.update(header=encode_header(change(decode_header(a["header"])))))


@pytest.mark.parametrize("stale", [_other_files, _other_code, _other_format])
def test_a_stale_snapshot_is_rebuilt_with_one_info_line_not_a_warning(
    kb, tmp_path, builds, caplog, stale
):
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    stale(cache, kb)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="knowledge.snapshot"):
        load_cached([kb], cache)
    assert len(builds) == 2  # rebuilt, as expected after an upgrade: nothing to alarm about
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("snapshot ") and " is stale: " in record.getMessage()


def test_leftover_temp_files_are_removed_at_load_with_one_log_line(kb, tmp_path, caplog):
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    leftovers = [cache / f".{FILE_NAME}.{n}abc.tmp" for n in range(3)]
    for path in leftovers:
        path.write_bytes(b"half a snapshot")
        os.utime(path, (1_000_000_000, 1_000_000_000))  # long ago: its writer is gone
    fresh = cache / f".{FILE_NAME}.writing.tmp"
    fresh.write_bytes(b"being written right now")
    other = cache / "notes.tmp"
    other.write_bytes(b"not ours")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="knowledge.store"):
        load_cached([kb], cache)
    assert not any(p.exists() for p in leftovers)
    assert fresh.exists() and other.exists()
    [record] = caplog.records
    assert "3 leftover" in record.getMessage()


@pytest.mark.parametrize("name", ["header", "body"])
def test_a_snapshot_with_absurdly_nested_json_is_rebuilt(kb, tmp_path, builds, name):
    cache = tmp_path / "cache"
    load_cached([kb], cache)
    nested = np.frombuffer(b"[" * 100_000 + b"]" * 100_000, dtype=np.uint8)
    _craft(cache / FILE_NAME, lambda a: a.__setitem__(name, nested))
    assert len(load_cached([kb], cache).passages) > 0 and len(builds) == 2


def test_the_build_tokenizes_each_passage_once_and_the_snapshot_keeps_its_term_ids(
    kb, tmp_path, monkeypatch
) -> None:
    calls: list[str] = []
    real = ingest.passage_tokens
    monkeypatch.setattr(ingest, "passage_tokens", lambda p: calls.append(p.id) or real(p))
    built = load_cached([kb], tmp_path / "cache")  # builds, tags, indexes and saves
    assert sorted(calls) == sorted(p.id for p in built.passages)  # once each, saving included
    vocabulary, kept = list(built.index.vocabulary), built.passage_terms
    for row, passage in enumerate(built.passages):
        ids = kept.terms[kept.offsets[row] : kept.offsets[row + 1]]
        assert [vocabulary[t] for t in ids] == real(passage) + built.expansions.tokens(passage)
    restored = load_cached([kb], tmp_path / "cache")
    assert restored.passage_terms.terms.tolist() == kept.terms.tolist()
