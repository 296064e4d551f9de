"""Learning out-of-scope words: what out-of-scope questions ask with and answerable ones never."""

from __future__ import annotations

from pathlib import Path

from bench.out_of_scope import learn_out_of_scope, main
from knowledge.answer import Knowledge
from knowledge.evaluation import EvalItem
from knowledge.language.tokenize import tokenize
from knowledge.out_of_scope import load_out_of_scope
from tests.helpers.learning import built

TEXTS = {
    "grain": "The grain corridor reopened the ports of Odesa for shipping.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
}
IN_SCOPE = [f"what did the grain corridor reopen, take {n}" for n in range(58)]


def kb(folder: Path) -> Knowledge:
    return built(folder, TEXTS)


def item(n: int, question: str, expect: str) -> EvalItem:
    evidence = ("The grain corridor",) if expect == "answer" else ()
    return EvalItem(f"q{n}", question, expect, evidence=evidence)


def test_a_word_of_several_out_of_scope_questions_and_no_answerable_one_is_learned(tmp_path):
    outside = [
        "weather in Odesa",
        "what is the weather like in Istanbul",
        "football in Odesa",  # one question: not enough
        "Odesa hotels",
        "best hotels near the ports",
        "exchange rate of the hryvnia",  # "exchange": a word the sources use
        "exchange offices in Odesa",
    ]
    answerable = [*IN_SCOPE, "which hotels did the grain corridor reopen", "grain hotels"]
    items = [
        *(item(n, q, "no_answer") for n, q in enumerate(outside)),
        *(item(100 + n, q, "answer") for n, q in enumerate(answerable)),
    ]
    assert learn_out_of_scope(kb(tmp_path), items) == ["weather"]
    assert learn_out_of_scope(kb(tmp_path), items[:10]) == []  # too few answerable to tell


def test_the_command_writes_words_that_read_back_as_learned(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    kb(folder)
    outside = [
        "weather in Odesa",
        "Weather in Istanbul",
        "сколько лет Одессе",
        "сколько лет Стамбулу",
    ]
    lines = [f"- {{id: o{i}, question: '{q}', expect: no_answer}}" for i, q in enumerate(outside)]
    lines += [
        f"- {{id: a{i}, question: '{q}', expect: answer, evidence: [The grain corridor]}}"
        for i, q in enumerate(IN_SCOPE)
    ]
    sets = tmp_path / "tune.yaml"
    sets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "out_of_scope.yaml"
    assert main([str(sets), "--dirs", str(folder), "--out", str(out)]) == 0
    assert "  - weather\n" in out.read_text(encoding="utf-8")
    learned = load_out_of_scope(out)
    assert learned.words == {"weather", *tokenize("лет")}
    odesa = tokenize("Одессе")
    assert learned.questions == (
        ("odesa", "weather"),
        ("istanbul", "weather"),
        tuple(sorted({*tokenize("лет"), *odesa})),
        tuple(sorted({"istanbul", *tokenize("лет")})),
    )
