from knowledge.cleaning import clean_text, find_placeholders, is_css

CSS = "#pf-body #pf-title { margin-bottom: 2rem; color: white;}#pf-src{display:none;}"


def test_css_line_is_dropped_and_prose_with_braces_kept():
    assert is_css(CSS)
    assert not is_css("The talks {as reported} went on: no result.")
    cleaned = clean_text(f"Peace talks resumed.\n{CSS}\n")
    assert cleaned.text == "Peace talks resumed."


def test_emphasis_markers_are_removed_but_words_kept():
    cleaned = clean_text("Both sides ***must negotiate*** now and **soon**, said *one*.")
    assert cleaned.text == "Both sides must negotiate now and soon, said one."


def test_repeated_title_lines_and_inline_title_are_removed():
    title = "Russia and Ukraine Clash Over Ceasefire Terms"
    raw = f"{title}\n\n{title}\n\nTalks ended. {title} Though a deal on prisoners was made."
    cleaned = clean_text(raw, title)
    assert title not in cleaned.text
    assert cleaned.text == "Talks ended. Though a deal on prisoners was made."


def test_author_bio_is_cut_and_author_named():
    raw = "Body text here.\n\nAuthor\n\n  • Dr. Jane Roe\n\n    Jane Roe is a scholar.\n\n"
    cleaned = clean_text(raw)
    assert cleaned.text == "Body text here."
    assert cleaned.bio_author == "Dr. Jane Roe"


def test_placeholder_is_flagged_and_removed_from_text():
    raw = "Zelensky announced on [insert date]. Talks follow."
    assert find_placeholders(raw) == [(1, "[insert date]")]
    assert clean_text(raw).text == "Zelensky announced. Talks follow."


def test_a_title_with_pattern_characters_is_matched_as_text():
    title = "Peace (or not?) [2022] + C++ talks"
    raw = f"Talks ended. {title} Then came Minsk.\nA line about (or not?) things."
    cleaned = clean_text(raw, title)
    assert cleaned.text == "Talks ended. Then came Minsk.\nA line about (or not?) things."
