"""Rendering answers to Telegram HTML: escaping, bold terms, citations, limits, button data."""

from __future__ import annotations

import string
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot import keyboards, render, texts
from bot.stats import Summary
from bot.textfit import tg_len, visible_len
from knowledge import Answer, Excerpt, KnowledgeDiff, Passage, Problem, Source
from tests.helpers.telegram_html import parse_html
from tests.helpers.telegram_rules import check_inline_results, check_markup, check_text

LIMIT = MessageLimit.MAX_TEXT_LENGTH
TOKEN = "0123456789abcdef"  # an answer token (bot.answers)


def source(title: str = "Talks in Istanbul", **kw) -> Source:
    return Source(id=kw.pop("id", "istanbul"), title=title, text="", **kw)


def excerpt(
    text: str,
    highlights=(),
    rank: int = 1,
    src: Source | None = None,
    label: str | None = None,
) -> Excerpt:
    src = src or source()
    passage = Passage(id=f"{src.id}#{rank}", source_id=src.id, position=rank, text=text)
    return Excerpt(rank, passage, src, text, tuple(highlights), 1.0, label)


def answer(*excerpts: Excerpt, has_more: bool = False, question: str = "q?") -> Answer:
    return Answer(question, bool(excerpts), tuple(excerpts), has_more=has_more)


def visible(markup: str) -> str:
    return parse_html(markup).plain


# --- examples ------------------------------------------------------------------------------


def test_terms_bold_and_text_escaped() -> None:
    text = "Russia & Ukraine met <again> in Istanbul."
    start = text.index("Istanbul")
    html = render.answer_html(answer(excerpt(text, [(0, 6), (start, start + 8)])))
    assert "<b>Russia</b> &amp; Ukraine met &lt;again&gt; in <b>Istanbul</b>." in html
    assert visible(html).startswith("1. Russia & Ukraine met <again> in Istanbul.")


def test_label_is_bold_escaped_and_on_its_own_line() -> None:
    text = "Russia demands Crimea."
    labelled = excerpt(text, [(0, 6)], label="Russia · Territory <&>")
    html = render.answer_html(answer(labelled, excerpt("Plain text.", rank=2)))
    assert "<b>1.</b> <b>Russia · Territory &lt;&amp;&gt;</b>\n<b>Russia</b> demands" in html
    assert visible(html).startswith("1. Russia · Territory <&>\nRussia demands Crimea.")
    assert "<b>2.</b> Plain text." in html  # no label, no extra line
    inline = render.inline_results(answer(labelled))[0].input_message_content.message_text
    assert "<b>Russia · Territory &lt;&amp;&gt;</b>" in inline
    assert_valid_message(html)


def test_a_label_is_shown_in_the_replys_language_where_the_taxonomy_names_it() -> None:
    uk = ("uk", "Росія · Санкції")
    labelled = replace(
        excerpt("Russia wants sanctions lifted.", label="Russia · Sanctions"), labels=(uk,)
    )
    shown = replace(answer(labelled), language="uk")
    assert visible(render.answer_html(shown)).endswith(
        "1. Росія · Санкції\nRussia wants sanctions lifted.\n— Talks in Istanbul"
    )
    inline = render.inline_results(shown)[0].input_message_content.message_text
    assert "<b>Росія · Санкції</b>" in inline
    in_russian = replace(shown, language="ru")  # no Russian label given: the English one
    assert "1. Russia · Sanctions\n" in visible(render.answer_html(in_russian))


def test_control_characters_do_not_shift_the_bold_terms() -> None:
    text = "a\x00b\x07 Minsk deal"
    start = text.index("Minsk")
    html = render.answer_html(answer(excerpt(text, [(start, start + 5)])))
    assert "ab <b>Minsk</b> deal" in html


def test_overlapping_and_out_of_range_highlights_are_merged_and_clipped() -> None:
    assert render.bold_spans("abcdef", [(0, 3), (2, 4), (5, 99), (4, 4)]) == "<b>abcd</b>e<b>f</b>"


def test_citation_lists_title_author_publisher_date_and_links_http_only() -> None:
    cited = source(
        "A <b> title",
        author="Jane Doe",
        publisher="Gazette",
        published="2022-03-29",
        url="https://example.org/a?b=1&c=2",
    )
    html = render.citation(cited)
    assert html == (
        '<i>— <a href="https://example.org/a?b=1&amp;c=2">A &lt;b&gt; title</a>, '
        "Jane Doe, Gazette, 2022-03-29</i>"
    )
    assert "<a " not in render.citation(source(url="javascript:alert(1)"))


