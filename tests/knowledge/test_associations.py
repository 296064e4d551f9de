"""Learned associations: a question word also finds the words its answers were given in."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.answer import Knowledge
from knowledge.associations import load_associations
from knowledge.errors import KnowledgeError
from knowledge.features import PRODUCT
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
