"""Text measured, cut, escaped and fitted as Telegram counts it, without python-telegram-bot."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import textfit
from tests.helpers.telegram_html import parse_html

EMOJI = "😀🇺🇦👩‍👩‍👧"  # two UTF-16 units per code point, and joined sequences
TEXTS = st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(EMOJI)), max_size=2000)


def test_cut_prefers_a_sentence_end_and_marks_the_cut() -> None:
    text = "First sentence here. Second sentence is longer than the budget allows."
    assert textfit.cut(text, 40) == "First sentence here.…"
    assert textfit.cut("short", 40) == "short"
    assert textfit.tg_len(textfit.cut("😀" * 50, 11)) <= 11


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(1, 500))
def test_cut_always_fits_the_budget(text: str, budget: int) -> None:
    shown = textfit.cut(text, budget)
    assert textfit.tg_len(shown) <= budget
    assert shown == text or shown.endswith(textfit.ELLIPSIS)


def test_fit_lines_keeps_whole_lines_within_the_limit_and_counts_the_rest() -> None:
    lines = [f"<b>feed {i}</b> last poll: never; items added: 0" for i in range(200)]
    text = textfit.fit_lines(lines)
    assert textfit.visible_len(text) <= textfit.MAX_TEXT
    kept = text.splitlines()
    assert kept[:-1] == lines[: len(kept) - 1]
    assert kept[-1] == f"… and {200 - len(kept) + 1} more lines"
    assert textfit.fit_lines(lines[:3]) == "\n".join(lines[:3])


def test_a_report_line_is_cleaned_cut_and_escaped() -> None:
    error = "https://n.example/<rss>?a=1&b=2: \x00\x1btimed out. " + "Retrying later. " * 40
    shown = parse_html(textfit.line_html(error)).plain
    assert shown.startswith("https://n.example/<rss>?a=1&b=2: timed out. Retrying later.")
    assert shown.endswith("Retrying later.…") and textfit.tg_len(shown) <= textfit.MAX_LINE
    assert textfit.short_html(None, 10) == "" and textfit.short_html('"a" & b', 10) == '"a" &amp; b'
