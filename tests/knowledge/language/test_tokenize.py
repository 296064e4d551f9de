import pytest

from knowledge.language.tokenize import stem, tokenize, words


def test_lowercases_stems_and_drops_stopwords():
    assert tokenize("What did the Negotiators DEMAND at the talks?") == ["negoti", "demand", "talk"]


def test_possessive_and_curly_apostrophe():
    assert tokenize("Russia’s demands") == tokenize("russia demand")


def test_contractions_of_stopwords_are_stopwords():
    assert tokenize("I've heard they can't agree, and Kyiv won’t") == tokenize("heard agree kyiv")
    assert tokenize("o'clock") == ["oclock"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("whats the outlook", "what's the outlook"),
        ("why wont russia sign", "why won't russia sign"),
        ("why cant both sides meet", "why can't both sides meet"),
        ("im worried theres no deal", "i'm worried there's no deal"),
    ],
)
def test_contractions_typed_without_the_apostrophe_are_stopwords_too(typed, written):
    assert tokenize(typed) == tokenize(written)


def test_numbers_and_hyphenated_words():
    assert tokenize("Minsk-II in 2015") == ["minsk", "ii", "2015"]


def test_cyrillic_is_stemmed_not_crashing():
    assert tokenize("переговорах") == tokenize("Переговоры")
    assert tokenize("перемир'я") == tokenize("перемир’я") == tokenize("перемир'я", "uk")


def test_words_keep_offsets_into_the_original_text():
    text = "Kyiv’s «talks»"
    ws = words(text)
    assert [(text[w.start : w.end], w.token) for w in ws] == [("Kyiv’s", "kyiv"), ("talks", "talk")]


def test_emoji_and_markup_only_give_no_tokens():
    assert tokenize("😀🔥 <b></b> & ...") == []
    assert tokenize("😀🔥 & ...") == []
    assert stem("the") == ""


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_inside_a_word_are_ignored(mark):
    assert tokenize(f"Rus{mark}sia deman{mark}ds") == tokenize("Russia demands")
    assert tokenize(f"Укра{mark}їна") == tokenize("Україна")
    [first, second] = words(f"Rus{mark}sia demands")
    assert (first.token, first.start, first.end) == (stem("russia"), 0, 7)
    assert second.token == stem("demands")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("What does the US want?", ["usa", "want"]),
        ("U.S. sanctions", ["usa", "sanction"]),
        ("the U.S.A. and the EU", ["usa", "eu"]),
        ("a US-brokered truce", ["usa", "broker", "truce"]),
        ("Tell us more about the US", ["tell", "usa"]),  # the pronoun is dropped
        ("TELL US MORE", ["tell"]),  # in capitals throughout, "US" is the pronoun
        ("is the us a mediator or just sending weapons", ["usa", "mediat", "send", "weapon"]),
        ("WHAT DOES THE US WANT", ["usa", "want"]),  # after "the", in capitals throughout too
        ("they told us the truth", ["told", "truth"]),
    ],
)
def test_us_read_as_the_united_states(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens
    assert [w.token for w in words(text) if w.token] == tokens


def test_the_united_states_keeps_its_offsets() -> None:
    text = "Did the U.S. or the US help us, or the us?"
    found = [(w.token, text[w.start : w.end]) for w in words(text) if w.token]
    assert found == [("usa", "U.S"), ("usa", "US"), ("help", "help"), ("usa", "us")]


@pytest.mark.parametrize("text", ["U.S", "U.S.", "U.S.A.", "THE U.S. ROLE", "a U.S-led plan"])
def test_dotted_us_is_the_united_states_even_in_capitals(text: str) -> None:
    assert "usa" in tokenize(text)
    assert "usa" in [w.token for w in words(text)]
