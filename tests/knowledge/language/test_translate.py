"""Ukrainian and Russian questions reach English search tokens; the language is detected."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge.evaluation import evaluate, load_questions
from knowledge.language.detect import detect_language
from knowledge.language.tokenize import tokenize
from knowledge.language.translate import english_tokens, no_english_note, query_tokens, translate


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What does Russia demand?", "en"),
        ("Що пропонує Зеленський?", "uk"),  # letter і/є/ї
        ("Яку роль відіграє Гутерреш?", "uk"),
        ("Что было в российском меморандуме?", "ru"),  # ы
        ("Кто выступает посредником?", "ru"),
        ("Как дела", "ru"),  # function word
        ("Як справи", "uk"),
        ("переговори стамбул", "uk"),  # no telltale: more words known as Ukrainian
        ("Минск 2015", "ru"),  # nothing tells: Russian
        ("NATO and the Кремль in English text", "en"),
    ],
)
def test_detect_language(question, language):
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Стамбул", ["istanbul"]),
        ("в Стамбуле", ["istanbul"]),
        ("у Стамбулі", ["istanbul"]),
        ("переговоры", ["talk"]),
        ("о переговорах", ["talk"]),
        ("про переговори", ["talk"]),
        ("переговорів", ["talk"]),
        ("перемирие", ["ceasefir"]),
        ("перемир'я", ["ceasefir"]),
        ("Кремль", ["kremlin"]),
        ("Путін", ["putin"]),
        ("Путину", ["putin"]),
        ("Туреччини", ["turkey"]),
        ("обмен пленными", ["prison", "exchang"]),
        ("обмін полоненими", ["prison", "exchang"]),
        ("гарантии безопасности", ["secur", "guarante"]),
        ("Мінськ-2", ["minsk", "ii"]),
        ("вимоги", ["demand"]),
        ("требования", ["demand"]),
    ],
)
def test_inflections_reach_the_same_english_stems(question, expected):
    tokens, _ = query_tokens(question)
    assert tokens == expected


def test_a_full_question_keeps_meaning_and_drops_function_words():
    tokens, language = query_tokens("Що вимагає Росія від України на переговорах у Стамбулі?")
    assert language == "uk"
    assert tokens == ["demand", "russia", "ukrain", "talk", "istanbul"]
    tokens, language = query_tokens("Какую роль играет Турция в переговорах?")
    assert (tokens, language) == (["role", "play", "turkey", "talk"], "ru")


def test_unknown_words_stay_as_cyrillic_stems():
    tokens, language = query_tokens("Як зварити вареники з картоплею?")
    assert language == "uk"
    assert tokens and all(any("\u0400" <= c <= "\u04ff" for c in t) for t in tokens)


def test_english_questions_are_tokenized_as_english():
    question = "What did Russia's memorandum say about Crimea?"
    assert query_tokens(question) == (tokenize(question), "en")


def test_no_english_note_is_in_the_users_language_and_only_over_english_quotes():
    english = ["Russia demands neutrality.", "Turkey hosted the talks."]
    ukrainian = "Росія вимагає нейтралітету України."
    assert no_english_note("en", english) == ""
    assert no_english_note("uk", english).startswith("Джерела англійською")
    assert no_english_note("ru", english).startswith("Источники на английском")
    assert "\n" not in no_english_note("uk", english) + no_english_note("ru", english)
    assert no_english_note("uk", [ukrainian]) == ""
    assert no_english_note("uk", []) == ""
    assert no_english_note("uk", [ukrainian, english[0]]).startswith("Деякі джерела")


QUESTIONS = Path(__file__).parents[2] / "data" / "multilingual_questions.yaml"


@pytest.fixture(scope="module")
def report():
    return evaluate(load_questions(QUESTIONS), knowledge.load().ask)


def test_question_set_is_parallel():
    items = load_questions(QUESTIONS)
    by_concept: dict[str, dict[str, tuple]] = {}
    for item in items:
        concept, language = item.id.rsplit("-", 1)
        by_concept.setdefault(concept, {})[language] = (item.expect, item.evidence)
    assert len(by_concept) >= 20
    for versions in by_concept.values():
        assert set(versions) == {"en", "uk", "ru"}
        assert versions["en"] == versions["uk"] == versions["ru"]


def test_ukrainian_and_russian_reach_most_of_english_hit_at_3(report):
    english = report.by_style["well_formed"]["hit@3"]
    assert english is not None and english >= 0.6
    for style in ("ukrainian", "russian"):
        assert report.by_style[style]["hit@3"] >= 0.7 * english, style
        assert report.by_style[style]["no_answer_accuracy"] == 1.0, style


def test_answers_to_cyrillic_questions_carry_their_language(report):
    for outcome in report.outcomes:
        if outcome.item.expect == "answer" and outcome.item.style in ("ukrainian", "russian"):
            assert outcome.error is None
    shipped = knowledge.load()
    assert shipped.ask("Яку роль відіграє Туреччина?").language == "uk"
    assert shipped.ask("Какую роль играет Турция?").language == "ru"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Что требует Россиия на переговрах?", ["demand", "russia", "talk"]),
        ("Хто посердник?", ["mediat"]),
        ("Что с санкцыями?", ["sanction"]),
    ],
)
def test_one_typo_in_a_known_word_is_forgiven(question, expected):
    assert query_tokens(question)[0] == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # everyday words one letter from a known one in their middle are other words
        ("Почему переговоры заходят в тупик?", (["talk", "заход", "deadlock"], "ru")),  # not plant
        ("Чи вдасться спротив?", (["success", "спрот"], "uk")),  # resistance, not sport
        ("Как наладить контакты?", (["налад", "контакт"], "ru")),  # not back, contract
        # one at its end is an inflection the glossary lacks: its word, as before
        ("Чи зможуть сторони домовитися?", (["side", "agre"], "uk")),
        ("Что известно об обмене?", (["exchang"], "ru")),
    ],
)
def test_an_everyday_word_is_corrected_only_in_its_ending(question, expected):
    assert query_tokens(question) == expected


def test_unknown_words_are_not_bent_into_known_ones():
    tokens, _ = query_tokens("Какой курс в обменнике?")
    assert all(any("\u0400" <= c <= "\u04ff" for c in t) for t in tokens)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Чому переговори завжди зриваються сьогодні?", ["talk", "alway", "collaps", "today"]),
        ("Де зараз живуть біженці і скільки з них жінок?", ["live", "displac", "women"]),
        ("Скільки поранених після пострілів уночі?", ["wound", "shot", "night"]),
        ("Мені здається, що навіть вони самі цього не знають", ["seem", "know"]),
    ],
)
def test_everyday_ukrainian_words_are_searched_in_english(question, expected):
    assert query_tokens(question) == (expected, "uk")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the other aspect or prefix of a glossary verb stems differently, so it is listed too
        ("чому мінські угоди не спрацювали", (["minsk", "agreement", "work"], "uk")),
        ("чому гальмує обмін полоненими", (["stall", "prison", "exchang"], "uk")),
        ("почему буксует обмен пленными", (["stall", "prison", "exchang"], "ru")),
        ("для чего заключали минские протоколы", (["sign", "minsk", "protocol"], "ru")),
        # an idiom is a phrase of the glossary, not its words ("stone")
        (
            "Почему Крым главный камень преткновения?",
            (["crimea", "primari", "stick", "point"], "ru"),
        ),
    ],
)
def test_other_forms_of_glossary_words_reach_their_english(question, expected):
    assert query_tokens(question) == expected


def test_the_russian_other_is_not_the_ukrainian_second():
    # "другие" (other) was looked up in Ukrainian, where "другий" is "second"
    assert query_tokens("Какую роль играют другие страны?") == (["role", "play", "countri"], "ru")
    assert query_tokens("Які другі переговори?") == (["second", "talk"], "uk")


def test_russian_watch_is_not_next():
    # Snowball stems "следующий" (next) and "следить" (watch) alike: "след"
    assert query_tokens("Кто будет следить за перемирием?") == (["monitor", "ceasefir"], "ru")
    assert query_tokens("Что будет на следующей встрече?") == (["next", "meet"], "ru")


def test_a_ukrainian_word_of_two_meanings_stays_its_own_stem():
    # рада (council / glad) stems like радіо (radio); резолюцію is not bent into "revolution".
    assert query_tokens("Яку резолюцію ухвалила рада?") == (["resolut", "decid", "рад"], "uk")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Яка позиція НАТО щодо цієї війни", "position NATO war"),
        (
            "Россия требует, чтобы Запад перестал помогать Украине?",
            "Russia demand the West help Ukraine",
        ),
        ("Як зварити вареники з картоплею?", ""),  # no word the glossary knows
        ("Who mediates the talks?", "Who mediates the talks?"),  # English as asked
    ],
)
def test_the_english_words_render_a_question_in_the_glossarys_english(question, expected):
    assert translate(question).english == expected


def test_the_english_words_keep_a_mistyped_known_word():
    assert translate("Что требует Россиия на переговрах?").english == "demand Russia talks"


def test_a_ukrainian_or_russian_text_has_english_tokens_and_an_english_one_none():
    assert {"prison", "exchang"} <= set(english_tokens("Сторони домовилися про обмін полоненими."))
    assert "prison" in english_tokens("Стороны договорились об обмене пленными.")
    assert english_tokens("Russia and Ukraine exchanged prisoners (обмін полоненими).") == []
    assert english_tokens("12345 — 2026") == []
