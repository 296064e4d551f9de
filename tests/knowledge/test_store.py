"""Saved indexes: round trip, atomic replace, no pickle, format checks, fingerprints."""

from __future__ import annotations

import json
import os
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from knowledge import store
from knowledge.index import BM25Index, BM25Params
from knowledge.store import (
    FORMAT_VERSION,
    StoreError,
    encode_header,
    fingerprint,
    index_meta,
    load_index,
    save_index,
)


@pytest.fixture
def index() -> BM25Index:
    rng = random.Random(5)
    vocab = [f"t{i}" for i in range(60)] + ["переговори", "мир"]
    docs = [rng.choices(vocab, k=rng.randint(1, 30)) for _ in range(200)]
    return BM25Index.build(docs, BM25Params(k1=1.2, b=0.7, epsilon=0.3))


def test_round_trip_gives_the_same_scores_and_terms(index: BM25Index, tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    save_index(index, path, meta={"fingerprint": "abc"})
    loaded = load_index(path)
    assert list(loaded.vocabulary) == list(index.vocabulary)
    assert loaded.params == index.params and len(loaded) == len(index)
    for query in (["t0", "t1"], ["мир", "мир", "t59"], ["absent"], []):
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
        assert loaded.search(query, 10) == index.search(query, 10)
    assert loaded.doc_freq("мир") == index.doc_freq("мир")
    assert loaded.idf("t3") == index.idf("t3")
    assert index_meta(path) == {"fingerprint": "abc"}


def test_empty_index_round_trips(tmp_path: Path) -> None:
    save_index(BM25Index.build([]), tmp_path / "empty.npz")
    loaded = load_index(tmp_path / "empty.npz")
    assert len(loaded) == 0 and loaded.search(["a"], 3) == []


def test_save_replaces_atomically_and_leaves_no_temp_files(index, tmp_path: Path) -> None:
    path = tmp_path / "deep" / "index.npz"
    save_index(BM25Index.build([["old"]]), path)
    save_index(index, path)
    assert "old" not in load_index(path) and "t0" in load_index(path)
    assert [p.name for p in path.parent.iterdir()] == ["index.npz"]


def test_failed_save_keeps_the_old_file(index, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "index.npz"
    save_index(index, path)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "write_npz", broken)
    with pytest.raises(OSError, match="disk full"):
        save_index(BM25Index.build([["new"]]), path)
    assert "t0" in load_index(path)
    assert [p.name for p in tmp_path.iterdir()] == ["index.npz"]


def test_file_holds_no_pickled_objects(index, tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    save_index(index, path)
    with np.load(path, allow_pickle=False) as npz:  # would raise on any object array
        assert all(npz[name].dtype != object for name in npz.files)


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, array in arrays.items():
            with zf.open(f"{name}.npy", "w") as out:
                np.lib.format.write_array(out, array, allow_pickle=True)


def test_pickled_content_is_refused_not_executed(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    evil = np.array([{"boom": 1}], dtype=object)
    write_npz(path, header=evil, indptr=evil, indices=evil, data=evil, doc_freq=evil, idf=evil)
    with pytest.raises(StoreError, match="unreadable"):
        load_index(path)


def test_other_format_versions_are_refused(index, tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    save_index(index, path)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    header = json.loads(arrays["header"].tobytes())
    arrays["header"] = encode_header(header | {"format": FORMAT_VERSION + 1})
    np.savez(path, **arrays)
    with pytest.raises(StoreError, match="format"):
        load_index(path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_corrupt_or_truncated_files_raise_store_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "index.npz"
    path.write_bytes(content)
    with pytest.raises(StoreError):
        load_index(path)


def test_missing_file_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        load_index(tmp_path / "nope.npz")


def test_fingerprint_changes_with_content_names_and_params(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("one")
    b.write_text("two")
    base = fingerprint([a, b], BM25Params())
    assert fingerprint([b, a], BM25Params()) == base  # order does not matter
    assert fingerprint([a, b], BM25Params(k1=1.2)) != base
    assert fingerprint([a, b], BM25Params(), extra="tokenizer-2") != base
    assert fingerprint([a], BM25Params()) != base
    b.write_text("two!")
    changed = fingerprint([a, b], BM25Params())
    assert changed != base
    renamed = b.rename(tmp_path / "c.md")
    assert fingerprint([a, renamed], BM25Params()) != changed  # same bytes, other name


def test_stat_files_count_by_size_and_modification_time(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("one")
    base = fingerprint([], BM25Params(), stat_files=[source])
    assert fingerprint([], BM25Params(), stat_files=[source]) == base
    assert fingerprint([source], BM25Params()) != base  # content and stat entries differ
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    touched = fingerprint([], BM25Params(), stat_files=[source])
    assert touched != base
    source.write_text("three")
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    assert fingerprint([], BM25Params(), stat_files=[source]) != touched  # size changed
