"""The taxonomy: loading, validation with line numbers, tagging on stems, resolving names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.language.tokenize import tokenize
from knowledge.taxonomy.loader import (
    check_taxonomy,
    default_taxonomy_path,
    find_taxonomy,
    load_taxonomy,
)


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def tags(taxonomy, text: str) -> frozenset[str]:
    return taxonomy.tag(tokenize(text), text)


def test_shipped_taxonomy_is_clean_and_complete(taxonomy):
    assert check_taxonomy() == []
    ids = {e.id for e in taxonomy.of_kind("stakeholder")}
    assert {"ukraine", "russia", "separatists", "turkey", "un", "osce", "eu", "nato", "us"} <= ids
    assert {"territory", "security-guarantees", "nato", "prisoners", "sanctions"} <= {
        e.id for e in taxonomy.of_kind("demand")
    }
    rounds = [e.id for e in taxonomy.of_kind("round")]
    assert rounds[:2] == ["minsk-2014", "minsk-2015"]  # oldest first
    assert {e.id for e in taxonomy.parties} >= {"ukraine", "russia"}


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Kremlin officials said that only if Kyiv changed its posture", "stakeholder:russia"),
        ("Kremlin officials said that only if Kyiv changed its posture", "stakeholder:ukraine"),
        ("Guterres has engaged directly with President Zelenskyy", "stakeholder:un"),
        ("through its various bodies, such as the Security Council", "stakeholder:un"),
        ("NATO Secretary General Jens Stoltenberg underlined", "stakeholder:nato"),
        ("Turkish officials voiced dismay", "stakeholder:turkey"),
        ("the withdrawal of Ukrainian armed personnel from Donetsk", "demand:territory"),
        ("a mutual exchange of prisoners", "demand:prisoners"),
        ("Russia also insisted that Ukraine destroy its military", "demand:demilitarisation"),
        ("guarantees that Ukraine would never join NATO", "demand:nato"),
        ("the Minsk II agreement", "round:minsk-2015"),
        ("the Minsk Protocols, signed in September 2014", "round:minsk-2014"),
        ("the Istanbul talks in 2022", "round:istanbul-2022"),
    ],
)
def test_tags_on_stemmed_aliases(taxonomy, text, tag):
    assert tag in tags(taxonomy, text)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a council on matters of security", "stakeholder:un"),  # phrase, not a bag of words
        ("the neutral mediator hosted talks", "demand:nato"),
        ("talks held in Minsk", "round:minsk-2015"),  # no year: which Minsk round is unknown
        ("the turkeys of the region", "stakeholder:russia"),
        ("Closely observed by the world community", "demand:monitoring"),
    ],
)
def test_no_tag_without_the_alias(taxonomy, text, tag):
    assert tag not in tags(taxonomy, text)


def test_one_word_aliases_name_their_entries(taxonomy):
    aliases = taxonomy.one_word_aliases()
    assert "stakeholder:turkey" in aliases[tokenize("Erdogan")[0]]
    council = tokenize("council")[0]  # only in the phrase "Security Council"
    assert "stakeholder:un" not in aliases.get(council, set())


def test_positions_name_the_party_that_demands(taxonomy):
    both = "Ukraine insists on its borders, while Russia advocates for autonomy."
    assert {"position:ukraine", "position:russia"} <= tags(taxonomy, both)
    text = "A complete stop of foreign aid to Ukraine. Russia also insisted on more."
    assert {t for t in tags(taxonomy, text) if t.startswith("position:")} == {"position:russia"}
    war = "The UN was involved in the Russia-Ukraine War, seeking to foster dialogue."
    assert not {t for t in tags(taxonomy, war) if t.startswith("position:")}
    assert "position:russia" not in taxonomy.tag(tokenize(both))  # positions need the text


def test_an_article_led_by_one_round_is_about_it(taxonomy):
    texts = [
        "Held in Istanbul, the second round of peace negotiations concluded.",
        "Prisoners were exchanged.",
    ]
    assert all("round:istanbul-round-2" in tags for tags in taxonomy.tag_source(texts))


def test_a_passage_naming_only_the_place_takes_the_sources_round(taxonomy):
    texts = [
        "Talks resumed.",
        "Held in Istanbul, the second round of peace negotiations concluded.",
        "Before the meetings in Istanbul the Ukrainian side rejected these proposals.",
        "Prisoners were exchanged.",
    ]
    tagged = taxonomy.tag_source(texts)
    assert "round:istanbul-round-2" in tagged[1]
    assert "round:istanbul-round-2" in tagged[2]
    assert not any(t.startswith("round:") for t in tagged[0] | tagged[3])
    # Two Istanbul rounds in one source: a bare "Istanbul" stays untagged.
    two = [*texts, "The Istanbul talks in 2022 aimed at a ceasefire."]
    assert not any(t.startswith("round:") for t in taxonomy.tag_source(two)[2])


def test_tag_passages_tags_each_source_in_context(taxonomy):
    from knowledge.models import Passage

    passages = [
        Passage("a#0", "a", 0, "Held in Istanbul, the second round of talks ended."),
        Passage("b#0", "b", 0, "Prisoners were exchanged."),
        Passage("a#1", "a", 1, "Prisoners were exchanged."),
    ]
    tagged = taxonomy.tag_passages(passages)
    assert [p.id for p in tagged] == ["a#0", "b#0", "a#1"]
    assert "round:istanbul-round-2" in tagged[2].tags
    assert "round:istanbul-round-2" not in tagged[1].tags
    assert "demand:prisoners" in tagged[1].tags


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("stakeholder", "turkey", ["turkey"]),
        ("stakeholder", "Ankara", ["turkey"]),
        ("stakeholder", "Туреччина", ["turkey"]),
        ("stakeholder", "Турции", ["turkey"]),
        ("stakeholder", "Росії", ["russia"]),
        ("stakeholder", "Kremlin", ["russia"]),
        ("stakeholder", "ООН", ["un"]),
        ("demand", "crimea", ["territory"]),
        ("demand", "Крим", ["territory"]),
        ("demand", "Донеччини", ["territory"]),  # the region as Ukrainians name it
        ("demand", "Луганщине", ["territory"]),
        ("demand", "нейтралитет", ["nato"]),
        ("round", "istanbul", ["istanbul-2022", "istanbul-round-2"]),
        ("round", "Стамбуле", ["istanbul-2022", "istanbul-round-2"]),
        ("round", "minsk 2015", ["minsk-2015"]),
        ("round", "the Istanbul talks", ["istanbul-2022", "istanbul-round-2"]),  # generic word
        ("round", "переговори в Стамбулі", ["istanbul-2022", "istanbul-round-2"]),
        ("round", "talks", []),  # only generic words: names nothing
        ("round", "Мінськ-2", ["minsk-2015"]),
        ("stakeholder", "atlantis", []),
        ("stakeholder", "   ", []),
        ("stakeholder", "що", []),  # a stopword in one language names nothing
        ("stakeholder", "US", ["us"]),  # a stopword too, but the entry's id
        ("stakeholder", "the", []),
        ("stakeholder", "Что", []),
    ],
)
def test_matches_names_in_three_languages(taxonomy, kind, name, expected):
    assert [e.id for e in taxonomy.matches(kind, name)] == expected
    resolved = taxonomy.resolve(kind, name)
    assert (resolved.id if resolved else None) == (expected[0] if expected else None)


def test_entries_have_display_names(taxonomy):
    minsk2 = taxonomy.entry("round:minsk-2015")
    assert minsk2 is not None and minsk2.label == "Minsk II (2015)"
    assert taxonomy.entry("round:istanbul-round-2").label == "Second Istanbul round"
    assert taxonomy.roles[taxonomy.entry("stakeholder:turkey").role].name == "mediator"


def test_entries_and_roles_have_ukrainian_and_russian_names(taxonomy):
    for named in [*taxonomy.entries, *taxonomy.roles.values()]:
        assert set(named.names) == {"uk", "ru"}, named.id
    minsk2 = taxonomy.entry("round:minsk-2015")
    assert (minsk2.label_in("uk"), minsk2.label_in("ru")) == ("Мінськ-2 (2015)", "Минск-2 (2015)")
    assert taxonomy.entry("demand:prisoners").label_in("ru") == "Обмен пленными"
    assert taxonomy.roles["mediator"].name_in("uk") == "посередник"
    assert minsk2.label_in("de") == "Minsk II (2015)"  # no name given there: English


def test_domain_terms_are_english_stems(taxonomy):
    terms = taxonomy.domain_terms()
    assert {"russia", "kremlin", "crimea", "istanbul", "minsk"} <= terms
    assert not any("\u0400" <= c <= "\u04ff" for t in terms for c in t)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tax"
    folder.mkdir()
    for name in ("taxonomy.yaml", "glossary.yaml"):
        shutil.copy(default_taxonomy_path().parent / name, folder / name)
    return folder / "taxonomy.yaml"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def test_problems_carry_file_and_line(tmp_path):
    path = _copy(tmp_path)
    _replace(path, "    role: mediator\n", "    role: referee\n")
    _replace(path, "  - id: osce\n", "  - id: un\n")
    problems = check_taxonomy(path)
    assert {p.path for p in problems} == {str(path)}
    by_message = {p.message.split(": ", 1)[1]: p.line for p in problems}
    assert by_message[
        "unknown role 'referee'; known: mediator, organisation, party, supporter"
    ] == (_line_of(path, "role: referee"))
    lines = path.read_text("utf-8").splitlines()
    second_un = [i for i, line in enumerate(lines, 1) if line == "  - id: un"][1]
    assert by_message["duplicate id 'un'"] == second_un
    with pytest.raises(KnowledgeError) as error:
        load_taxonomy(path)
    assert "referee" in str(error.value)


def test_alias_of_stopwords_only_and_bad_yaml_are_reported(tmp_path):
    path = _copy(tmp_path)
    _replace(path, "en: [Israel, Israeli, Bennett]", "en: [Israel, the, Bennett]")
    [problem] = check_taxonomy(path)
    assert problem.line == _line_of(path, "en: [Israel, the, Bennett]")
    assert "'the' has no searchable word" in problem.message
    path.write_text("stakeholders: [\n  {id: x\n", encoding="utf-8")
    [problem] = check_taxonomy(path)
    assert problem.message.startswith("invalid YAML") and problem.line >= 2


def test_glossary_problems_name_the_glossary(tmp_path):
    path = _copy(tmp_path)
    glossary = path.parent / "glossary.yaml"
    _replace(glossary, "  memorandum: [меморандум]\n", "  memorandum: [memo]\n")
    [problem] = check_taxonomy(path)
    assert problem.path == str(glossary)
    assert problem.line == _line_of(glossary, "memorandum: [memo]")
    assert "'memo' is not Cyrillic" in problem.message


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    [problem] = check_taxonomy(tmp_path / "nope.yaml")
    assert problem.message.startswith("cannot read taxonomy")


def test_find_taxonomy_prefers_a_knowledge_folder(tmp_path):
    assert find_taxonomy([tmp_path]) == default_taxonomy_path()
    path = _copy(tmp_path)
    assert find_taxonomy([tmp_path / "elsewhere", path.parent]) == path


def test_edited_taxonomy_changes_tags(tmp_path):
    path = _copy(tmp_path)
    _replace(path, "en: [Israel, Israeli, Bennett]", "en: [Israel, Israeli, Bennett, Jerusalem]")
    assert "stakeholder:israel" in load_taxonomy(path).tag(tokenize("talks in Jerusalem"))
    assert "stakeholder:israel" not in load_taxonomy().tag(tokenize("talks in Jerusalem"))


def test_glossary_words_that_stem_alike_under_two_meanings_are_a_problem(tmp_path):
    path = _copy(tmp_path)
    glossary = path.parent / "glossary.yaml"
    _replace(glossary, "  memorandum: [меморандум]\n", "  memorandum: [меморандум, санкції]\n")
    [problem] = check_taxonomy(path)
    assert problem.path == str(glossary)
    assert "'санкції' stems like a word listed under" in problem.message


def test_a_glossary_key_given_twice_is_a_problem(tmp_path):
    path = _copy(tmp_path)
    glossary = path.parent / "glossary.yaml"
    _replace(
        glossary, "  memorandum: [меморандум]\n", "  memorandum: [меморандум]\n  talks: [бесіди]\n"
    )
    [problem] = check_taxonomy(path)
    assert problem.path == str(glossary)
    assert problem.line == _line_of(glossary, "talks: [бесіди]")
    assert "'talks' given twice" in problem.message


@pytest.mark.parametrize("name", ["taxonomy.yaml", "glossary.yaml"])
def test_a_taxonomy_or_glossary_not_in_utf8_is_a_problem_not_a_crash(tmp_path, name):
    path = _copy(tmp_path)
    bad = path.parent / name
    bad.write_bytes(bad.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    problems = check_taxonomy(path)
    assert [(p.path, "not UTF-8" in p.message) for p in problems] == [(str(bad), True)]
    with pytest.raises(KnowledgeError):
        load_taxonomy(path)


@pytest.mark.parametrize("name", ["taxonomy.yaml", "glossary.yaml"])
def test_an_alias_bomb_in_a_taxonomy_file_is_a_problem_not_a_hang(tmp_path, name):
    path = _copy(tmp_path)
    bad = path.parent / name
    bomb = ["x0: &x0 [peace]"] + [
        f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 9)}]" for n in range(1, 7)
    ]
    bad.write_text(bad.read_text(encoding="utf-8") + "\n".join(bomb) + "\n", encoding="utf-8")
    [problem] = check_taxonomy(path)
    assert problem.path == str(bad) and "aliases expand" in problem.message
