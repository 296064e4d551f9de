"""Learning associations from a question set: what the answers say that the questions do not."""

from __future__ import annotations

from pathlib import Path

import knowledge
from bench.associations import learn, main, render
from bench.learning import spellings
from knowledge.answer import Knowledge
from knowledge.associations import load_associations
from knowledge.ingest import passage_tokens
from tests.helpers.learning import built, item

TEXTS = {
    "trust": "Deep mistrust between the delegations blocks every step of the process.",
    "doubt": "Mistrust of the other side's promises slowed the second round.",
    "grain": "The grain corridor reopened the ports of Odesa for shipping.",
    "prisoners": "Both sides exchanged prisoners of war after the Istanbul round.",
    "monitors": "Observers from the OSCE watched the line of contact.",
    "energy": "Strikes on power plants left cities without heating in January.",
    "sanctions": "Sanctions on banks stay until a settlement is signed.",
    "turkey": "Ankara offered to host a third meeting of the negotiators.",
    "vatican": "The Vatican helped return children taken from occupied towns.",
    "nato": "Membership of the alliance remains a red line for Moscow.",
    "minsk": "The Minsk agreements of 2015 never brought a lasting calm.",
    "un": "The United Nations asked for safe passage for civilians.",
}


def kb(folder: Path) -> Knowledge:
    return built(folder, TEXTS)


def test_a_word_several_questions_share_links_to_what_their_answers_say(tmp_path):
    questions = [
        item(1, "why are the sides worried", "Deep mistrust between"),
        item(2, "what worried the delegations", "Mistrust of the other side"),
        item(3, "is anyone worried about grain", "The grain corridor"),  # one question: no link
        item(4, "worried about the weather", "", "no_answer"),  # no evidence: not counted
    ]
    links = learn(kb(tmp_path), questions)
    assert "mistrust" in links["worri"]
    assert "grain" not in links["worri"] and "corridor" not in links["worri"]
    assert "deleg" not in links["worri"]  # question 2 asks it: only question 1 links it


def test_the_file_written_reads_back_as_the_links_learned(tmp_path):
    links = {"worri": ["mistrust", "deleg"]}
    spelled = spellings(["Deep mistrust between the delegations", "are you worried"])
    path = tmp_path / "associations.yaml"
    path.write_text(render(links, spelled, [tmp_path / "tune.yaml"]), encoding="utf-8")
    assert "worried: [mistrust, delegations]" in path.read_text(encoding="utf-8")
    assert load_associations(path) == {"worri": frozenset({"mistrust", "deleg"})}


def test_the_command_learns_from_a_question_set_over_the_shipped_corpus(tmp_path, capsys):
    sets = tmp_path / "tune.yaml"
    sets.write_text(
        "- id: a\n  question: What stands in the way of a truce?\n  expect: answer\n"
        "  evidence: [deep-seated mistrust]\n"
        "- id: b\n  question: What stands between the sides and a truce?\n  expect: answer\n"
        "  evidence: [deep-seated mistrust]\n",
        encoding="utf-8",
    )
    out = tmp_path / "associations.yaml"
    assert main([str(sets), "--out", str(out)]) == 0
    learned = load_associations(out)
    answer = {
        t
        for p in knowledge.load().passages
        if "deep-seated mistrust" in p.text.lower()
        for t in passage_tokens(p)
    }
    assert learned and all(found <= answer for found in learned.values())
    assert out.read_text(encoding="utf-8").startswith("# Learned by `python -m bench.associations")


def test_the_command_learns_for_an_operator_s_own_folder(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    kb(folder)
    sets = tmp_path / "tune.yaml"
    sets.write_text(
        "- id: a\n  question: why are the sides worried\n  expect: answer\n"
        "  evidence: [Deep mistrust between]\n"
        "- id: b\n  question: what worried the delegations\n  expect: answer\n"
        "  evidence: [Mistrust of the other side]\n",
        encoding="utf-8",
    )
    out = folder / "associations.yaml"
    assert main([str(sets), "--dirs", str(folder), "--out", str(out)]) == 0
    assert "mistrust" in load_associations(out)["worri"]
    answer = knowledge.load([folder]).ask("who is worried")
    assert answer.excerpts[0].source.title in {"Trust", "Doubt"}


def test_evaluate_prints_unseen_questions_figures_without_and_with_what_was_learned(
    tmp_path, capsys
):
    folder = tmp_path / "kb"
    folder.mkdir()
    kb(folder)
    tune, other = tmp_path / "tune.yaml", tmp_path / "other.yaml"
    tune.write_text(
        "- id: a\n  question: why are the sides worried\n  expect: answer\n"
        "  evidence: [Deep mistrust between]\n"
        "- id: b\n  question: what worried the delegations\n  expect: answer\n"
        "  evidence: [Mistrust of the other side]\n",
        encoding="utf-8",
    )
    other.write_text(
        "- id: c\n  question: who is worried\n  expect: answer\n  evidence: [mistrust]\n",
        encoding="utf-8",
    )
    assert main([str(tune), "--dirs", str(folder), "--evaluate", str(other)]) == 0
    without, learned = capsys.readouterr().out.splitlines()
    assert without.startswith("without") and "hit@3 0.000" in without
    assert learned.startswith("learned") and "hit@3 1.000" in learned
    assert not (folder / "associations.yaml").exists()
