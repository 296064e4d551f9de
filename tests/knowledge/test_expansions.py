"""Learned expansions: a passage is also found by the words of the questions it answered."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge.errors import KnowledgeError
from knowledge.expansions import Expansions, learned_only, load_expansions
from knowledge.features import PRODUCT
from knowledge.ingest import passage_tokens
from knowledge.snapshot import load_cached
from tests.knowledge.conftest import write_source

TEXTS = {
    "trust": "Deep mistrust between the delegations blocks every step of the process.",
    "grain": "The grain corridor reopened the ports of Odesa for shipping.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
    "monitors": "Observers from the OSCE watched the line of contact.",
}
# "delegations" is Trust's own word, "Istanbul round" Prisoners': the learned words decide
QUESTION = "the biggest hurdle for the delegations after the Istanbul round"
LEARNED = '"trust":\n  "Deep mistrust between the delegations blocks": {biggest: 2, hurdle: 1}\n'


def corpus(folder: Path, learned: str | None = LEARNED) -> Path:
    """The four sources in ``folder``, with ``learned`` as its expansions.yaml."""
    folder.mkdir(exist_ok=True)
    for name, text in TEXTS.items():
        write_source(folder, f"{name}.md", name.title(), text)
    if learned is not None:
        (folder / "expansions.yaml").write_text(learned, encoding="utf-8")
    return folder


def own(passage) -> set[str]:
    return set(passage_tokens(passage))


def titles(kb: knowledge.Knowledge, question: str) -> list[str]:
    return [e.source.title for e in kb.ask(question).excerpts]


def test_a_question_worded_like_the_learned_ones_finds_the_passage(tmp_path):
    assert titles(knowledge.load([corpus(tmp_path, None)]), QUESTION)[:1] == ["Prisoners"]
    learned = knowledge.load([corpus(tmp_path)])
    assert titles(learned, QUESTION)[:1] == ["Trust"]
    assert "mistrust" in learned.ask(QUESTION).excerpts[0].text  # the source's text is shown
    assert knowledge.check([tmp_path])[0] == []


def test_a_folder_that_learned_expansions_alone_is_warned_of_the_shipped_out_of_scope(tmp_path):
    problems, warnings = knowledge.check([corpus(tmp_path)])
    assert problems == []
    assert [(w.path, "out_of_scope.yaml is the shipped one" in w.message) for w in warnings] == [
        (str(tmp_path / "expansions.yaml"), True)
    ]
    (tmp_path / "out_of_scope.yaml").write_text("[]\n", encoding="utf-8")  # learned: none
    assert knowledge.check([tmp_path]) == ([], [])
    assert knowledge.check([corpus(tmp_path / "plain", None)]) == ([], [])  # all shipped


def test_learned_words_alone_answer_nothing(tmp_path):
    # the learned words find the passage, but the answer-or-refuse decision weighs only what
    # sources say: "biggest" and "hurdle" are unknown to it, as "lawyer" would be
    learned = knowledge.load([corpus(tmp_path)])
    assert [h.row for h in learned.rank(learned.query("the biggest hurdle"), 3)]
    assert not learned.ask("the biggest hurdle").answered
    assert not learned.ask("the biggest hurdle of the process").answered  # one word said
    assert learned.ask("the biggest hurdle at every step of the process").answered  # two


def test_the_words_only_learned_are_those_no_passage_says(tmp_path):
    kb = knowledge.load([corpus(tmp_path)])
    words = learned_only(kb.passages, kb.expansions, kb.index.doc_freq, own)
    assert words == {"biggest", "hurdl"}
    said = '"trust":\n  "Deep mistrust between the delegations blocks": {grain: 3, process: 2}\n'
    kb = knowledge.load([corpus(tmp_path, said)])
    assert learned_only(kb.passages, kb.expansions, kb.index.doc_freq, own) == frozenset()


def test_a_word_the_tuning_questions_spread_keeps_the_weight_the_sources_give_it(tmp_path):
    # three tuning questions asked "do the delegations ..." of passages that do not say it:
    # counted there, "delegations" would be in every passage but one, and weigh next to nothing
    spread = "".join(
        f'"{name}":\n  "{TEXTS[name][:30]}": {{delegations: 1}}\n'
        for name in ("grain", "prisoners", "monitors")
    )
    learned = knowledge.load([corpus(tmp_path / "learned", spread)])
    plain = knowledge.load([corpus(tmp_path / "plain", None)])
    assert learned.index.doc_freq("deleg") == 4
    question = "what blocks the delegations"
    assert learned.query(question).weights == plain.query(question).weights
    assert titles(learned, question)[:1] == ["Trust"]


def test_a_typo_the_tuning_questions_taught_is_still_corrected_to_the_sources_word(tmp_path):
    # a tuning question misspelt "delegations": the misspelling is indexed, but no source
    # says it, so a question spelling it so is corrected, and answered on the sources' word
    typo = '"trust":\n  "Deep mistrust between the delegations blocks": {delegatoins: 1}\n'
    kb = knowledge.load([corpus(tmp_path, typo)])
    assert "delegatoin" in kb.learned_words
    assert kb.query("what do the delegatoins block").terms == ("deleg", "block")
    assert titles(kb, "what do the delegatoins block")[:1] == ["Trust"]
    without = kb.with_options(PRODUCT.without("spelling"))
    assert without.query("what do the delegatoins block").terms == ("delegatoin", "block")


def test_switching_the_expansions_off_rebuilds_the_index_without_them(tmp_path):
    learned = knowledge.load([corpus(tmp_path)])
    without = learned.with_options(PRODUCT.without("expansions"))
    assert titles(without, QUESTION)[:1] == ["Prisoners"]
    assert titles(without.with_options(PRODUCT), QUESTION)[:1] == ["Trust"]
    assert titles(learned, "grain corridor") == titles(without, "grain corridor")


def test_words_count_as_often_as_questions_used_them_and_only_in_their_passage(tmp_path):
    learned = load_expansions(corpus(tmp_path) / "expansions.yaml")
    passages = knowledge.load([tmp_path]).passages
    tokens = {p.source_id: learned.tokens(p) for p in passages}
    assert sorted(tokens["trust"]) == ["biggest", "biggest", "hurdl"]
    assert [t for s, found in tokens.items() if s != "trust" for t in found] == []
    assert Expansions().tokens(passages[0]) == []


def test_each_question_listed_adds_its_words_once(tmp_path):
    listed = (
        '"trust":\n  "Deep mistrust between the delegations blocks":\n'
        "    - [biggest, hurdle, Hurdles]\n    - [biggest]\n"
    )
    learned = load_expansions(corpus(tmp_path, listed) / "expansions.yaml")
    trust = next(p for p in knowledge.load([tmp_path]).passages if p.source_id == "trust")
    assert sorted(learned.tokens(trust)) == ["biggest", "biggest", "hurdl"]
    assert learned.asked(trust) == [("biggest", "hurdl"), ("biggest",)]
    assert titles(knowledge.load([tmp_path]), QUESTION)[:1] == ["Trust"]
    older = load_expansions(corpus(tmp_path, LEARNED) / "expansions.yaml")
    assert older.asked(trust) == [] and sorted(older.tokens(trust)) == sorted(learned.tokens(trust))


def test_questions_grouped_by_sentence_keep_the_sentence_that_answered_each(tmp_path):
    grouped = (
        '"trust":\n  "Deep mistrust between the delegations blocks":\n'
        '    "Deep mistrust between":\n      - [biggest, hurdle]\n      - [biggest]\n'
        '    "":\n      - [process]\n'
    )
    learned = load_expansions(corpus(tmp_path, grouped) / "expansions.yaml")
    trust = next(p for p in knowledge.load([tmp_path]).passages if p.source_id == "trust")
    assert learned.asked(trust) == [("biggest", "hurdl"), ("biggest",), ("process",)]
    assert learned.answered_in(trust) == ["deep mistrust between", "deep mistrust between", ""]
    assert sorted(learned.tokens(trust)) == ["biggest", "biggest", "hurdl", "process"]
    assert knowledge.check([tmp_path])[0] == []
    listed = '"trust":\n  "Deep mistrust between the delegations blocks":\n    - [biggest]\n'
    assert load_expansions(corpus(tmp_path, listed) / "expansions.yaml").answered_in(trust) == [""]
    bad = '"trust":\n  "Deep mistrust between":\n    "Deep mistrust":\n      - [cease-fire]\n'
    problems, _ = knowledge.check([corpus(tmp_path, bad)])
    assert [(p.line, "'cease-fire' is 2 search words" in p.message) for p in problems] == [
        (4, True)
    ]


def test_a_bad_question_list_is_listed_at_its_line(tmp_path):
    bad = (
        '"trust":\n  "Deep mistrust between":\n    - [biggest, cease-fire]\n'
        '  "Deep mistrust":\n    - hurdle\n'
    )
    problems, _ = knowledge.check([corpus(tmp_path, bad)])
    assert [p.line for p in problems] == [3, 4]
    assert "'cease-fire' is 2 search words" in problems[0].message
    assert "list of questions' word lists" in problems[1].message


def test_a_passage_whose_opening_words_are_gone_gains_nothing(tmp_path):
    stale = '"trust":\n  "Deep mistrust between the sides blocks": {biggest: 2, hurdle: 1}\n'
    assert titles(knowledge.load([corpus(tmp_path, stale)]), QUESTION)[:1] == ["Prisoners"]


def test_a_bad_expansions_file_is_listed_at_its_lines_and_stops_the_load(tmp_path):
    bad = (
        '"trust":\n  "Deep mistrust between": {biggest: two, cease-fire: 1}\n"grain": [corridor]\n'
    )
    folder = corpus(tmp_path, bad)
    problems, _ = knowledge.check([folder])
    path = str(folder / "expansions.yaml")
    assert [(p.path, p.line) for p in problems] == [(path, 2), (path, 2), (path, 3)]
    assert "'two' is not a count from 1 to 1000" in problems[0].message
    assert "'cease-fire' is 2 search words" in problems[1].message
    assert (
        "expected source id -> passage opening words -> list of questions'" in problems[2].message
    )
    with pytest.raises(KnowledgeError, match="cease-fire"):
        knowledge.load([folder])
    huge = '"trust":\n  "Deep mistrust between": {biggest: 1000000000}\n'  # never expanded
    (folder / "expansions.yaml").write_text(huge, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="1000000000 is not a count from 1 to 1000"):
        knowledge.load([folder])
    (folder / "expansions.yaml").write_text("- trust\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="expected source id"):
        knowledge.load([folder])


def test_a_saved_snapshot_answers_as_the_build_did_and_an_edit_rebuilds_it(tmp_path):
    folder, cache = corpus(tmp_path / "kb"), tmp_path / "cache"
    load_cached([folder], cache)  # builds and saves the snapshot
    restored = load_cached([folder], cache)
    assert titles(restored, QUESTION)[:1] == ["Trust"]
    assert titles(restored.with_options(PRODUCT.without("expansions")), QUESTION)[:1] == [
        "Prisoners"
    ]
    edited = '"grain":\n  "The grain corridor reopened the ports": {biggest: 1, hurdle: 1}\n'
    (folder / "expansions.yaml").write_text(edited, encoding="utf-8")
    edited_kb = load_cached([folder], cache)
    assert titles(edited_kb, QUESTION)[:1] != ["Trust"]
    assert titles(edited_kb, "the biggest hurdle for the ports after the Istanbul round")[:1] == [
        "Grain"
    ]


def test_a_saved_snapshot_decides_without_reading_the_expansions_file(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "kb"), tmp_path / "cache"
    built = load_cached([folder], cache)
    assert built.learned_words == {"biggest", "hurdl"}

    def unread(path: Path) -> Expansions:
        raise AssertionError(f"{path} read at start or by the decision")

    monkeypatch.setattr("knowledge.snapshot.load_expansions", unread)
    restored = load_cached([folder], cache)
    assert restored.learned_words == built.learned_words
    assert not restored.ask("the biggest hurdle of the process").answered  # one word said
    assert titles(restored, QUESTION)[:1] == ["Trust"]


def test_the_shipped_expansions_name_passages_of_the_shipped_corpus():
    kb = knowledge.load()
    found = [p for p in kb.passages if kb.expansions.tokens(p)]
    assert len(found) > len(kb.passages) // 2


def test_the_decision_weighs_the_best_covered_of_the_first_hits(tmp_path):
    # the learned words rank "Trust" first; "Grain" says "shipping" and "ports": answered
    learned = LEARNED.replace("{biggest: 2, hurdle: 1}", "{biggest: 4, worst: 4, hurdle: 4}")
    kb = knowledge.load([corpus(tmp_path, learned)])
    answer = kb.ask("the biggest worst hurdle for shipping from the ports")
    assert answer.answered
    assert [e.source.title for e in answer.excerpts] == ["Trust", "Grain"]


def test_a_name_only_tuning_questions_used_still_names_its_entry(tmp_path):
    # a tuning question asked about "Erdogan" at the grain passage: the name is indexed there,
    # but no source says it, so it is read as Turkey, as a name no question used would be
    write_source(tmp_path, "hosts.md", "Hosts", "Turkish diplomats hosted both delegations.")
    write_source(tmp_path, "grain.md", "Grain", TEXTS["grain"])
    learned = '"grain":\n  "The grain corridor reopened the ports": {erdogan: 2}\n'
    (tmp_path / "expansions.yaml").write_text(learned, encoding="utf-8")
    kb = knowledge.load([tmp_path])
    assert "erdogan" in kb.learned_words
    assert titles(kb, "What has Erdogan offered the delegations?")[:1] == ["Hosts"]
    assert "Hosts" in titles(kb, "What did Erdogan do?")  # where the tuning question was, too
