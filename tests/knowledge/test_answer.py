import json
import shutil
from dataclasses import replace

import pytest

import knowledge
from knowledge.answer import MAX_RESULTS, Knowledge
from knowledge.features import PRODUCT
from knowledge.index import BM25Index
from knowledge.ingest import passage_tokens
from tests.knowledge.conftest import write_source

ISTANBUL = "003_80a6dfbae3992a77"


def test_istanbul_demands_come_from_the_istanbul_article(shipped):
    answer = shipped.ask("What did Russia demand at the Istanbul talks?")
    assert answer.answered
    texts = [e.text for e in answer.excerpts]
    istanbul = [e for e in answer.excerpts if e.source.id == ISTANBUL]
    assert istanbul, texts
    assert any("departure of Ukrainian armed personnel" in e.text for e in istanbul), texts


@pytest.mark.parametrize(
    "question",
    [
        "chocolate chip cookie recipe",
        "hagia sophia opening hours",
        "weather in Kyiv tomorrow",  # refused since the unknown-word bar was recalibrated
        "When is the next iPhone coming out?",  # an unknown name lowers the bar
        "When was Putin born?",  # one word in common with the sources, the rest unknown
        "What is the population of Kyiv?",  # asks for a count; its best passage states none
        "how to change a car battery",
        "who won the world cup",
        "Як зварити вареники з картоплею і грибами?",
        "😀😀",
        "?!",
    ],
)
def test_out_of_scope_questions_get_no_answer_and_suggestions(shipped, question):
    answer = shipped.ask(question)
    assert not answer.answered
    assert answer.excerpts == ()
    assert answer.suggestions


# These share a known word or two with the sources, and refusing them by lexical signals would
# refuse more than 3 % of answerable questions on the tuning set (the best passage for "How
# many people live in Istanbul?" states "millions": a count). The tuning sets' out-of-scope
# questions worded alike refuse them (knowledge.precedents); neither is in a tuning set.
@pytest.mark.parametrize(
    "question", ["How many inhabitants does Istanbul have?", "How many people live in Minsk?"]
)
def test_near_domain_out_of_scope_questions_are_refused(shipped, question):
    assert not shipped.ask(question).answered


# Known limit: worded unlike any out-of-scope tuning question, the semantic stage's similarity
# is what can refuse it.
@pytest.mark.xfail(strict=True, reason="worded unlike the learned out-of-scope questions")
def test_a_near_domain_question_worded_unlike_the_learned_ones_is_refused(shipped):
    assert not shipped.ask("How big is Istanbul?").answered


def test_a_near_domain_question_asking_with_an_out_of_scope_word_is_refused(shipped):
    # "minister": no source uses it; the tuning sets used it only in out-of-scope questions
    refused = shipped.ask("Who is Russia's foreign minister?")
    assert not refused.answered and refused.excerpts == ()


def test_typos_are_corrected_against_the_sources(shipped):
    answer = shipped.ask("how does the securty council help")
    assert answer.answered
    assert "Security Council" in answer.excerpts[0].text


def test_the_us_in_capitals_is_the_united_states_not_the_pronoun(shipped):
    answer = shipped.ask("What does the US want from the talks?")
    first = answer.excerpts[0].text
    assert "United States" in first or " US" in first


def test_a_contraction_typed_without_its_apostrophe_is_answered_alike(shipped):
    typed = shipped.ask("why wont russia withdraw its troops")
    written = shipped.ask("why won't russia withdraw its troops")
    assert typed.answered and typed.excerpts == written.excerpts


def test_excerpts_are_short_cited_and_highlight_question_terms(shipped):
    answer = shipped.ask("neutral mediator turkey")
    assert 1 <= len(answer.excerpts) <= 3
    for excerpt in answer.excerpts:
        assert len(excerpt.text) <= 520
        assert excerpt.source.title
        marked = {excerpt.text[s:e].lower() for s, e in excerpt.highlights}
        assert marked & {"turkey", "neutral", "mediator", "mediation", "turkish"}


def test_more_pages_through_results_without_repeats(shipped):
    first = shipped.ask("ceasefire negotiations", top=3)
    second = shipped.ask("ceasefire negotiations", top=3, offset=3)
    assert first.has_more and second.answered and second.offset == 3
    assert not {e.passage.id for e in first.excerpts} & {e.passage.id for e in second.excerpts}
    assert [e.rank for e in second.excerpts] == [4, 5, 6]
    deep = shipped.ask("ceasefire negotiations", top=3, offset=10 * MAX_RESULTS)
    assert deep.offset == MAX_RESULTS


