"""What the learners share: the spellings their files write words in."""

from __future__ import annotations

from bench.learning import spellings


def test_two_letter_words_are_written_as_questions_use_them():
    spelled = spellings(["What did the UN and the EU agree?"])
    assert (spelled["un"], spelled["eu"], spelled["agre"]) == ("un", "eu", "agree")


def test_a_word_yaml_would_read_as_something_else_is_not_written():
    # unquoted, YAML reads these as True, True, None and 2022: "true" would come back as "True"
    spelled = spellings(["yes it is true, null and void since 2022"])
    assert not {"yes", "true", "null", "2022"} & spelled.keys()
    assert spelled["void"] == "void"


def test_cyrillic_words_only_when_asked():
    assert spellings(["чому обстріли зривають переговори"]) == {}
    assert spellings(["обстріли"], cyrillic=True) == {"обстрил": "обстріли"}
