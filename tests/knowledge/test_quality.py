"""Quality floors on question sets: the team's held-out set, and the shared dev set if present."""

from pathlib import Path

import pytest

from knowledge.evaluation import evaluate, load_questions

DATA = Path(__file__).resolve().parents[1] / "data"
DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_questions.yaml"
ENGLISH = {"well_formed", "keywords", "typo", "lowercase", "long"}


def english_hit3(report) -> float:
    answers = [o for o in report.outcomes if o.item.expect == "answer" and o.item.style in ENGLISH]
    return sum(o.rank is not None for o in answers) / len(answers)


def test_held_out_questions(shipped):
    report = evaluate(load_questions(DATA / "heldout_questions.yaml"), shipped.ask)
    assert report.metrics["hit@3"] >= 0.85, [o.item.id for o in report.misses]
    # 3 of its 5 out-of-scope questions are refused (5 of 5 before issue 9): the old rules
    # refused them by refusing a third of the answerable questions of an independent set.
    assert report.metrics["no_answer_accuracy"] >= 0.6
    # 1 of 23 refused: it names "Belarus", which no source does (they say "Minsk").
    assert report.metrics["answer_refused"] <= 0.05
    assert report.metrics["graceful_rate"] == 1.0


@pytest.mark.parametrize(
    ("half", "hit3", "refused", "no_answer"),
    # measured (BM25 only): tune 0.606 / 0.020 / 0.792; held-out 0.719 / 0.031 / 0.714; fresh
    # (session 3) 0.771 / 0.014 / 0.740; fresh2 (session 7) 0.766 / 0.007 / 0.600; fresh3
    # (session 8; tuning pool from session 9) 0.793 / 0.007 / 0.829; fresh4 (session 9, never
    # tuned on) 0.738 / 0.007 / 0.771; fresh5 (end of session 9, measured once) 0.772 / 0.021 /
    # 0.657; fresh6 (session 10, measured on session 9's code, then in the tuning pool) 0.683 /
    # 0.021 / 0.600; fresh7 (end of session 10, measured once; tuning pool from session 11)
    # 0.717 / 0.000 / 0.457; fresh8 (session 11, measured on session 10's code) 0.641 / 0.034 /
    # 0.600. Session 13: associations.yaml is learned from tune to fresh7, whose figures are
    # no longer independent; fresh8 0.779 / 0.007 / 0.629 and fresh9 (written in session 13,
    # measured once) 0.752 / 0.021 / 0.800 with the recalibrated bars, against 0.641 and 0.648
    # at hit@3 without the associations. Session 14: expansions.yaml is learned from the same
    # nine sets; fresh8 0.862 / 0.014 / 0.629, fresh9 0.876 / 0.028 / 0.857 and fresh10
    # (written in session 14, measured once) 0.831 / 0.027 / 0.750; then with the learned
    # out-of-scope words and recalibrated bars 0.862 / 0.014 / 0.600, 0.876 / 0.034 / 0.857
    # and 0.831 / 0.034 / 0.861; learned from tune2 too (session 14), 0.869 / 0.014 / 0.600,
    # 0.890 / 0.034 / 0.857 and 0.872 / 0.027 / 0.917; with the decision weighing the
    # best-covered of the first three hits, 0.869 / 0.014 / 0.543, 0.897 / 0.014 / 0.829 and
    # 0.878 / 0.020 / 0.917 (fresh8's out-of-scope questions are entity facts that share the
    # sources' words). Session 15: expansions and out-of-scope words learned from tune3, tune4
    # and tune5 too, associations from tune4 too, words only learned unknown to the decision;
    # fresh8 0.903 / 0.007 / 0.600, fresh9 0.876 / 0.021 / 0.857, fresh10 0.872 / 0.020 /
    # 0.944, and fresh11 (written in session 15, measured first on session 14's code: 0.797 /
    # 0.027 / 0.833) 0.811 / 0.000 / 0.889
    [
        ("tune", 0.55, 0.04, 0.75),
        ("heldout", 0.65, 0.05, 0.65),
        ("fresh", 0.72, 0.03, 0.7),
        ("fresh2", 0.72, 0.03, 0.55),
        ("fresh3", 0.77, 0.03, 0.65),
        ("fresh4", 0.71, 0.03, 0.71),
        ("fresh5", 0.74, 0.04, 0.6),
        ("fresh6", 0.66, 0.04, 0.55),
        ("fresh7", 0.69, 0.03, 0.42),
        ("fresh8", 0.84, 0.03, 0.5),
        ("fresh9", 0.86, 0.03, 0.78),
        ("fresh10", 0.84, 0.03, 0.85),
        ("fresh11", 0.76, 0.03, 0.85),
    ],
)
def test_independent_question_set_floors(shipped, half, hit3, refused, no_answer):
    """The set written from the sources by people who never saw the ranking (issue 9)."""
    report = evaluate(load_questions(DATA / "questions" / f"{half}.yaml"), shipped.ask)
    assert report.metrics["hit@3"] >= hit3
    assert report.metrics["answer_refused"] <= refused
    assert report.metrics["no_answer_accuracy"] >= no_answer
    assert report.metrics["graceful_rate"] == 1.0


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not beside the repo")
def test_dev_set_floors(shipped):
    report = evaluate(load_questions(DEV_SET), shipped.ask)
    # 1.0 before the expansions (session 14), 0.88 with them: two typo/why questions' evidence
    # fell to rank 4 behind passages the tuning questions' words lead to, while hit@1 went
    # 0.71 -> 0.81 and the held-out sets' hit@3 +0.03 to +0.12
    assert english_hit3(report) >= 0.85, [o.item.id for o in report.misses]
    assert report.metrics["no_answer_accuracy"] >= 0.8
    assert report.metrics["graceful_rate"] == 1.0