def test_huge_and_hostile_questions_are_answered_gracefully(shipped):
    assert shipped.ask("peace negotiations " * 300).answered
    hostile = '<a href="javascript:alert(1)">minsk</a> <i>talks'
    answer = shipped.ask(hostile)
    assert answer.question == hostile
    assert all("<" not in e.text for e in answer.excerpts)


def test_json_shape_is_the_spec(shipped):
    data = json.loads(json.dumps(shipped.ask("minsk 2015").to_json()))
    assert set(data) == {"question", "answered", "took_ms", "results"}
    assert set(data["results"][0]) == {
        "rank",
        "source_id",
        "title",
        "author",
        "publisher",
        "url",
        "published",
        "passage_id",
        "excerpt",
        "score",
    }


FILLER = [
    "Delegations met again in Vienna to discuss the exchange of bodies.",
    "Parliament debated the budget for reconstruction of damaged schools.",
    "Energy infrastructure repairs continued through the winter months.",
]


def test_loading_a_folder_and_diffing_snapshots(tmp_path):
    for i, text in enumerate(FILLER):
        write_source(tmp_path, f"filler{i}.md", f"Filler {i}", text)
    write_source(tmp_path, "a.md", "Alpha", "The Geneva round produced a grain deal.")
    old = knowledge.load([tmp_path])
    write_source(tmp_path, "a.md", "Alpha", "The Geneva round produced a grain corridor.")
    write_source(tmp_path, "b.md", "Beta", "Observers from the OSCE monitored the line.")
    new = knowledge.load([tmp_path])
    diff = new.diff(old)
    assert (diff.added, diff.removed, diff.changed) == (("b",), (), ("a",))
    assert new.ask("who monitored the line").excerpts[0].source.title == "Beta"
    assert old.ask("who monitored the line").answered is False


def test_a_bad_file_stops_the_load_and_names_itself(tmp_path):
    write_source(tmp_path, "good.md", "Good", "Fine text about talks.")
    (tmp_path / "bad.md").write_text("---\ntitle: [oops\n---\nx\n", encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError) as caught:
        knowledge.load([tmp_path])
    assert str(caught.value).startswith(f"{tmp_path / 'bad.md'}:2: invalid YAML")


def test_passage_and_source_lookup(shipped):
    passage = shipped.passages[5]
    assert shipped.passage(passage.id) == passage
    assert shipped.source(passage.source_id).id == passage.source_id
    assert shipped.passage("nope#1") is None
    assert shipped.passage(f"{passage.source_id}#999") is None


def test_passages_whose_ids_are_not_source_and_position_are_found(shipped):
    renamed = [replace(p, id=f"p{row}") for row, p in enumerate(shipped.passages[:40])]
    index = BM25Index.build([passage_tokens(p) for p in renamed])
    known = Knowledge(shipped.sources, renamed, index)
    assert known.passage("p7") == renamed[7] and known.passage("p40") is None
    assert known.source(renamed[3].source_id) == shipped.source(renamed[3].source_id)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Stoltenberg say?", "Stoltenberg"),
        ("What did the Kremlin say about the talks?", "Kremlin officials"),
        ("wht are the obstacles to peace", "obstacle"),
    ],
)
def test_question_framing_words_do_not_block_an_answer(shipped, question, expected):
    answer = shipped.ask(question)
    assert answer.answered
    assert any(expected in e.text for e in answer.excerpts)  # among the three shown


def leads_with(text: str, party: str, other: str) -> bool:
    """Whether ``text`` names ``party`` before ``other`` (or names only ``party``)."""
    return party in text and (other not in text or text.index(party) < text.index(other))


def test_a_party_s_demands_come_before_the_other_party_s(shipped):
    answer = shipped.ask("What are Ukraine's demands?")
    # "Ukraine ..." or "The Ukrainian government seeks ...", not Russia's demands
    assert leads_with(answer.excerpts[0].text, "Ukrain", "Russia"), answer.excerpts[0].text
    assert any(e.text.startswith("Ukraine's primary demand") for e in answer.excerpts)


