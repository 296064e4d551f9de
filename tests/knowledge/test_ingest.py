"""Analysing sources: each passage tokenized once; worker processes give the same result."""

from __future__ import annotations

import importlib.machinery
import sys
import types

import knowledge
from knowledge.index import BM25Index
from knowledge.ingest import analyse, analyse_run, merge, passage_tokens, spawn_is_safe, workers_for
from knowledge.taxonomy.loader import load_taxonomy


def test_workers_analyse_exactly_as_one_process(shipped: knowledge.Knowledge) -> None:
    sources, taxonomy, learned = shipped.sources, load_taxonomy(), shipped.expansions
    alone = analyse(sources, taxonomy, workers=0, expansions=learned)
    together = analyse(sources, taxonomy, workers=2, run_chars=1, expansions=learned)
    assert together.passages == alone.passages  # tags included
    assert together.vocabulary == alone.vocabulary  # same ids, same order
    assert together.terms.tolist() == alone.terms.tolist()
    assert together.lengths.tolist() == alone.lengths.tolist()
    assert together.learned.tolist() == alone.learned.tolist() and alone.learned.sum() > 0
    assert [p.tags for p in alone.passages] == [p.tags for p in shipped.passages]


def test_merged_runs_number_terms_as_one_run_would(shipped: knowledge.Knowledge) -> None:
    sources = shipped.sources
    parts = [analyse_run(sources[:1], None), analyse_run(sources[1:], None)]
    merged, whole = merge(sources, parts), analyse(sources, None, 0)
    assert len(parts[0].vocabulary) < len(whole.vocabulary)  # each run numbered its own
    assert merged.passages == whole.passages
    assert merged.vocabulary == whole.vocabulary
    assert merged.terms.tolist() == whole.terms.tolist()
    docs = [passage_tokens(p) for p in whole.passages]
    index = BM25Index.from_term_ids(merged.vocabulary, merged.terms.copy(), merged.lengths)
    assert index.search(["russia", "demand"], 5) == BM25Index.build(docs).search(
        ["russia", "demand"], 5
    )


def test_small_corpora_stay_in_process(shipped: knowledge.Knowledge) -> None:
    assert workers_for(shipped.sources) == 0


def test_no_workers_when_they_would_rerun_an_unguarded_script(tmp_path, monkeypatch) -> None:
    script = tmp_path / "script.py"
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    script.write_text("import knowledge\nknowledge.load()\n")
    assert not spawn_is_safe()
    script.write_text('if __name__ == "__main__":\n    import knowledge\n')
    assert spawn_is_safe()
    main.__spec__ = importlib.machinery.ModuleSpec("bot.__main__", None)  # python -m bot
    script.write_text("import knowledge\nknowledge.load()\n")
    assert spawn_is_safe()


def test_an_abandoned_build_ends_its_workers_and_raises(
    shipped: knowledge.Knowledge, monkeypatch
) -> None:
    import threading

    from knowledge import ingest

    monkeypatch.setattr(ingest, "_abandoned", threading.Event())  # this test's exit only
    reached, release = threading.Event(), threading.Event()

    def runs_then_wait(sources, run_chars):  # a big corpus: the first run sent, more to come
        yield list(sources[:1])
        reached.set()
        release.wait(30)
        yield list(sources[1:])

    monkeypatch.setattr(ingest, "runs_of", runs_then_wait)
    failed: list[BaseException] = []

    def build() -> None:
        try:
            analyse(shipped.sources, None, workers=2)
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    assert reached.wait(30)
    [pool] = ingest._pools
    workers = list(pool._processes.values())
    ingest.abandon()  # SIGTERM while the bot loads
    release.set()
    thread.join(30)
    assert failed and not thread.is_alive()  # the build raised instead of finishing
    for process in workers:
        process.join(30)
        assert not process.is_alive()  # no worker left behind
    assert not ingest._pools
