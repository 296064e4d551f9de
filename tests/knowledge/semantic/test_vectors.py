"""Passage vectors beside the snapshot: reloaded, not recomputed, unless model or texts change."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.semantic import FastEmbedder, build_stage, load_embedder
from knowledge.semantic.vectors import (
    FILE_NAME,
    PassageVectors,
    load_vectors,
    passage_sentences,
    passages_digest,
    save_vectors,
)
from tests.helpers.tiny_model import write_tiny_model
from tests.knowledge.semantic.conftest import Counting


def encoded(passages) -> int:
    """How many texts encoding ``passages`` takes: each passage and each of its sentences."""
    return len(passages) + sum(len(passage_sentences(p)) for p in passages)


def test_passage_vectors_are_saved_and_reloaded_not_recomputed(tmp_path, kb, embedder):
    first, second = Counting(embedder), Counting(embedder)
    built = build_stage(first, kb.passages, tmp_path / "cache")
    assert len(first.texts) == encoded(kb.passages) > len(kb.passages)
    assert (tmp_path / "cache" / FILE_NAME).is_file()
    reloaded = build_stage(second, kb.passages, tmp_path / "cache")
    assert second.texts == []  # nothing encoded at start
    assert np.array_equal(reloaded.vectors, built.vectors)
    assert np.array_equal(reloaded.sentences, built.sentences)


def test_another_model_or_changed_passages_recompute_the_vectors(
    tmp_path: Path, kb, embedder: FastEmbedder
):
    cache = tmp_path / "cache"
    build_stage(embedder, kb.passages, cache)
    other = Counting(load_embedder(str(write_tiny_model(tmp_path / "tiny", seed=7))))
    build_stage(other, kb.passages, cache)
    assert len(other.texts) == encoded(kb.passages)
    again = Counting(embedder)
    build_stage(again, kb.passages[:-1], cache)  # a passage gone: the corpus changed
    assert len(again.texts) == encoded(kb.passages[:-1])


def test_a_damaged_file_is_ignored_and_rewritten(tmp_path: Path, kb, embedder):
    cache = tmp_path / "cache"
    build_stage(embedder, kb.passages, cache)
    (cache / FILE_NAME).write_bytes(b"PK\x03\x04 half a zip")
    counting = Counting(embedder)
    build_stage(counting, kb.passages, cache)
    assert len(counting.texts) == encoded(kb.passages)
    assert build_stage(Counting(embedder), kb.passages, cache).vectors.shape == (3, 8)


def vectors(passages: int, owners: list[int]) -> PassageVectors:
    whole = np.ones((passages, 4), dtype=np.float32)
    parts = np.ones((len(owners), 4), dtype=np.float32)
    return PassageVectors(whole, parts, np.asarray(owners, dtype=np.int64))


def test_vectors_of_another_shape_or_kind_are_not_used(tmp_path: Path):
    path = tmp_path / FILE_NAME
    digest = passages_digest(["a", "b"])
    save_vectors(path, "m@1", digest, vectors(2, [0, 0, 1]))
    loaded = load_vectors(path, "m@1", digest)
    assert loaded.passages.shape == (2, 4) and loaded.owners.tolist() == [0, 0, 1]
    assert load_vectors(path, "m@2", digest) is None
    assert load_vectors(path, "m@1", passages_digest(["a", "c"])) is None
    assert load_vectors(tmp_path / "missing.npz", "m@1", digest) is None


def test_sentences_of_a_passage_that_does_not_exist_are_not_used(tmp_path: Path):
    path = tmp_path / FILE_NAME
    digest = passages_digest(["a", "b"])
    save_vectors(path, "m@1", digest, vectors(2, [0, 2]))
    assert load_vectors(path, "m@1", digest) is None


def test_a_file_of_passage_vectors_only_is_recomputed(tmp_path, kb, embedder):
    from knowledge.semantic.vectors import KIND, passage_text
    from knowledge.store import save_arrays

    cache = tmp_path / "cache"
    cache.mkdir()
    digest = passages_digest([passage_text(p) for p in kb.passages])
    old = embedder.encode([passage_text(p) for p in kb.passages])
    header = {"model": embedder.identity, "passages": digest, "shape": list(old.shape)}
    save_arrays(cache / FILE_NAME, KIND, header, {"vectors": old})  # the format before sentences
    counting = Counting(embedder)
    stage = build_stage(counting, kb.passages, cache)
    assert len(counting.texts) == encoded(kb.passages)
    assert len(stage.sentences) == encoded(kb.passages) - len(kb.passages)


def test_an_unwritable_cache_still_gives_a_stage(tmp_path: Path, kb, embedder, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder goes")
    stage = build_stage(embedder, kb.passages, blocked)
    assert stage.vectors.shape == (len(kb.passages), 8)
    assert any("could not save passage vectors" in r.getMessage() for r in caplog.records)


def test_the_digest_depends_on_order_and_boundaries():
    assert passages_digest(["ab", "c"]) != passages_digest(["a", "bc"])
    assert passages_digest(["a", "b"]) != passages_digest(["b", "a"])