def test_a_ukrainian_question_about_a_partys_demands_leads_with_that_party(shipped):
    # "Що вимагає Україна?" (What does Ukraine demand?) had led with Russia's demands
    first = shipped.ask("Що вимагає Україна?").excerpts[0].text
    assert leads_with(first, "Ukrain", "Russia"), first


def test_word_families_do_not_jump_to_lookalikes(shipped):
    query = shipped.query("war crimes")
    assert "crimea" not in query.variants["crime"]


def test_questions_in_ukrainian_and_russian_are_answered_from_english_sources(shipped):
    uk = shipped.ask("Що сталося в Стамбулі?")
    ru = shipped.ask("Когда были подписаны Минские соглашения?")
    assert (uk.language, ru.language) == ("uk", "ru")
    assert "Istanbul" in " ".join(e.text for e in uk.excerpts)
    assert "Minsk" in ru.excerpts[0].text


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("who won the world cup", "en"),
        ("Хто виграв чемпіонат світу з футболу?", "uk"),
        ("Кто выиграл чемпионат мира по футболу?", "ru"),
    ],
)
def test_every_suggested_question_has_a_sourced_answer(shipped, question, language):
    refused = shipped.ask(question)
    assert not refused.answered and refused.language == language
    assert refused.suggestions
    for suggested in refused.suggestions:  # in the question's language, and answered
        answer = shipped.ask(suggested)
        assert answer.answered and answer.language == language, suggested


def test_a_match_on_every_question_word_beats_a_partial_one(shipped):
    # the learned expansions and precedents rank the prisoner exchange agreed there first,
    # with neither word
    unlearned = PRODUCT.without("expansions").without("precedents")
    answer = shipped.with_options(unlearned).ask("What was agreed in Istanbul?")
    assert all("Istanbul" in e.text or "agreed" in e.text for e in answer.excerpts[:2])


def test_diff_reports_a_taxonomy_change(tmp_path):
    for i, text in enumerate(FILLER):
        write_source(tmp_path, f"filler{i}.md", f"Filler {i}", text)
    old = knowledge.load([tmp_path])
    assert knowledge.load([tmp_path]).diff(old).unchanged
    data = knowledge.default_dirs()[0].parent
    taxonomy = (data / "taxonomy.yaml").read_text(encoding="utf-8")
    (tmp_path / "glossary.yaml").write_bytes((data / "glossary.yaml").read_bytes())
    (tmp_path / "taxonomy.yaml").write_text(taxonomy.replace("Zelenskyy,", "Zelenskyy, Zelenskij,"))
    diff = knowledge.load([tmp_path]).diff(old)
    assert diff.taxonomy and not diff.unchanged
    assert (diff.added, diff.removed, diff.changed) == ((), (), ())


def test_a_zero_width_space_or_soft_hyphen_in_a_word_still_finds_it(shipped, tmp_path):
    plain = shipped.ask("What does Russia demand?")
    for mark in ("\u200b", "\u00ad"):
        hidden = shipped.ask(f"What does Rus{mark}sia de{mark}mand?")
        assert hidden.answered and [e.passage.id for e in hidden.excerpts] == [
            e.passage.id for e in plain.excerpts
        ]
    kb = tmp_path / "kb"
    shutil.copytree(knowledge.default_dirs()[0], kb)
    text = "Krem\u00adlin nego\u200btiators rejected the Hel\u200dsinki memo\u2060randum on swaps."
    write_source(kb, "zz.md", "Zed", text)
    answer = knowledge.load([kb]).ask("Helsinki memorandum")
    assert answer.answered and answer.excerpts[0].source.id == "zz"
    shown = answer.excerpts[0]
    assert [shown.text[a:b] for a, b in shown.highlights] == [
        "Hel\u200dsinki",
        "memo\u2060randum",
    ]


def test_a_passage_of_the_article_titled_for_the_question_comes_first(tmp_path):
    for i, text in enumerate(FILLER):
        write_source(tmp_path, f"filler{i}.md", f"Filler {i}", text)
    same = "Both delegations agreed to exchange prisoners before the next round."
    write_source(tmp_path, "a.md", "Minsk meeting of the contact group", same)
    write_source(tmp_path, "b.md", "Prisoner exchange after the talks", same)
    kb = knowledge.load([tmp_path])
    titled = kb.ask("prisoner exchange")
    plain = kb.with_options(kb.options.without("titles")).ask("prisoner exchange")
    assert titled.excerpts[0].source.title == "Prisoner exchange after the talks"
    assert plain.excerpts[0].source.title == "Minsk meeting of the contact group"  # a tie


