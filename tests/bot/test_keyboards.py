"""Answer keyboards and the callback data codec: round trips, 64 bytes, nothing forged decodes."""

from __future__ import annotations

import pytest
from telegram.constants import InlineKeyboardButtonLimit

from bot import keyboards
from knowledge import Answer, Excerpt, Passage, Source

TOKEN = "0123456789abcdef"  # an answer token (bot.answers)


def answer(count: int, **fields) -> Answer:
    source = Source(id="s" * 200, title="Talks", text="")
    items = tuple(
        Excerpt(i + 1, Passage(f"p{i}", source.id, i, "x"), source, "x", (), 1.0)
        for i in range(count)
    )
    return Answer(fields.pop("question", "minsk?"), bool(count), items, **fields)


def datas(markup) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row]


def test_answer_buttons_round_trip_within_64_bytes() -> None:
    markup = keyboards.answer_keyboard(answer(3, has_more=True), TOKEN)
    decoded = [keyboards.decode(d) for d in datas(markup)]
    assert [d.kind for d in decoded] == ["source"] * 3 + ["more"] + ["vote"] * 2
    assert {d.key for d in decoded} == {TOKEN}
    assert [d.number for d in decoded[:3]] == [0, 1, 2]
    assert [d.choice for d in decoded[-2:]] == ["+", "-"]
    assert [b.text for b in markup.inline_keyboard[-1]] == ["👍", "👎"]
    limit = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert all(len(d.encode()) <= limit for d in datas(markup))


def test_a_no_answer_can_be_voted_on_but_has_nothing_to_open() -> None:
    markup = keyboards.answer_keyboard(answer(0), TOKEN)
    assert [keyboards.decode(d).kind for d in datas(markup)] == ["vote", "vote"]


def test_a_down_vote_adds_one_reason_row() -> None:
    markup = keyboards.answer_keyboard(answer(2), TOKEN)
    asked = keyboards.with_reasons(markup, TOKEN)
    reasons = [keyboards.decode(d) for d in datas(asked)[-3:]]
    assert [(r.kind, r.choice) for r in reasons] == [("reason", k) for k in keyboards.REASONS]
    assert [b.text for b in asked.inline_keyboard[-1]] == list(keyboards.REASONS.values())
    assert datas(asked)[: len(datas(markup))] == datas(markup)
    assert keyboards.with_reasons(asked, TOKEN) is None  # asked once


def test_oversized_button_data_is_an_error_even_under_python_O() -> None:
    with pytest.raises(ValueError, match="callback data over 64 bytes"):
        keyboards.encode("s", "k" * 70)


def test_decode_rejects_anything_not_issued() -> None:
    bad = ("m:xyz", "s:123", f"m:{TOKEN}:1", f"s:{TOKEN}", f"s:{TOKEN}:123", "m:" + "a" * 17)
    votes = (f"v:{TOKEN}", f"v:{TOKEN}:0", f"v:{TOKEN}:++", f"r:{TOKEN}:x", f"r:{TOKEN}:-")
    for data in (None, "", "e:", "q:1", "e:12345", "x" * 64, *bad, *votes):
        assert keyboards.decode(data) is None, data


def test_an_answers_buttons_speak_its_language_with_the_same_data() -> None:
    english = keyboards.answer_keyboard(answer(2, has_more=True), TOKEN)
    russian = keyboards.answer_keyboard(answer(2, has_more=True, language="ru"), TOKEN)
    assert [b.text for row in russian.inline_keyboard for b in row] == [
        "Источник 1",
        "Источник 2",
        "Ещё результаты ▸",
        "👍",
        "👎",
    ]
    assert datas(russian) == datas(english)  # buttons sent before keep working


def test_the_reasons_row_speaks_the_pressers_language_with_the_same_data() -> None:
    markup = keyboards.answer_keyboard(answer(2), TOKEN)
    ukrainian = keyboards.with_reasons(markup, TOKEN, "uk")
    assert [b.text for b in ukrainian.inline_keyboard[-1]] == [
        "Не те джерело",
        "Застаріло",
        "Не відповідь",
    ]
    assert datas(ukrainian) == datas(keyboards.with_reasons(markup, TOKEN))
    assert keyboards.with_reasons(ukrainian, TOKEN, "en") is None  # asked once, any language
