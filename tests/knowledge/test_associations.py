"""Learned associations: a question word also finds the words its answers were given in."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge.answer import Knowledge
from knowledge.associations import load_associations
from knowledge.errors import KnowledgeError
from knowledge.features import PRODUCT
from knowledge.snapshot import load_cached
from knowledge.sources import load_sources
from tests.knowledge.conftest import write_source

TEXTS = {
    "trust": "Deep mistrust between the delegations blocks every step of the process.",
    "grain": "The grain corridor reopened the ports of Odesa for shipping.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
    "monitors": "Observers from the OSCE watched the line of contact.",
}


def corpus(folder: Path, links: str) -> tuple[Knowledge, Knowledge]:
    """The corpus searched with the associations in ``links``, and without any."""
    for name, text in TEXTS.items():
        write_source(folder, f"{name}.md", name.title(), text)
    sources = load_sources([folder]).sources
    path = folder / "associations.yaml"
    path.write_text(links, encoding="utf-8")
    return Knowledge.build(sources, None, (), load_associations(path)), Knowledge.build(sources)


def test_a_question_word_finds_the_passage_its_answers_use(tmp_path):
    linked, plain = corpus(tmp_path, "worried: [mistrust, delegations]\n")
    question = "why are they so worried"
    assert not plain.ask(question).answered
    answer = linked.ask(question)
    assert answer.excerpts[0].source.title == "Trust"
    assert "mistrust" in answer.excerpts[0].text


def test_the_link_runs_one_way_and_is_a_ranking_switch(tmp_path):
    linked, _ = corpus(tmp_path, "worried: [mistrust]\n")
    assert linked.ask("worried").answered
    assert not linked.with_options(PRODUCT.without("associations")).ask("worried").answered
    # "mistrust" does not lead back to a passage that says "worried"
    write_source(tmp_path, "worry.md", "Worry", "Families are worried about the winter.")
    again, _ = corpus(tmp_path, "worried: [mistrust]\n")
    assert [e.source.title for e in again.ask("mistrust").excerpts] == ["Trust"]


def test_the_shipped_associations_load_as_stems():
    links = load_associations()
    assert len(links) > 100
    assert all(found and asked not in found for asked, found in links.items())


def test_a_bad_associations_file_is_a_knowledge_error_at_its_line(tmp_path):
    path = tmp_path / "associations.yaml"
    path.write_text("worried: [mistrust]\nfear: [" + "9" * 5000 + "]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_associations(path)
    assert [(p.path, p.line) for p in caught.value.problems] == [(str(path), 2)]
    path.write_text("- [worried, mistrust]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="expected a mapping of a word to a list"):
        load_associations(path)
    path.write_text("worried: [mistrust,\n  cease-fire, the]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_associations(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (2, "worried.1: 'cease-fire' is 2 search words: an association links one word to words"),
        (2, "worried.2: 'the' is a stopword: an association links one word to words"),
    ]


def test_a_knowledge_folder_s_own_associations_replace_the_shipped_ones(tmp_path):
    for name, text in TEXTS.items():
        write_source(tmp_path, f"{name}.md", name.title(), text)
    assert not knowledge.load([tmp_path]).ask("why are they so worried").answered
    (tmp_path / "associations.yaml").write_text("worried: [mistrust]\n", encoding="utf-8")
    assert knowledge.check([tmp_path]) == ([], [])
    answer = knowledge.load([tmp_path]).ask("why are they so worried")
    assert [e.source.title for e in answer.excerpts][:1] == ["Trust"]


def test_a_bad_associations_file_in_a_folder_is_reported_and_stops_the_load(tmp_path):
    write_source(tmp_path, "trust.md", "Trust", TEXTS["trust"])
    path = tmp_path / "associations.yaml"
    path.write_text("worried: [mistrust]\nfear: [cease-fire]\n", encoding="utf-8")
    problems, _ = knowledge.check([tmp_path])
    assert [(p.path, p.line) for p in problems] == [(str(path), 2)]
    with pytest.raises(KnowledgeError, match="cease-fire"):
        knowledge.load([tmp_path])


def test_a_saved_snapshot_reads_the_folder_s_associations_afresh(tmp_path):
    folder, cache = tmp_path / "kb", tmp_path / "cache"
    folder.mkdir()
    for name, text in TEXTS.items():
        write_source(folder, f"{name}.md", name.title(), text)
    (folder / "associations.yaml").write_text("worried: [mistrust]\n", encoding="utf-8")
    load_cached([folder], cache)  # builds and saves the snapshot
    restored = load_cached([folder], cache)
    assert [e.source.title for e in restored.ask("why are they so worried").excerpts][:1] == [
        "Trust"
    ]
    (folder / "associations.yaml").write_text("worried: [grain]\n", encoding="utf-8")
    edited = load_cached([folder], cache)  # an edit takes effect at the next load (/reload)
    assert [e.source.title for e in edited.ask("why are they so worried").excerpts][:1] == ["Grain"]
