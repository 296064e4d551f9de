"""The stage in the ask path: attached when the model loads, BM25 alone (one log line) if not."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import numpy as np

import knowledge
from knowledge.semantic import SemanticStage, attach_semantic
from knowledge.semantic.stage import SENTENCE_SHARE
from knowledge.semantic.vectors import PassageVectors
from tests.helpers.tiny_model import write_tiny_model
from tests.knowledge.conftest import write_source
from tests.knowledge.semantic.conftest import EXTRA, OFF, log_lines


def test_attach_gives_ask_a_semantic_stage(tmp_path: Path, kb, model_dir, caplog):
    with caplog.at_level(logging.INFO):
        attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert kb.semantic is None  # the original is left as it was
    assert attached.semantic is not None and attached.semantic.identity.startswith("tiny@")
    [line] = log_lines(caplog)
    assert line.startswith("semantic search on: tiny@")
    assert line.endswith("3 passages, 0 tuning questions, for en")
    match = attached.semantic.match("Who mediates the truce?", 3)
    assert attached.passages[match.hits[0].row].source_id == "broker"
    assert match.best == match.hits[0].score > 0.5


def test_a_killed_writers_vector_temp_file_is_removed(tmp_path: Path, kb, model_dir):
    cache = tmp_path / "cache"
    attach_semantic(kb, str(model_dir), cache)
    left = cache / ".semantic.npz.k1ll3d.tmp"  # as large as the vectors, at scale
    left.write_bytes(b"half the vectors")
    os.utime(left, (1_000_000_000, 1_000_000_000))  # long ago: its writer is gone
    assert attach_semantic(kb, str(model_dir), cache).semantic is not None
    assert not left.exists() and (cache / "semantic.npz").exists()


def stage_of(embedder, passages: list[list[str]]) -> SemanticStage:
    """A stage over passages given as their sentences."""
    whole = embedder.encode([" ".join(p) for p in passages])
    sentences = [s for p in passages for s in p]
    owners = np.asarray([row for row, p in enumerate(passages) for _ in p], dtype=np.int64)
    return SemanticStage(embedder, PassageVectors(whole, embedder.encode(sentences), owners))


def test_match_ranks_by_cosine_within_allowed_rows(embedder):
    stage = stage_of(embedder, [["prisoner exchange"], ["ceasefire truce"], ["rain forecast"]])
    assert stage.match("prisoners swap", 3).hits[0].row == 0
    allowed = np.array([False, True, True])
    assert 0 not in {h.row for h in stage.match("prisoners swap", 3, allowed).hits}
    swap = embedder.encode(["prisoner exchange"])[0]
    assert np.allclose(stage.similarities("prisoners swap"), stage.vectors @ swap, atol=0.2)


def test_a_passage_with_one_sentence_on_the_question_beats_one_vaguely_near_it(embedder):
    focused = ["Rain is forecast.", "Sunny weather later.", "Prisoners were exchanged."]
    vague = ["The ceasefire held while captives and land were discussed."]
    stage = stage_of(embedder, [focused, vague])
    whole = stage.vectors @ embedder.encode(["prisoner swap"])[0]
    assert whole[1] > whole[0]  # by whole passages, the vague one is closer
    assert stage.match("prisoner swap", 2).hits[0].row == 0  # its sentence decides


def test_match_names_the_sentence_of_each_hit_closest_to_the_question(embedder):
    passages = [["ceasefire talks resumed", "rain forecast", "prisoner exchange agreed"]]
    match = stage_of(embedder, passages).match("captives swap", 1)
    assert match.focus == {0: 2}


def test_the_excerpt_shows_the_sentence_the_stage_found(tmp_path, model_dir):
    folder = tmp_path / "kb"
    folder.mkdir()
    body = (
        "The ceasefire talks resumed in Geneva on Monday morning. "
        "Delegates argued about the agenda for many long hours. "
        "Reporters waited outside in the cold for the whole day. "
        "Later both sides agreed on a prisoner exchange."
    )
    write_source(folder, "talks.md", "Talks", body)
    write_source(folder, "rain.md", "Rain", "Rain is forecast for the weekend in the hills.")
    write_source(folder, "markets.md", "Markets", "Markets rose on Friday as traders bought.")
    attached = attach_semantic(knowledge.load([folder]), str(model_dir), tmp_path / "cache")
    assert "prisoner exchange" in attached.ask("talks resumed captives").excerpts[0].text
    query = attached.query("talks resumed captives")
    [lexical] = attached.excerpts(query, attached.rank(query, 1), 1)
    assert "prisoner exchange" not in lexical.text  # the window around the word "talks"


def test_similarity_weighs_the_passage_and_its_closest_part(embedder):
    stage = stage_of(embedder, [["ceasefire truce", "rain forecast"], ["border land"], []])
    question = embedder.encode(["truce"])[0]
    whole = stage.vectors @ question
    parts = embedder.encode(["ceasefire truce", "rain forecast", "border land"]) @ question
    closest = [max(whole[0], parts[0], parts[1]), max(whole[1], parts[2]), whole[2]]
    expected = (1 - SENTENCE_SHARE) * whole + SENTENCE_SHARE * np.array(closest)
    assert np.allclose(stage.similarities("truce"), expected, atol=1e-6)


def with_rain(tmp_path: Path) -> knowledge.Knowledge:
    """The ``kb`` fixture's sources (written under tmp_path/kb) and one on the weather."""
    folder = tmp_path / "kb"
    write_source(folder, "rain.md", "Rain", "Heavy rain is expected in the hills.")
    return knowledge.load([folder])


FORECAST = "ceasefire talks and the forecast"  # no source says "forecast"


