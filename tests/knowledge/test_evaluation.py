from pathlib import Path

import pytest

from knowledge.evaluation import evaluate, load_questions
from knowledge.models import Answer, Excerpt, Passage, Source

SOURCE = Source(id="s", title="T", text="")


def answer_with(*texts: str) -> Answer:
    excerpts = tuple(
        Excerpt(i + 1, Passage(f"s#{i}", "s", i, t), SOURCE, t, (), 1.0)
        for i, t in enumerate(texts)
    )
    return Answer(question="q", answered=bool(texts), excerpts=excerpts)


QUESTIONS = """
- {id: a, question: "q1", style: keywords, expect: answer, evidence: ["Prisoner  Exchange"]}
- {id: b, question: "q2", style: keywords, expect: answer, evidence: ["never shown"]}
- {id: c, question: "q3", style: well_formed, expect: no_answer}
- {id: d, question: "x", style: adversarial, expect: graceful, generate: {repeat: "ab ", times: 3}}
"""


def test_metrics_follow_the_spec(tmp_path: Path):
    path = tmp_path / "q.yaml"
    path.write_text(QUESTIONS, encoding="utf-8")
    items = load_questions(path)
    assert items[3].question == "ab ab ab "
    replies = {
        "q1": answer_with("Nothing here.", "A prisoner\nexchange was agreed."),
        "q2": answer_with("Other text."),
        "q3": answer_with(),
    }

    def ask(question: str) -> Answer:
        if question not in replies:
            raise RuntimeError("boom")
        return replies[question]

    report = evaluate(items, ask)
    assert report.metrics["hit@1"] == 0.0
    assert report.metrics["hit@3"] == 0.5
    assert report.metrics["mrr"] == 0.25
    assert report.metrics["no_answer_accuracy"] == 1.0
    assert report.metrics["graceful_rate"] == 0.0
    assert [m.item.id for m in report.misses] == ["b", "d"]
    assert report.misses[1].error == "RuntimeError: boom"
    assert report.by_style["keywords"]["hit@3"] == 0.5


def test_a_broken_question_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "q.yaml"
    path.write_text("- {id: a, expect: maybe}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expect must be one of"):
        load_questions(path)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("- {id: a, question: q, expect: answer}", "item 1: expect: answer needs evidence"),
        ("- {id: a, question: q, expect: answer, evidence: ['']}", "needs evidence"),
        (
            "- {id: a, question: q, expect: no_answer}\n- {id: a, question: r, expect: no_answer}",
            "item 2: id 'a' is used twice",
        ),
    ],
)
def test_a_question_set_that_could_not_be_scored_right_is_refused(
    tmp_path: Path, items: str, message: str
):
    path = tmp_path / "q.yaml"
    path.write_text(items + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_questions(path)


def test_evidence_written_as_one_phrase_is_one_phrase_not_its_letters(tmp_path: Path):
    path = tmp_path / "q.yaml"
    path.write_text("- {id: a, question: q, expect: answer, evidence: talks resumed}\n")
    report = evaluate(load_questions(path), lambda question: answer_with("Turkey hosted a round."))
    assert report.metrics["hit@3"] == 0.0