def test_citations_and_the_source_list_link_by_one_url_rule() -> None:
    for url, linked in [
        ("https://example.org/a", True),
        ("http://example.org/a", True),
        ("javascript:alert(1)", False),
        ("https://example.org/\x07bell", False),
        ("https://example.org/" + "a" * 2048, False),
    ]:
        assert (render.linkable(url) != "") is linked
        assert ("<a " in render.citation(source(url=url))) is linked
        assert ("<a " in texts.sources_page([source(url=url)], 0)[0]) is linked


def test_no_answer_is_honest_with_suggestions() -> None:
    html = render.answer_html(Answer("pizza?", False, suggestions=("Who <mediates>?",)))
    assert "no sourced answer" in visible(html)
    assert "Who <mediates>?" in visible(html)


def test_no_answer_speaks_the_questions_language() -> None:
    asked = Answer("Хто виграв?", False, language="uk", suggestions=("Чого вимагає Росія?",))
    shown = visible(render.answer_html(asked))
    assert "Я не знайшов відповіді з джерелом" in shown and "no sourced answer" not in shown
    assert "Можна запитати, наприклад:\n• Чого вимагає Росія?" in shown
    (result,) = render.inline_results(replace(asked, language="ru"))
    assert result.title == "Нет ответа с источником"
    assert "Можно спросить" in result.input_message_content.message_text


def test_long_answer_is_cut_within_the_limit() -> None:
    long = ("The Istanbul talks in 2022 ended without a deal. " * 200).strip()
    items = [excerpt(long, [(4, 12)], rank=i) for i in (1, 2, 3)]
    html = render.answer_html(answer(*items))
    shown = visible(html)
    assert tg_len(shown) <= LIMIT
    assert shown.count("…") == 3 and shown.count("— Talks in Istanbul") == 3


def test_inline_results_cite_and_fit() -> None:
    items = [excerpt(f"Minsk {i} <deal> & more.", [(0, 5)], rank=i) for i in range(1, 13)]
    results = render.inline_results(answer(*items))
    assert len(results) == render.INLINE_PAGE
    first = results[0].to_dict()
    assert first["title"] == "Talks in Istanbul"
    assert first["description"] == "Minsk 1 <deal> & more."
    assert "— Talks in Istanbul" in visible(first["input_message_content"]["message_text"])


def test_an_inline_excerpt_is_posted_under_the_query_it_answers() -> None:
    asked = answer(excerpt("Russia demands <Crimea>.", [(0, 6)]), question="minsk & co")
    posted = render.inline_results(asked)[0].input_message_content.message_text
    assert posted.startswith("<i>↪ minsk &amp; co</i>\n\n<b>Russia</b> demands &lt;Crimea&gt;.")
    assert_valid_message(posted)


def test_sources_page_paginates() -> None:
    many = [
        source(f"Source {i}", id=f"s{i}", url=f"https://e.org/{i}", published="2022-03-29")
        for i in range(20)
    ]
    text, keyboard = texts.sources_page(many, 1)
    assert "page 2 of 3" in visible(text) and "• Source 8 — 2022-03-29" in visible(text)
    assert '<a href="https://e.org/8">Source 8</a>' in text
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert labels == ["◂ Previous", "Next ▸"]
    assert texts.sources_page(many, 99)[0] == texts.sources_page(many, 2)[0]


def test_sources_are_listed_newest_first_then_by_title() -> None:
    listed = [
        source("Report 10", id="a", published="2024-01-02"),
        source("Report 2", id="b"),
        source("Report 9", id="c", published="2025-06-01"),
        source("Report 11", id="d"),
    ]
    text = visible(texts.sources_page(texts.newest_first(listed), 0)[0])
    order = [line.split(" — ")[0] for line in text.split("\n") if line.startswith("•")]
    assert order == ["• Report 9", "• Report 10", "• Report 2", "• Report 11"]


def test_admin_reports() -> None:
    diff = KnowledgeDiff(("new",), ("old",), (), 5, 120)
    report = visible(texts.reload_html(diff, 12.3))
    assert "5 sources, 120 passages" in report and "Added: new" in report
    assert "Removed: old" in report
    many = tuple(f"source-{i:03d}-" + "x" * 200 for i in range(300))
    huge = texts.reload_html(KnowledgeDiff(many, many, many, 300, 9000), 1.0)
    assert visible_len(huge) <= LIMIT and visible(huge).count("…") == 3
    problems = visible(texts.problems_html([Problem("/k/a<b>.md", 3, "bad & ugly")]))
    assert "/k/a<b>.md:3: bad & ugly" in problems
    summary = Summary(4, 3, 1.5, 9.0, (("pizza?", 2),))
    stats = visible(texts.stats_html(summary, 4, 116))
    assert "No-answer rate: 75%" in stats and "p95: 9.0 ms" in stats and "2× pizza?" in stats


