"""Learned out-of-scope words: a question asking with one, when no source uses it, is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge.errors import KnowledgeError
from knowledge.ingest import passage_tokens
from knowledge.out_of_scope import find_out_of_scope, load_out_of_scope
from knowledge.snapshot import load_cached
from tests.knowledge.conftest import write_source

TEXTS = {
    "grain": "The grain corridor reopened the ports of Odesa for shipping in July.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
    "monitors": "Observers from the OSCE watched the line of contact near Donetsk.",
}
QUESTION = "weather at the Odesa ports"


def corpus(folder: Path, words: str | None = "- weather\n- football\n") -> Path:
    """The sources in ``folder``, with ``words`` as its out_of_scope.yaml."""
    folder.mkdir(exist_ok=True)
    for name, text in TEXTS.items():
        write_source(folder, f"{name}.md", name.title(), text)
    if words is not None:
        (folder / "out_of_scope.yaml").write_text(words, encoding="utf-8")
    return folder


def test_a_question_asking_with_a_listed_word_no_source_uses_is_refused(tmp_path):
    assert knowledge.load([corpus(tmp_path, "[]\n")]).ask(QUESTION).answered
    refused = knowledge.load([corpus(tmp_path)]).ask(QUESTION)
    assert not refused.answered and refused.excerpts == ()
    assert knowledge.load([tmp_path]).ask("Odesa ports").answered
    assert knowledge.check([tmp_path]) == ([], [])


def test_a_listed_word_the_sources_use_refuses_nothing(tmp_path):
    kb = knowledge.load([corpus(tmp_path, "- grain\n- weather\n")])
    assert [e.source.title for e in kb.ask("grain at the Odesa ports").excerpts][:1] == ["Grain"]


def test_a_listed_word_in_passing_in_a_long_question_refuses_nothing(tmp_path):
    kb = knowledge.load([corpus(tmp_path)])
    question = (
        "My class meets tomorrow and the weather is bad, but I still want to explain which ports"
        " of Odesa the grain corridor reopened for shipping and when that happened"
    )
    assert kb.ask(question).answered


def test_a_bad_words_file_is_listed_at_its_line_and_stops_the_load(tmp_path):
    folder = corpus(tmp_path, "- weather\n- cease-fire\n")
    problems, _ = knowledge.check([folder])
    assert [(p.path, p.line) for p in problems] == [(str(folder / "out_of_scope.yaml"), 2)]
    assert "'cease-fire' is 2 search words" in problems[0].message
    with pytest.raises(KnowledgeError, match="cease-fire"):
        knowledge.load([folder])
    (folder / "out_of_scope.yaml").write_text("weather: 3\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"expected words: .* \(or a list of words\)"):
        knowledge.load([folder])
    both = "words: [weather]\nquestions:\n  - [weather, odesa]\n  - weather\n"
    (folder / "out_of_scope.yaml").write_text(both, encoding="utf-8")
    problems, _ = knowledge.check([folder])
    assert [p.line for p in problems] == [4]
    assert "questions.1: expected words" in problems[0].message


def test_a_saved_snapshot_reads_the_folder_s_words_afresh(tmp_path):
    folder, cache = corpus(tmp_path / "kb", "[]\n"), tmp_path / "cache"
    assert load_cached([folder], cache).ask(QUESTION).answered
    (folder / "out_of_scope.yaml").write_text("- weather\n", encoding="utf-8")
    assert not load_cached([folder], cache).ask(QUESTION).answered  # as /reload would


def test_the_file_lists_the_words_then_the_questions(tmp_path):
    both = "words: [weather, football]\nquestions:\n  - [weather, Odesa, ports]\n"
    found = load_out_of_scope(corpus(tmp_path, both) / "out_of_scope.yaml")
    assert found.words == {"weather", "footbal"}
    assert found.questions == (("weather", "odesa", "port"),)
    assert not knowledge.load([tmp_path]).ask(QUESTION).answered
    older = load_out_of_scope(corpus(tmp_path, "- weather\n") / "out_of_scope.yaml")
    assert (older.words, older.questions) == (frozenset({"weather"}), ())


def test_the_shipped_words_are_words_the_shipped_sources_never_use():
    words = load_out_of_scope(find_out_of_scope(None)).words
    kb = knowledge.load()
    assert len(words) > 20 and {"weather", "footbal"} <= words
    said = {t for p in kb.passages for t in passage_tokens(p)}  # not the learned expansions
    assert not words & said
    assert not kb.ask("What will the weather be like in Kyiv tomorrow?").answered
    assert kb.ask("What did Russia demand at the Istanbul talks?").answered


def test_a_request_framed_with_name_or_list_is_answered_even_when_they_are_listed(tmp_path):
    kb = knowledge.load([corpus(tmp_path, "- name\n- list\n- weather\n")])
    asked = {
        "Name the ports the grain corridor reopened": "Grain",
        "list the prisoners both sides exchanged": "Prisoners",
    }
    for question, title in asked.items():
        assert [e.source.title for e in kb.ask(question).excerpts][:1] == [title]
    assert not kb.ask("name the weather at the Odesa ports").answered