def test_semantic_ranking_brings_a_paraphrase_into_the_answer(tmp_path, kb, model_dir):
    kb = with_rain(tmp_path)
    question = FORECAST
    plain = kb.ask(question)
    assert "rain" not in {e.source.id for e in plain.excerpts}
    fused = attach_semantic(kb, str(model_dir), tmp_path / "cache").ask(question)
    assert "rain" in {e.source.id for e in fused.excerpts}  # "heavy rain is expected"


def test_the_passages_the_stage_adds_are_blended_with_their_bm25_scores(tmp_path, kb, model_dir):
    kb = attach_semantic(with_rain(tmp_path), str(model_dir), tmp_path / "cache")
    query = kb.query(FORECAST)
    top_only = kb.fuse_semantic(FORECAST, query, kb.search(query, 1), 8)
    assert len(top_only) > 1  # the stage added passages to BM25's one
    assert top_only == kb.fuse_semantic(FORECAST, query, kb.search(query, 8), 8)


def test_the_stage_reads_a_mistyped_word_as_the_sources_spell_it(tmp_path, kb, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    question = "which captives did the sides excange"
    query = attached.query(question)
    assert query.respelt == {"excange": "exchange"}
    match = attached.semantic_match(question, query, 3)
    respelt = attached.semantic.match("which captives did the sides exchange", 3)
    assert match.hits == respelt.hits
    assert match.best > attached.semantic.match(question, 3).best  # the model knows "exchange"


def test_a_question_bm25_refuses_stays_refused(tmp_path: Path, kb, model_dir):
    attached = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert not attached.ask("weather forecast for the weekend").answered


UKRAINIAN_FORECAST = "перемир'я, переговори і прогноз"  # "ceasefire talks forecast"


def sources(answer: knowledge.Answer) -> set[str]:
    return {e.source.id for e in answer.excerpts}


def test_an_english_model_meets_a_ukrainian_question_in_its_english_words(tmp_path, kb, model_dir):
    kb = with_rain(tmp_path)
    plain = kb.ask(UKRAINIAN_FORECAST)
    assert plain.answered and "rain" not in sources(plain)
    english_only = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert "rain" in sources(english_only.ask(UKRAINIAN_FORECAST))  # "forecast" met the rain


def test_a_language_the_model_serves_is_encoded_as_asked(tmp_path, kb, model_dir):
    english_only = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    all_three = attach_semantic(kb, str(model_dir), tmp_path / "cache", ("en", "uk", "ru"))
    query = kb.query(UKRAINIAN_FORECAST)
    assert query.language == "uk"
    served = all_three.semantic_match(UKRAINIAN_FORECAST, query, 3)
    rendered = english_only.semantic_match(UKRAINIAN_FORECAST, query, 3)
    assert served.hits == all_three.semantic.match(UKRAINIAN_FORECAST, 3).hits
    assert rendered.hits == english_only.semantic.match("ceasefire talks forecast", 3).hits
    assert served.hits != rendered.hits
    # only the question's own words say whether the sources hold the answer
    assert served.signal == served.best
    assert rendered.signal is None


def test_a_question_with_no_word_the_glossary_knows_keeps_bm25(tmp_path, kb, model_dir):
    english_only = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    question = "Як зварити вареники з картоплею?"
    query = english_only.query(question)
    assert english_only.semantic_match(question, query, 3) is None
    assert not english_only.ask(question).answered


def test_without_the_extra_bm25_only_one_log_line(tmp_path, kb, model_dir, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "fastembed", None)  # import fastembed -> ImportError
    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, str(model_dir), tmp_path / "cache")
    assert same is kb and same.semantic is None and kb.ask("ceasefire talks").answered
    assert log_lines(caplog) == [f"{OFF}: fastembed is not installed ({EXTRA})"]


def test_a_broken_model_leaves_bm25_with_one_log_line(tmp_path, kb, caplog):
    broken = write_tiny_model(tmp_path / "broken")
    (broken / "model.onnx").write_bytes(b"not an onnx graph")
    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, str(broken), tmp_path / "cache")
    assert same is kb and kb.ask("ceasefire talks").answered
    [line] = log_lines(caplog)
    assert line.startswith(f"{OFF}: {broken}: cannot load: ")


def test_a_model_that_fails_on_the_passages_leaves_bm25(tmp_path, kb, embedder, caplog):
    class Failing:
        identity = "failing@0"

        def encode(self, texts):
            raise RuntimeError("ONNX Runtime: out of memory")

    with caplog.at_level(logging.INFO):
        same = attach_semantic(kb, "failing", tmp_path / "cache", loader=lambda m, c: Failing())
    assert same is kb
    assert log_lines(caplog) == [f"{OFF}: failing@0: encoding failed: ONNX Runtime: out of memory"]


def test_off_means_no_log_and_the_same_knowledge(kb, caplog):
    with caplog.at_level(logging.INFO):
        assert attach_semantic(kb, "") is kb
    assert log_lines(caplog) == []


def test_the_same_model_is_reused_not_loaded_again(tmp_path: Path, kb, model_dir, embedder):
    def no_loading(model, cache):
        raise AssertionError("the model was loaded again")

    cache = tmp_path / "cache"
    reused = attach_semantic(kb, str(model_dir), cache, loader=no_loading, reuse=embedder)
    assert reused.semantic is not None and reused.semantic.embedder is embedder
    other = write_tiny_model(tmp_path / "other", seed=5)
    loaded = attach_semantic(kb, str(other), cache, reuse=embedder)  # another model: loaded
    assert loaded.semantic is not None and loaded.semantic.embedder is not embedder