def test_the_latest_comes_from_the_newest_source_however_many_older_ones_match_better(tmp_path):
    for i in range(45):
        body = f"Talks in round {i}: the talks on the ceasefire talks went on, talks said."
        write_source(tmp_path, f"old{i}.md", f"Round {i}", body)
    write_source(
        tmp_path, "new.md", "Energy truce", "The energy truce was agreed at the talks.",
        published="2026-11-25",
    )  # fmt: skip
    answer = knowledge.load([tmp_path]).ask("What is the latest on the talks?")
    assert answer.as_of == "2026-11-25"
    assert answer.excerpts[0].source.title == "Energy truce"


def test_a_folder_of_one_or_two_short_sources_answers(tmp_path):
    # an operator's first try: rank-bm25's idf is 0 or less for every word of two passages
    write_source(tmp_path, "a.md", "Minsk", "The Minsk agreements of 2014 and 2015 were signed.")
    write_source(tmp_path, "b.md", "Geneva", "Swiss mediators proposed an energy truce in Geneva.")
    two = knowledge.load([tmp_path])
    assert two.ask("What were the Minsk agreements?").excerpts[0].source.id == "a"
    assert two.ask("energy truce").excerpts[0].source.id == "b"
    assert not two.ask("who won the world cup").answered
    (tmp_path / "b.md").unlink()
    assert knowledge.load([tmp_path]).ask("minsk agreements").answered


def test_a_refusal_suggests_only_questions_the_sources_answer(tmp_path):
    write_source(tmp_path, "a.md", "Minsk", "The Minsk agreements of 2014 and 2015 were signed.")
    write_source(tmp_path, "b.md", "Rain", "It rained all week in the valley and the rivers rose.")
    own = knowledge.load([tmp_path])
    assert own.ask("who won the world cup").suggestions == ("What were the Minsk agreements?",)
    (tmp_path / "a.md").unlink()
    assert knowledge.load([tmp_path]).ask("who won the world cup").suggestions == ()
    assert own.with_options(own.options).suggestions() == own.suggestions()  # a copy asks anew


def test_a_ukrainian_source_answers_questions_in_any_language_counting_each_word_once(tmp_path):
    for i, text in enumerate(
        [
            "Russia demands that Ukraine stay neutral and give up its claims to Crimea.",
            "Turkey hosted the Istanbul talks in 2022 and offered to host more rounds.",
            "Observers from the OSCE monitored the contact line for several years.",
        ]
    ):
        write_source(tmp_path, f"en{i}.md", f"English {i}", text)
    write_source(
        tmp_path,
        "zvit.md",
        "Звіт з Женеви",
        "Делегації України та Росії зустрілися в Женеві і домовилися про обмін полоненими. "
        "Наступна зустріч запланована на грудень.",
        language="uk",
    )
    both = knowledge.load([tmp_path])
    for question in ("Про що домовилися в Женеві?", "Коли наступна зустріч у Женеві?"):
        answer = both.ask(question)
        assert answer.answered and answer.excerpts[0].source.id == "zvit", question
    assert both.ask("О чем договорились в Женеве?").excerpts[0].source.id == "zvit"
    # "Росія" is "Russia" once, whichever source has it: the demand comes first
    assert both.ask("Чого вимагає Росія?").excerpts[0].source.id == "en0"
    # an English question meets it in the glossary's English words for it
    english = both.ask("What did the delegations agree about prisoners?")
    assert english.excerpts[0].source.id == "zvit"


def test_a_date_asked_for_may_come_from_any_excerpt_shown(tmp_path):
    for i, text in enumerate(FILLER):
        write_source(tmp_path, f"filler{i}.md", f"Filler {i}", text)
    opened = "The Geneva talks on the grain corridor reopened the corridor for ships."
    write_source(tmp_path, "a.md", "Alpha", opened)
    write_source(tmp_path, "b.md", "Beta", "The Geneva talks on the grain corridor closed in 2019.")
    kb = knowledge.load([tmp_path])
    answer = kb.ask("When did the Geneva talks on the grain corridor end?")
    assert answer.answered
    assert [e.source.id for e in answer.excerpts][:2] == ["a", "b"]
    assert "2019" in answer.excerpts[1].text
    # a year is not a count, and no passage shown states one: refused
    assert not kb.ask("How many ships used the Geneva grain corridor?").answered