# --- properties: whatever the text, every message and button is valid ---------------------

NASTY = "<>&\"'; \u200b\u200c\u200d\u2060\u202e\u061c\ufeff😀🇺🇦👩‍👩‍👧.!?\n"
texts_st = st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)), max_size=80)
long_texts = st.builds(lambda chunk, n: chunk * n, texts_st, st.integers(1, 60))
urls = st.one_of(st.none(), st.just("https://example.org/x?a=1&b=<2>"), texts_st)


@st.composite
def excerpts_st(draw, rank: int) -> Excerpt:
    text = draw(long_texts)
    spans = draw(st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400)), max_size=6))
    src = Source(
        id=draw(st.text(string.ascii_letters + "_-", min_size=1, max_size=300)),
        title=draw(long_texts),
        text="",
        author=draw(st.one_of(st.none(), texts_st)),
        publisher=draw(st.one_of(st.none(), long_texts)),
        url=draw(urls),
        published=draw(st.one_of(st.none(), texts_st)),
    )
    return excerpt(text, spans, rank=rank, src=src, label=draw(st.one_of(st.none(), texts_st)))


@st.composite
def answers_st(draw) -> Answer:
    count = draw(st.integers(0, 12))
    items = tuple(draw(excerpts_st(i + 1)) for i in range(count))
    return Answer(
        draw(long_texts),
        bool(items),
        items,
        has_more=draw(st.booleans()),
        offset=draw(st.integers(0, 30)),
        suggestions=tuple(draw(st.lists(texts_st, max_size=4))),
    )


def assert_valid_message(text: str) -> None:
    check_text(text, "HTML")  # raises ApiError as the Bot API would answer 400


@settings(max_examples=100, deadline=None)
@given(answers_st())
def test_every_rendering_is_valid_telegram(ans: Answer) -> None:
    assert_valid_message(render.answer_html(ans))
    keyboard = keyboards.answer_keyboard(ans, TOKEN)
    if keyboard is not None:
        check_markup(keyboard.to_dict())
        for row in keyboard.inline_keyboard:
            for button in row:
                size = len(button.callback_data.encode())
                assert size <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
                assert keyboards.decode(button.callback_data) is not None
    results = [r.to_dict() for r in render.inline_results(ans)]
    for result in results:
        result["input_message_content"]["parse_mode"] = "HTML"
    check_inline_results(results)
    for item in ans.excerpts:
        assert_valid_message(render.passage_html(item.passage, item.source))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(answers_st(), max_size=4), st.lists(excerpts_st(1), max_size=20), st.integers(-1, 5)
)
def test_suggestions_and_sources_are_valid(answers, items, page) -> None:
    results = [r.to_dict() for r in render.suggestion_results(answers)]
    for result in results:
        result["input_message_content"]["parse_mode"] = "HTML"
    check_inline_results(results)
    text, keyboard = texts.sources_page([e.source for e in items], page)
    assert_valid_message(text)
    problems = [Problem(e.source.title, e.rank, e.text) for e in items]
    assert_valid_message(texts.problems_html(problems))
    unanswered = tuple((a.question, i) for i, a in enumerate(answers))
    assert_valid_message(texts.stats_html(Summary(9, 1, 0.5, 2.0, unanswered), 1, 2))
    ids = tuple(e.source.id for e in items)
    assert_valid_message(texts.reload_html(KnowledgeDiff(ids, ids, ids, 3, 4), 1.0))
    if keyboard is not None:
        check_markup(keyboard.to_dict())


def test_suggestion_cards_speak_the_users_language() -> None:
    asked = answer(excerpt("Russia demands neutrality."), question="Чого вимагає Росія?")
    (card,) = render.suggestion_results([asked], "uk")
    assert card.title == "Чого вимагає Росія?"
    assert card.description == "Запитання-приклад: торкніться, щоб надіслати відповідь із джерелами"
    (untitled,) = render.suggestion_results([replace(asked, question="")], "ru")
    assert untitled.title == "Пример вопроса"
